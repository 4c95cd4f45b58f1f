/**
 * Branches (spec §5) with real git: two branches each generate and apply iterations of the team app's
 * module; each branch keeps its own embedded database and rows across switches; after `git merge`,
 * `dbgen rebase` gives one linear history whose migrations build on a new PostgreSQL 15 exactly what
 * the merged wish builds from scratch; a second rebase is a no-op; a pair that changes the same column
 * two ways is refused naming it, with the tree unchanged.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { introspectPostgres, openDatabase } from "@dbgen/db";
import { physicalShape } from "@dbgen/schema-core";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { afterAll, describe, expect, inject, it } from "vitest";
import { dbgen, REPO, type Run, treeOf } from "./helpers.js";

const adminUrl = inject("pgAdminUrl");
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const MODULE = ".pipeline/modules/teams-phase1.yaml";
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

async function git(root: string, ...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.test" };
  const all = { ...env, GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.test" };
  return (await promisify(execFile)("git", ["-C", root, ...args], { env: all })).stdout;
}
/** `git merge` that may stop on conflicts (it exits 1 then): the merge stays in progress. */
const merge = (root: string, branch: string) => git(root, "merge", "--no-edit", branch).catch(() => "conflicts");

type Busm = { entities: Record<string, { fields: Record<string, unknown> }> };
async function editModel(root: string, entity: string, field: string, spec: unknown, iteration: number) {
  const model = JSON.parse(await readFile(join(root, BUSM), "utf8")) as Busm;
  (model.entities[entity] as { fields: Record<string, unknown> }).fields[field] = spec;
  await writeFile(join(root, BUSM), `${JSON.stringify(model, null, 2)}\n`);
  const text = await readFile(join(root, MODULE), "utf8");
  await writeFile(
    join(root, MODULE),
    text
      .replace(/^iteration: \d+/m, `iteration: ${iteration}`)
      .replace(new RegExp(`^(  ${entity}: \\[.*)\\]$`, "m"), `$1, ${field}]`),
  );
}

async function project(): Promise<{ root: string; run: (...args: string[]) => Promise<Run> }> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-branches-"));
  temps.push(root);
  await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
  await git(root, "init", "-q", "-b", "main");
  const run = (...args: string[]) => dbgen(["--root", root, ...args]);
  expect((await run("generate", "--module", "teams")).code).toBe(0);
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "iteration 1");
  return { root, run };
}

const ok = async (result: Promise<Run>): Promise<Run> => {
  const r = await result;
  expect(r.code, r.stderr).toBe(0);
  return r;
};

