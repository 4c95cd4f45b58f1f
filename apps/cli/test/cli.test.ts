/**
 * The CLI as a user meets it: a real process on small project trees written to a temp dir.
 * Every bad input exits 1 with its code, file, line and path in the spec's format, and writes nothing.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const EXAMPLE_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function dbgen(args: readonly string[]): Promise<Run> {
  return promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: "1" } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/** A project tree in a temp dir: the BUSM text and module files. */
async function project(busm: string, modules: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-cli-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await writeFile(join(root, BUSM), busm);
  for (const [name, text] of Object.entries(modules)) await writeFile(join(root, ".pipeline/modules", name), text);
  return root;
}

async function listing(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).sort();
}

const good = (fields: string) => `{
  "busm": "1",
  "entities": {
    "Account": {
      "access": { "mode": "authenticated" },
      "fields": {
${fields}
      }
    }
  }
}
`;

const BAD_INPUTS: {
  name: string;
  code: string;
  busm: string;
  line: number;
  path?: string;
  modules?: Record<string, string>;
  file?: string;
}[] = [
  {
    name: "malformed JSON",
    code: "PARSE_ERROR",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "Account": { "fields": { "name": { "type": "string" } }\n',
    line: 5,
  },
  {
    name: "unknown type",
    code: "UNKNOWN_TYPE",
    busm: good('        "name": { "type": "strng" }'),
    line: 7,
    path: "entities.Account.fields.name.type",
  },
  {
    name: "reference to a missing entity",
    code: "INVALID_FOREIGN_KEY",
    busm: good('        "owner_id": { "type": "uuid", "references": "Owner" }'),
    line: 7,
    path: "entities.Account.fields.owner_id.references",
  },
  {
    name: "a system column with another type",
    code: "RESERVED_COLUMN",
    busm: good('        "version": { "type": "string" }'),
    line: 7,
    path: "entities.Account.fields.version.type",
  },
  {
    name: "soft delete's column as a boolean",
    code: "RESERVED_COLUMN",
    busm: good('        "deleted_at": { "type": "boolean" }'),
    line: 7,
    path: "entities.Account.fields.deleted_at.type",
  },
  {
    name: "an owner column that is not a user id",
    code: "INVALID_CONFIG",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "Account": {\n      "access": { "mode": "owner", "column": "owner_email" },\n      "fields": { "owner_email": { "type": "email" } }\n    }\n  }\n}\n',
    line: 5,
    path: "entities.Account.access.column",
  },
  {
    name: "a literal default that does not fit its type",
    code: "INVALID_EXPRESSION",
    busm: good('        "score": { "type": "integer", "default": "abc" }'),
    line: 7,
    path: "entities.Account.fields.score.default",
  },
  {
    name: "a vector without dimensions",
    code: "INVALID_CONFIG",
    busm: good('        "embedding": { "type": "vector" }'),
    line: 7,
    path: "entities.Account.fields.embedding.type",
  },
  {
    name: "an array of json",
    code: "INVALID_CONFIG",
    busm: good('        "data": { "type": "json", "array": true }'),
    line: 7,
    path: "entities.Account.fields.data.array",
  },
  {
    name: "identity on a non-integer",
    code: "INVALID_CONFIG",
    busm: good('        "code": { "type": "string", "identity": true }'),
    line: 7,
    path: "entities.Account.fields.code.identity",
  },
  {
    name: "a generated column over another table",
    code: "INVALID_EXPRESSION",
    busm: good(
      '        "title": { "type": "text" },\n        "search": { "type": "tsvector", "generated": { "sql": "to_tsvector(\'english\', other.title)" } }',
    ),
    line: 8,
    path: "entities.Account.fields.search.generated.sql",
  },
  {
    name: "a check calling a function off the allow-list",
    code: "INVALID_EXPRESSION",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "Account": {\n      "access": { "mode": "authenticated" },\n      "checks": [{ "name": "a_check", "sql": "pg_read_file(a) <> \'\'" }],\n      "fields": { "a": { "type": "text" } }\n    }\n  }\n}\n',
    line: 6,
    path: "entities.Account.checks[0].sql",
  },
  {
    name: "a profile whose key does not reference auth.users",
    code: "INVALID_CONFIG",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "Profile": {\n      "profile": true,\n      "access": { "mode": "authenticated" },\n      "fields": { "id": { "type": "uuid", "primaryKey": true } }\n    }\n  }\n}\n',
    line: 5,
    path: "entities.Profile.profile",
  },
  {
    name: "duplicate key",
    code: "DUPLICATE_KEY",
    busm: good('        "name": { "type": "string" },\n        "name": { "type": "text" }'),
    line: 8,
    path: "entities.Account.fields.name",
  },
  {
    name: "invalid entity name",
    code: "INVALID_NAME",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "account_thing": { "fields": {} }\n  }\n}\n',
    line: 4,
    path: "entities.account_thing",
  },
  {
    name: "invalid field name",
    code: "INVALID_NAME",
    busm: good('        "Name": { "type": "string" }'),
    line: 7,
    path: "entities.Account.fields.Name",
  },
  {
    name: "two entities, one table",
    code: "DUPLICATE_TABLE",
    busm: '{\n  "busm": "1",\n  "entities": {\n    "Thing": { "table": "things", "fields": {} },\n    "Other": { "table": "things", "fields": {} }\n  }\n}\n',
    line: 5,
    path: "entities.Other.table",
  },
  {
    name: "malformed module YAML",
    code: "PARSE_ERROR",
    busm: good('        "name": { "type": "string" }'),
    // The parser reports where the closing bracket was due: the end of the file.
    modules: { "crm-phase1.yaml": "module: crm\nphase: 1\nentities: [Account\n" },
    file: ".pipeline/modules/crm-phase1.yaml",
    line: 4,
  },
  {
    name: "duplicate key in a module",
    code: "DUPLICATE_KEY",
    busm: good('        "name": { "type": "string" }'),
    modules: { "crm-phase1.yaml": "module: crm\nphase: 1\nentities: [Account]\nphase: 2\n" },
    file: ".pipeline/modules/crm-phase1.yaml",
    line: 4,
  },
  {
    name: "module field without a type",
    code: "UNKNOWN_FIELD",
    busm: good('        "name": { "type": "string" }'),
    modules: {
      "crm-phase1.yaml": "module: crm\nphase: 1\nentities: [Account]\nfields:\n  Account: [id, name, nickname]\n",
    },
    file: ".pipeline/modules/crm-phase1.yaml",
    line: 5,
    path: "fields.Account[2]",
  },
  {
    name: "module name that differs from its file",
    code: "INVALID_CONFIG",
    busm: good('        "name": { "type": "string" }'),
    modules: { "crm-phase1.yaml": "module: sales\nphase: 1\nentities: [Account]\n" },
    file: ".pipeline/modules/crm-phase1.yaml",
    line: 1,
    path: "module",
  },
];

