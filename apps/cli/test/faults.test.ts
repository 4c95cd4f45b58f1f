/**
 * The write step's promises, driven through the CLI: a command that cannot write leaves the tree
 * byte-identical; a SIGKILL in the middle of publishing is completed or undone by the next run; two
 * writers never interleave; paths given on the command line land where the CLI says.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, copyExample, dbgen, treeOf } from "./helpers.js";

const temps: string[] = [];
const immutable: string[] = [];
afterAll(async () => {
  for (const dir of immutable) await promisify(execFile)("chattr", ["-i", dir]).catch(() => undefined);
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

const ENV = { SOURCE_DATE_EPOCH: "1790000000" };
const MODULE = ".pipeline/modules/account-management-phase1.yaml";

/** The example's inputs and prototype files, without any generated production, model or concept output. */
async function exampleProject(): Promise<string> {
  const root = await copyExample("dbgen-faults-", [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/production-backfill.yaml",
    ".pipeline/database/state/prototype",
    ".pipeline/database/migrations/prototype",
    ".pipeline/database/rollbacks/prototype",
    ".pipeline/database/types/account-management",
  ]);
  temps.push(root);
  return root;
}

/** `chattr +i`: even root cannot add, rename or remove entries in the folder until it is lifted. */
async function freeze(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  await promisify(execFile)("chattr", ["+i", dir]);
  immutable.push(dir);
  return async () => {
    await promisify(execFile)("chattr", ["-i", dir]);
  };
}

/** The module asks for a new column: the next iteration has something to write. */
async function editModule(root: string): Promise<void> {
  const text = await readFile(join(root, MODULE), "utf8");
  await writeFile(
    join(root, MODULE),
    text
      .replace("iteration: 3", "iteration: 4")
      .replace("    - nickname: string", "    - nickname: string\n    - department: string"),
  );
}

describe("an unwritable output folder", () => {
  it.each([
    ["all", [], ".pipeline/docs/concept"],
    ["concept", [], ".pipeline/docs/concept"],
    ["harden", [], "supabase/migrations"],
    [
      "generate",
      ["--module", "account-management", "--no-apply"],
      ".pipeline/database/state/prototype/account-management",
    ],
  ] as const)(
    "%s exits with WRITE_FAILED and leaves the tree byte-identical",
    async (command, args, blocked) => {
      const root = await exampleProject();
      if (command === "generate") await editModule(root);
      const thaw = await freeze(join(root, blocked));
      const before = await treeOf(root);
      const run = await dbgen(["--root", root, command, ...args], { env: ENV });
      await thaw();
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(
        /^error WRITE_FAILED \S+ — Cannot write .+; nothing was written\. Fix: make the folder writable/m,
      );
      expect(await treeOf(root)).toEqual(before);
      if (command === "generate") {
        // Once the folder is writable, the same command writes exactly one new iteration.
        expect((await dbgen(["--root", root, command, ...args], { env: ENV })).code).toBe(0);
        const migrations = await readdir(join(root, ".pipeline/database/migrations/prototype/account-management"));
        expect(migrations.filter((f) => f.includes("_iter4_"))).toHaveLength(1);
      }
    },
    60_000,
  );
});

/** Each writing command and a file it writes in `exampleProject()` (generate after `editModule`). */
const WRITERS = [
  ["all", [], ".pipeline/database/state/merged/prototype-union.json"],
  ["concept", [], ".pipeline/docs/concept/index.html"],
  ["merge", [], ".pipeline/database/state/merged/schema.json"],
  ["harden", [], ".pipeline/database/types/database.types.ts"],
  [
    "generate",
    ["--module", "account-management", "--no-apply"],
    ".pipeline/database/types/account-management/database-types-iter4.ts",
  ],
  ["types", ["--module", "account-management"], ".pipeline/database/types/account-management/database-types-iter3.ts"],
  ["seed", ["--module", "account-management"], ".pipeline/database/seed/account-management.sql"],
  [
    "export",
    ["drizzle", "--module", "account-management"],
    ".pipeline/database/orm/drizzle/account-management/relations.ts",
  ],
  ["migrate", ["spec.json", "--out", "out"], "out/20260921141320_add_letters.sql"],
] as const;