describe("iterations on git branches", () => {
  it("each branch its own embedded rows; merge + rebase make one history equal to the merged wish", async () => {
    const { root, run } = await project();
    await git(root, "checkout", "-qb", "a");
    await editModel(root, "Project", "description", { type: "text" }, 2);
    await ok(run("generate", "--module", "teams"));
    await ok(run("sql", "--module", "teams", "-c", "insert into organizations (name) values ('made on a')"));
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "a: iteration 2");

    await git(root, "checkout", "-q", "main");
    await git(root, "checkout", "-qb", "b");
    await editModel(root, "Message", "pinned", { type: "boolean", default: false }, 2);
    // b was cut from main: its own database, not a's (which is at iteration 2 with a's column).
    await ok(run("generate", "--module", "teams"));
    expect((await ok(run("sql", "--module", "teams", "-c", "select count(*) from organizations"))).stdout).toMatch(
      /\b0\b/,
    );
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "b: iteration 2");

    await git(root, "checkout", "-q", "a");
    const status = await ok(run("status", "--module", "teams"));
    expect(status.stdout).toMatch(/applied 1, 2; pending none/);
    expect((await ok(run("sql", "--module", "teams", "-c", "select name from organizations"))).stdout).toContain(
      "made on a",
    );

    expect(await merge(root, "b")).toBe("conflicts");
    // The model and module files are the team's to merge (the wish); the generated ones are dbgen's.
    const modelOfA = JSON.parse(await git(root, "show", `a:${BUSM}`)) as Busm;
    (modelOfA.entities.Message as { fields: Record<string, unknown> }).fields.pinned = {
      type: "boolean",
      default: false,
    };
    await writeFile(join(root, BUSM), `${JSON.stringify(modelOfA, null, 2)}\n`);
    const diverged = await run("status", "--module", "teams");
    expect(diverged.code).toBe(1);
    expect(diverged.stderr).toMatch(/diverged on two branches.*dbgen rebase --module teams/);

    const rebased = await ok(run("rebase", "--module", "teams"));
    expect(rebased.stdout).toContain("kept iterations 1, 2; merged-in 2 → 3");
    expect(await git(root, "grep", "-l", "^<<<<<<<", "--", ".pipeline").catch(() => "")).toBe("");
    expect(await readFile(join(root, MODULE), "utf8")).toMatch(/^iteration: 3$/m);
    await ok(run("apply", "--module", "teams"));
    expect((await ok(run("sql", "--module", "teams", "-c", "select name from organizations"))).stdout).toContain(
      "made on a",
    );
    // Nothing left between the files and the wish, and a second rebase is a no-op.
    expect((await ok(run("generate", "--module", "teams"))).stdout).toMatch(/Nothing changed since iteration 3/);
    const before = await treeOf(root);
    expect((await ok(run("rebase", "--module", "teams"))).stdout).toContain("already linear: nothing written");
    expect(await treeOf(root)).toEqual(before);
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "merge b");
    expect((await ok(run("rebase", "--module", "teams"))).stdout).toContain("already linear: nothing written");

    if (!adminUrl) return;
    // The linear history on a new PostgreSQL 15 = the merged wish generated from scratch.
    const scratch = await mkdtemp(join(tmpdir(), "dbgen-branches-scratch-"));
    temps.push(scratch);
    await cp(join(REPO, "tooling/fixtures/team-app"), scratch, { recursive: true });
    await writeFile(join(scratch, BUSM), await readFile(join(root, BUSM), "utf8"));
    await writeFile(
      join(scratch, MODULE),
      (await readFile(join(root, MODULE), "utf8")).replace(/^iteration: \d+/m, "iteration: 1"),
    );
    const shapes = [];
    for (const [dir, args] of [
      [root, ["apply", "--module", "teams"]],
      [scratch, ["generate", "--module", "teams"]],
    ] as const) {
      const db = await createTestDatabase(adminUrl);
      try {
        await ok(dbgen(["--root", dir, ...args, "--db", db.url, "--yes"]));
        const open = await openDatabase({ kind: "postgres", url: db.url });
        try {
          shapes.push(physicalShape(await introspectPostgres(open.knex)));
        } finally {
          await open.close();
        }
      } finally {
        await db.drop();
      }
    }
    expect(shapes[0]).toEqual(shapes[1]);
  }, 180_000);

  it("refuses a merge whose branches changed the same column two ways, naming it, the tree unchanged", async () => {
    const { root, run } = await project();
    await git(root, "checkout", "-qb", "a");
    await editModel(root, "Project", "note", { type: "text" }, 2);
    await ok(run("generate", "--module", "teams"));
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "a: note is text");
    await git(root, "checkout", "-q", "main");
    await git(root, "checkout", "-qb", "b");
    await editModel(root, "Project", "note", { type: "string", maxLength: 40 }, 2);
    await ok(run("generate", "--module", "teams"));
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "b: note is varchar(40)");
    await git(root, "checkout", "-q", "a");
    await merge(root, "b");
    await writeFile(join(root, BUSM), await git(root, "show", `a:${BUSM}`));
    await writeFile(join(root, MODULE), await git(root, "show", `a:${MODULE}`));
    const before = await treeOf(root);
    const refused = await run("rebase", "--module", "teams");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/MERGE_CONFLICT .*both change projects\.note/);
    expect(await treeOf(root)).toEqual(before);
  }, 120_000);
});

describe("dbgen rebase where there is nothing to rebase", () => {
  it("outside git refuses naming why; with no merge says so; a model left in conflict is refused; nothing written", async () => {
    const plain = await mkdtemp(join(tmpdir(), "dbgen-branches-plain-"));
    temps.push(plain);
    await cp(join(REPO, "tooling/fixtures/team-app"), plain, { recursive: true });
    const before = await treeOf(plain);
    const outside = await dbgen(["--root", plain, "rebase", "--module", "teams"]);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/INVALID_CONFIG .*not in a git repository/);
    expect(await treeOf(plain)).toEqual(before);

    const { root, run } = await project();
    expect((await ok(run("rebase", "--module", "teams"))).stdout).toMatch(/no merge to rebase/);
    await writeFile(join(root, BUSM), `<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> b\n`);
    const unchanged = await treeOf(root);
    const conflicted = await run("rebase", "--module", "teams");
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr).toMatch(/PARSE_ERROR/);
    expect(await treeOf(root)).toEqual(unchanged);
  }, 60_000);
});

describe("an embedded database made before branches had their own", () => {
  it("is taken over, rows and all, by the first branch that opens it", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-branches-legacy-"));
    temps.push(root);
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    const run = (...args: string[]) => dbgen(["--root", root, ...args]);
    // Outside git: the database lives in dev/teams, as before.
    await ok(run("generate", "--module", "teams"));
    await ok(run("sql", "--module", "teams", "-c", "insert into organizations (name) values ('kept')"));
    await git(root, "init", "-q", "-b", "main");
    const status = await ok(run("status", "--module", "teams"));
    expect(status.stdout).toMatch(/dev\/branches\/main\/teams\): applied 1; pending none/);
    expect((await ok(run("sql", "--module", "teams", "-c", "select name from organizations"))).stdout).toContain(
      "kept",
    );
  }, 60_000);
});