describe("dbgen validate on bad input", () => {
  it.each(BAD_INPUTS)("$name → $code", async (c) => {
    const root = await project(c.busm, c.modules);
    const before = await listing(root);
    for (const command of ["validate", "all"]) {
      const run = await dbgen(["--root", root, command]);
      expect(run.code).toBe(1);
      const file = c.file ?? BUSM;
      const place = `${file}:${c.line}${c.path ? ` ${c.path}` : ""}`;
      expect(run.stderr).toMatch(
        new RegExp(`^error ${c.code} ${place.replaceAll(/[.[\]]/g, "\\$&")} — .+\\. Fix: .+$`, "m"),
      );
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await listing(root)).toEqual(before); // nothing written
  });

  it("--json gives one object with the errors", async () => {
    const root = await project(good('        "name": { "type": "strng" }'));
    const run = await dbgen(["--root", root, "--json", "validate"]);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as {
      ok: boolean;
      command: string;
      errors: { code: string; line: number; file: string }[];
      warnings: unknown[];
    };
    expect(out).toMatchObject({
      ok: false,
      command: "validate",
      errors: [{ code: "UNKNOWN_TYPE", file: BUSM, line: 7 }],
    });
  });

  it("a missing BUSM names the path and the fix", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-cli-"));
    temps.push(root);
    const run = await dbgen(["--root", root, "validate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error INVALID_CONFIG .+busm-model\.json — No BUSM model at .+ Fix: .*--root/m);
  });
});

describe("dbgen on the example", () => {
  it("validates with its warnings and exit 0", async () => {
    const run = await dbgen(["--root", EXAMPLE_ROOT, "validate"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/valid: 12 entities \(13 tables\), 3 module files/);
    expect(run.stderr).toMatch(/^warning RESERVED_KEYWORD .+:\d+ entities\.Service\.fields\.group — /m);
    expect(run.stderr).toMatch(/^warning NO_ACCESS_MODE .+:\d+ entities\.InvoiceLine — /m);
  });
  it("--help and --version exit 0", async () => {
    const help = await dbgen(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate");
    const version = await dbgen(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
  });
  it("an unknown command exits 1", async () => {
    expect((await dbgen(["frobnicate"])).code).toBe(1);
  });
  it("all writes the model's schema, types and snapshot, the same bytes every time", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-cli-"));
    temps.push(root);
    await cp(join(EXAMPLE_ROOT, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), { recursive: true });
    await cp(join(EXAMPLE_ROOT, ".pipeline/modules"), join(root, ".pipeline/modules"), { recursive: true });
    const first = await dbgen(["--root", root, "all"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied and read back on PGlite/);
    const read = (f: string) => readFile(join(root, ".pipeline/database/model", f), "utf8");
    const sql = await read("schema.sql");
    expect(sql).toContain("CREATE TABLE public.accounts (");
    expect(await read("database.types.ts")).toContain("export type Database = {");
    const second = await dbgen(["--root", root, "all"]);
    expect(second.stdout).toMatch(/unchanged \.pipeline\/database\/model\/schema\.sql/);
    expect(await read("schema.sql")).toBe(sql);
  });
});

/** Two modules' states that declare accounts.score (a field the BUSM lacks) as uuid and as integer. */
async function conflictingModules(): Promise<string> {
  const busm = good('        "name": { "type": "string" }');
  const root = await project(busm);
  const stateDir = (m: string) => join(root, ".pipeline/database/state/prototype", m);
  const column = (type: Record<string, unknown>) => ({ name: "score", type, nullable: true });
  const snapshot = (type: Record<string, unknown>) =>
    JSON.stringify({
      formatVersion: 1,
      id: "x",
      parentId: null,
      meta: {},
      schema: {
        name: "public",
        enums: [],
        tables: [
          {
            name: "accounts",
            entity: "Account",
            columns: [{ name: "id", type: { name: "uuid" }, nullable: false }, column(type)],
            primaryKey: { name: "accounts_pkey", columns: ["id"] },
            foreignKeys: [],
            uniques: [],
            checks: [],
            indexes: [],
          },
        ],
      },
    });
  for (const [m, type] of [
    ["crm", { name: "uuid" }],
    ["billing", { name: "integer" }],
  ] as const) {
    await mkdir(stateDir(m), { recursive: true });
    await writeFile(join(stateDir(m), "iteration-1-schema.json"), snapshot(type));
  }
  return root;
}

describe("dbgen merge", () => {
  it("refuses a conflict with exit 1, every module named, and nothing written", async () => {
    const root = await conflictingModules();
    const before = await listing(root);
    const run = await dbgen(["--root", root, "merge"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error MERGE_CONFLICT accounts\.score — accounts\.score: a field the BUSM lacks, declared with different types \(integer in billing, uuid in crm\); modules involved: billing, crm\. Fix: add to \.pipeline\/merge-resolutions\.yaml/m,
    );
    expect(await listing(root)).toEqual(before);
    await writeFile(
      join(root, ".pipeline/merge-resolutions.yaml"),
      "resolutions:\n  - { table: accounts, column: score, type: text, reason: both hold text }\n",
    );
    const resolved = await dbgen(["--root", root, "merge"]);
    expect(resolved.code).toBe(0);
    expect(await readFile(join(root, ".pipeline/database/merge-report.md"), "utf8")).toContain("resolution-file");
  });
  it("names the resolutions file the configuration moved, and reads the resolution from there", async () => {
    const root = await conflictingModules();
    await writeFile(
      join(root, "dbgen.config.json"),
      JSON.stringify({ paths: { resolutions: "decisions/merge.yaml" } }),
    );
    const run = await dbgen(["--root", root, "merge"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error MERGE_CONFLICT accounts\.score .* Fix: add to decisions\/merge\.yaml: /m);
    expect(run.stderr).not.toContain("merge-resolutions.yaml");
    await mkdir(join(root, "decisions"), { recursive: true });
    await writeFile(
      join(root, "decisions/merge.yaml"),
      "resolutions:\n  - { table: accounts, column: score, type: text, reason: both hold text }\n",
    );
    const resolved = await dbgen(["--root", root, "merge"]);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(await readFile(join(root, ".pipeline/database/merge-report.md"), "utf8")).toContain("resolution-file");
  });
});

describe("dbgen concept", () => {
  it.skipIf(!existsSync("/usr/bin/chromium"))(
    "writes the Markdown, the offline page and, with --svg, one SVG per diagram",
    async () => {
      const root = await mkdtemp(join(tmpdir(), "dbgen-cli-"));
      temps.push(root);
      await cp(join(EXAMPLE_ROOT, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), {
        recursive: true,
      });
      await cp(join(EXAMPLE_ROOT, ".pipeline/modules"), join(root, ".pipeline/modules"), { recursive: true });
      const run = await dbgen(["--root", root, "concept", "--svg"]);
      expect(run.code).toBe(0);
      const files = (await readdir(join(root, ".pipeline/docs/concept"))).sort();
      expect(files).toEqual([
        "account-management.md",
        "account-management.svg",
        "busm.md",
        "busm.svg",
        "index.html",
        "master-view.md",
        "master-view.svg",
        "service-scheduler.md",
        "service-scheduler.svg",
      ]);
      expect(await readFile(join(root, ".pipeline/docs/concept/busm.svg"), "utf8")).toMatch(/^<svg[^>]*>.*WorkOrder/s);
      const html = await readFile(join(root, ".pipeline/docs/concept/index.html"), "utf8");
      expect(html).not.toMatch(/<script[^>]+src=|https?:\/\/cdn/); // offline: everything inline
    },
  );
});

describe("dbgen migrate", () => {
  it("writes seed 004's file and types, reads an existing SQLite file, and refuses an invalid spec", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-cli-"));
    temps.push(root);
    const spec = {
      description: "create_users_table",
      databaseType: "sqlite",
      tables: [
        {
          name: "users",
          columns: [
            { name: "id", type: "TEXT", nullable: false },
            { name: "email", type: "TEXT", nullable: false, unique: true },
          ],
          primaryKey: ["id"],
        },
      ],
    };
    await writeFile(join(root, "spec.json"), JSON.stringify(spec));
    const run = await dbgen(["--root", root, "migrate", join(root, "spec.json"), "--existing-db", "missing.db"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^CREATE +users$/m);
    const dir = join(root, ".pipeline/database/migrations/sqlite");
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(await readFile(join(dir, files[0] ?? ""), "utf8")).toMatch(
      /-- Operation: CREATE\n\n-- UP MIGRATION\n[\s\S]+CREATE TABLE IF NOT EXISTS "users"[\s\S]+-- DOWN MIGRATION\n[\s\S]+DROP TABLE IF EXISTS "users"/,
    );
    await writeFile(
      join(root, "bad.json"),
      JSON.stringify({
        ...spec,
        tables: [
          {
            name: "Users",
            columns: [
              { name: "id", type: "TEXT", nullable: false },
              { name: "id", type: "TEXT", nullable: false },
            ],
          },
        ],
      }),
    );
    const bad = await dbgen(["--root", root, "migrate", join(root, "bad.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error INVALID_TABLE_NAME .+ Users — /m);
    expect(bad.stderr).toMatch(/^error DUPLICATE_COLUMN .+ Users\.id — /m);
    expect(bad.stderr).toMatch(/^error MISSING_PRIMARY_KEY /m);
  });
});