const SPEC = {
  description: "add letters",
  databaseType: "sqlite",
  tables: [{ name: "letters", columns: [{ name: "id", type: "INTEGER", nullable: false }], primaryKey: ["id"] }],
};

/** The example, ready for `command` to write something: the module edited for generate, a spec for migrate. */
async function readyFor(command: string): Promise<string> {
  const root = await exampleProject();
  if (command === "generate") await editModule(root);
  await writeFile(join(root, "spec.json"), JSON.stringify(SPEC));
  return root;
}

/** `dbgen` with relative paths resolved in the project, as a user standing in it would type them. */
function dbgenIn(root: string, args: readonly string[]) {
  return dbgen(["--root", root, ...args], { env: ENV, cwd: root });
}

describe("something else where an output goes", () => {
  it.each(WRITERS)(
    "%s with a folder where its file goes: exit 2 naming that file, the tree byte-identical (journal included)",
    async (command, args, output) => {
      const root = await readyFor(command);
      await rm(join(root, output), { force: true });
      await mkdir(join(root, output, "in-the-way"), { recursive: true });
      const before = await treeOf(root);
      const run = await dbgenIn(root, [command, ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `error WRITE_FAILED ${output} — Cannot write ${output} (EISDIR); nothing was written`,
      );
      expect(run.stderr).toMatch(/Fix: a folder stands where this file goes/);
      expect(await treeOf(root)).toEqual(before);
      // Moved away, the same command writes.
      await rm(join(root, output), { recursive: true });
      const rerun = await dbgenIn(root, [command, ...args]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(existsSync(join(root, ".pipeline/.dbgen-journal.json"))).toBe(false);
    },
    60_000,
  );

  it.each(WRITERS)(
    "%s with a file where a folder of its output goes: exit 2 naming that file, the tree byte-identical",
    async (command, args, output) => {
      const root = await readyFor(command);
      const folder = output.split("/").slice(0, -1).join("/");
      await rm(join(root, folder), { recursive: true, force: true });
      await mkdir(join(root, folder, ".."), { recursive: true });
      await writeFile(join(root, folder), "in the way\n");
      const before = await treeOf(root);
      const run = await dbgenIn(root, [command, ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `error WRITE_FAILED ${folder} — Cannot write ${folder} (ENOTDIR); nothing was written`,
      );
      expect(run.stderr).not.toMatch(/INTERNAL_ERROR/);
      expect(await treeOf(root)).toEqual(before);
    },
    60_000,
  );
});

describe("a new embedded database that cannot be made", () => {
  it.each([
    [
      "its parent folder is read-only",
      ".pipeline/database/dev",
      /Cannot create the embedded database in \S+ \(EPERM\)/,
    ],
    [
      "its own empty folder cannot be replaced",
      ".pipeline/database/dev/account-management",
      /Cannot create the embedded database in \S+ \(EPERM\)/,
    ],
  ] as const)(
    "%s: WRITE_FAILED naming it, the tree as before, and the rerun works",
    async (_case, blocked, message) => {
      const root = await exampleProject();
      const env = { ...ENV, DATABASE_URL: "", SUPABASE_DB_URL: "" };
      const thaw = await freeze(join(root, blocked));
      const before = await treeOf(root);
      const failed = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
      const after = await treeOf(root);
      const leftovers = await readdir(join(root, ".pipeline/database/dev"));
      await thaw();
      expect(failed.code, failed.stdout).toBe(2);
      expect(failed.stderr).toMatch(/^error WRITE_FAILED \S*\.pipeline\/database\/dev\/account-management — /m);
      expect(failed.stderr).toMatch(message);
      expect(failed.stderr).toMatch(/nothing was written\. Fix: make the folder writable/);
      expect(after).toEqual(before);
      expect(leftovers.filter((name) => name.endsWith(".tmp") || name === ".gitignore")).toEqual([]);
      const rerun = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/applied|is at iteration 3/);
      const status = await dbgen(["--root", root, "status", "--module", "account-management"], { env });
      expect(status.stdout).toMatch(/applied 1, 2, 3; pending none/);
    },
    120_000,
  );
});

describe("an embedded folder holding files but no database, that cannot be written", () => {
  it("is WRITE_FAILED naming it, its files as they were, and the rerun makes the database over them", async () => {
    const root = await exampleProject();
    const env = { ...ENV, DATABASE_URL: "", SUPABASE_DB_URL: "" };
    const dataDir = join(root, ".pipeline/database/dev/account-management");
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, "postmaster.opts"), "left by a killed run\n");
    const thaw = await freeze(dataDir);
    const before = await treeOf(root);
    const failed = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
    const left = await readdir(dataDir);
    const after = await treeOf(root);
    await thaw();
    expect(failed.code, failed.stdout).toBe(2);
    expect(failed.stderr).toMatch(
      /^error WRITE_FAILED \S*account-management — Cannot create the embedded database in \S+ \(EPERM\)/m,
    );
    expect(left).toEqual(["postmaster.opts"]);
    expect(after).toEqual(before);
    const rerun = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    const status = await dbgen(["--root", root, "status", "--module", "account-management"], { env });
    expect(status.stdout).toMatch(/applied 1, 2, 3; pending none/);
  }, 120_000);
});

describe("a SIGKILL while a new embedded database is unpacked", () => {
  it("leaves no database, and the next command makes it whole and removes the leftover", async () => {
    const root = await exampleProject();
    const env = { ...ENV, DATABASE_URL: "", SUPABASE_DB_URL: "" };
    const args = ["--root", root, "generate", "--module", "account-management"];
    const killed = await dbgen(args, { env: { ...env, DBGEN_FAULT: "unpack:100" } });
    expect(killed.code, killed.stderr).toBe(128);
    const dev = join(root, ".pipeline/database/dev");
    expect((await readdir(dev)).filter((name) => name.endsWith(".tmp"))).toHaveLength(1);
    expect(existsSync(join(dev, "account-management", "PG_VERSION"))).toBe(false);
    const rerun = await dbgen(args, { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await readdir(dev)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const status = await dbgen(["--root", root, "status", "--module", "account-management"], { env });
    expect(status.stdout).toMatch(/applied 1, 2, 3; pending none/);
    expect(status.stdout).toMatch(/No drift/);
  }, 120_000);
});

describe("a generate that applied, then cannot write", () => {
  it("rolls the database back: files and database as before, and the rerun works", async () => {
    const root = await exampleProject();
    const env = { ...ENV, DATABASE_URL: "", SUPABASE_DB_URL: "" };
    const first = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
    expect(first.code, first.stderr).toBe(0);
    await editModule(root);
    const thaw = await freeze(join(root, ".pipeline/database/types/account-management"));
    const before = await treeOf(root);
    const failed = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
    await thaw();
    expect(failed.code, failed.stdout).toBe(2);
    expect(failed.stderr).toMatch(/^error WRITE_FAILED \S+ — Cannot write .+; nothing was written/m);
    expect(await treeOf(root)).toEqual(before);
    const status = await dbgen(["--root", root, "status", "--module", "account-management"], { env });
    expect(status.stdout).toMatch(/applied 1, 2, 3; pending none/);
    expect(status.stdout).toMatch(/No drift/);
    const rerun = await dbgen(["--root", root, "generate", "--module", "account-management"], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/applied iteration 4/);
  }, 120_000);
});

describe("a SIGKILL while publishing", () => {
  it("after the commit point: the next command completes the write, and the tree equals an uninterrupted run's", async () => {
    const clean = await exampleProject();
    expect((await dbgen(["--root", clean, "all"], { env: ENV })).code).toBe(0);
    const root = await exampleProject();
    const killed = await dbgen(["--root", root, "all"], { env: { ...ENV, DBGEN_FAULT: "publish:3" } });
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(root, ".pipeline/.dbgen-journal.json"))).toBe(true);
    const next = await dbgen(["--root", root, "validate"]);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/^dbgen: completed an interrupted write of \d+ file\(s\)/m);
    expect(await treeOf(root)).toEqual(await treeOf(clean));
  }, 120_000);

  it("while staging: the next command undoes it, and the tree is as before", async () => {
    const root = await exampleProject();
    const before = await treeOf(root);
    const killed = await dbgen(["--root", root, "all"], { env: { ...ENV, DBGEN_FAULT: "stage:4" } });
    expect(killed.code).not.toBe(0);
    expect(await treeOf(root)).not.toEqual(before);
    const next = await dbgen(["--root", root, "merge"], { env: ENV });
    expect(next.stderr).toMatch(/^dbgen: undid an interrupted write/m);
    expect(next.code).toBe(0);
    // What is there now is exactly what merge alone writes: nothing of the killed `all` remains.
    const clean = await exampleProject();
    expect((await dbgen(["--root", clean, "merge"], { env: ENV })).code).toBe(0);
    expect(await treeOf(root)).toEqual(await treeOf(clean));
  }, 120_000);
});

describe("two writers at once", () => {
  it("two generates of one module give exactly one new iteration; the second waits, then finds nothing to do", async () => {
    const root = await exampleProject();
    await editModule(root);
    const args = ["--root", root, "generate", "--module", "account-management", "--no-apply"];
    const [a, b] = await Promise.all([dbgen(args, { env: ENV }), dbgen(args, { env: ENV })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const migrations = await readdir(join(root, ".pipeline/database/migrations/prototype/account-management"));
    expect(migrations.filter((f) => f.includes("_iter4_"))).toHaveLength(1);
    expect(migrations.filter((f) => /_iter5_/.test(f))).toHaveLength(0);
    expect(`${a.stdout}${b.stdout}`).toMatch(/Nothing changed since iteration 4: nothing written\./);
  }, 60_000);

  it("a lock held by a running process is refused with LOCKED after the wait, naming the holder; a dead holder's lock is taken over", async () => {
    const root = await exampleProject();
    const lock = join(root, ".pipeline/.dbgen.lock");
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      await writeFile(
        lock,
        JSON.stringify({
          pid: sleeper.pid,
          host: hostname(),
          command: "generate --module billing",
          since: "2026-11-29T07:00:00.000Z",
        }),
      );
      const before = await treeOf(root);
      const refused = await dbgen(["--root", root, "merge"], { env: { DBGEN_LOCK_WAIT_MS: "300" } });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^error LOCKED \\.pipeline/\\.dbgen\\.lock — dbgen generate --module billing \\(pid ${sleeper.pid} on `,
          "m",
        ),
      );
      expect(await treeOf(root)).toEqual(before);
    } finally {
      sleeper.kill("SIGKILL");
    }
    await new Promise((resolve) => sleeper.once("exit", resolve));
    const taken = await dbgen(["--root", root, "merge"], { env: { DBGEN_LOCK_WAIT_MS: "300" } });
    expect(taken.code, taken.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 60_000);
});

describe("paths on the command line", () => {
  it("migrate --out lands where it says, absolute or relative to the current folder, not under --root", async () => {
    const root = await exampleProject();
    const elsewhere = await mkdtemp(join(tmpdir(), "dbgen-out-"));
    temps.push(elsewhere);
    const spec = join(elsewhere, "spec.json");
    await writeFile(
      spec,
      JSON.stringify({
        description: "create_notes",
        databaseType: "sqlite",
        tables: [{ name: "notes", columns: [{ name: "id", type: "TEXT", nullable: false }], primaryKey: ["id"] }],
      }),
    );

    const absolute = join(elsewhere, "abs-out");
    const abs = await dbgen(["--root", root, "migrate", spec, "--out", absolute]);
    expect(abs.code, abs.stderr).toBe(0);
    const written = /^wrote (.+)$/m.exec(abs.stdout)?.[1]?.split(", ") ?? [];
    expect(written).toHaveLength(2);
    for (const file of written) expect(existsSync(file) && file.startsWith(absolute)).toBe(true);

    const rel = await dbgen(["--root", root, "migrate", "spec.json", "--out", "rel-out"], { cwd: elsewhere });
    expect(rel.code, rel.stderr).toBe(0);
    const printed = /^wrote (.+)$/m.exec(rel.stdout)?.[1]?.split(", ") ?? [];
    expect(printed).toHaveLength(2);
    expect(printed.every((f) => f.startsWith("rel-out/"))).toBe(true);
    for (const file of printed) expect(existsSync(join(elsewhere, file))).toBe(true);
    expect(existsSync(join(root, "rel-out"))).toBe(false);
    expect(existsSync(join(root, elsewhere))).toBe(false);
    expect(relative(root, elsewhere).startsWith("..")).toBe(true);
  });
});

describe("errors never become silence", () => {
  it("a corrupt prototype state makes all exit 1 with INVALID_SNAPSHOT, and nothing is written", async () => {
    const root = await exampleProject();
    await writeFile(
      join(root, ".pipeline/database/state/prototype/master-view/iteration-2-schema.json"),
      '{ "format": ',
    );
    const before = await treeOf(root);
    const run = await dbgen(["--root", root, "all"], { env: ENV });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error INVALID_SNAPSHOT \.pipeline\/database\/state\/prototype\/master-view\/iteration-2-schema\.json — /m,
    );
    expect(await treeOf(root)).toEqual(before);
  });

  it("a corrupt production state stops all before anything is proven: INVALID_SNAPSHOT, nothing written", async () => {
    const root = await exampleProject();
    expect((await dbgen(["--root", root, "all"], { env: ENV })).code).toBe(0);
    expect((await dbgen(["--root", root, "harden"], { env: ENV })).code).toBe(0);
    await writeFile(join(root, ".pipeline/database/state/production/schema.json"), '{ "format": ');
    const before = await treeOf(root);
    const run = await dbgen(["--root", root, "all"], { env: ENV });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error INVALID_SNAPSHOT \.pipeline\/database\/state\/production\/schema\.json — /m);
    // Read and planned before the scratch database opened: the proof never started.
    expect(run.stderr + run.stdout).not.toMatch(/Proving the schemas/);
    expect(await treeOf(root)).toEqual(before);
  });

  it("a closed pipe (dbgen … | head -1) ends quietly, with every file complete", async () => {
    const root = await exampleProject();
    const { stdout, stderr } = await promisify(execFile)(
      "sh",
      ["-c", `"${process.execPath}" "${BIN}" --root "${root}" all | head -1; echo "exit=$?"`],
      { env: { ...process.env, ...ENV } },
    );
    expect(stderr).not.toMatch(/EPIPE|Error|error /);
    expect(stdout).toMatch(/^model: \d+ tables.*\nexit=0\n$/);
    const clean = await exampleProject();
    expect((await dbgen(["--root", clean, "all"], { env: ENV })).code).toBe(0);
    expect(await treeOf(root)).toEqual(await treeOf(clean));
  }, 120_000);

  it("control characters from the input are escaped in diagnostics", async () => {
    const root = await exampleProject();
    await writeFile(
      join(root, ".pipeline/factory-tools/busm-reader/busm-model.json"),
      '{ "busm": "1", "entities": { "Bad\\u001b[2JName": { "fields": {} } } }\n',
    );
    const run = await dbgen(["--root", root, "validate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/INVALID_NAME/);
    expect(run.stderr.includes(String.fromCharCode(27))).toBe(false);
    expect(run.stderr).toMatch(/\\u001b\[2J/);
  });
});
