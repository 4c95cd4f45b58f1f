/**
 * The prototype commands as a user runs them: real processes on temp projects, on the embedded
 * PGlite and on PostgreSQL 15.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";

const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const FIXTURES = join(REPO, "packages/prototype-generator/test/fixtures/account-management");
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const MODULE = ".pipeline/modules/account-management-phase1.yaml";
const adminUrl = inject("pgAdminUrl");
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
async function dbgen(root: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return promisify(execFile)(process.execPath, [BIN, "--root", root, ...args], {
    env: { ...process.env, NO_COLOR: "1", DATABASE_URL: "", SUPABASE_DB_URL: "", ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

async function project(busm?: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-proto-cli-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await mkdir(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  if (busm) await writeFile(join(root, BUSM), busm);
  else await cp(join(REPO, BUSM), join(root, BUSM));
  return root;
}
const fixture = (n: number) => readFile(join(FIXTURES, `iteration-${n}.yaml`), "utf8");
async function tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(join(root, ".pipeline"), { recursive: true })).sort()) {
    if (f.startsWith("database/dev")) continue;
    out[f] = await readFile(join(root, ".pipeline", f), "utf8").catch(() => "<dir>");
  }
  return out;
}

describe("dbgen generate on the embedded PGlite", () => {
  it("generates, applies, reports status, and refuses what it must", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(1));
    const first = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/CREATE TABLE accounts \(4 fields\)/);
    expect(first.stdout).toMatch(/applied iteration 1/);

    // Nothing changed: nothing written, and it says so.
    const before = await tree(root);
    const again = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toMatch(/Nothing changed since iteration 1: nothing written/);
    expect(await tree(root)).toEqual(before);

    // Changed, but still iteration 1 in the file: INVALID_ITERATION, nothing written.
    await writeFile(join(root, MODULE), (await fixture(2)).replace("iteration: 2", "iteration: 1"));
    const stale = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(
      /^error INVALID_ITERATION \.pipeline\/modules\/account-management-phase1\.yaml — Iteration 1 cannot be generated again.+Current state is iteration 1\. Fix: .*iteration: 2/m,
    );

    // A field removed: DESTRUCTIVE_CHANGE, nothing written or applied, unless allowed.
    await writeFile(
      join(root, MODULE),
      (await fixture(1))
        .replace("[id, name, type, status]", "[id, name, type]")
        .replace("iteration: 1", "iteration: 2"),
    );
    const snapshot = await tree(root);
    const destructive = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(destructive.code).toBe(1);
    expect(destructive.stderr).toMatch(
      /^error DESTRUCTIVE_CHANGE \.pipeline\/modules\/account-management-phase1\.yaml — Iteration 2 drops column accounts\.status/m,
    );
    expect(await tree(root)).toEqual(snapshot);
    const status = await dbgen(root, ["status", "--module", "account-management", "--json"]);
    expect(JSON.parse(status.stdout).result).toMatchObject({ generated: [1], applied: [1], pending: [], drift: [] });
    const allowed = await dbgen(root, ["generate", "--module", "account-management", "--allow-destructive"]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/applied iteration 2/);

    // An applied migration edited afterwards: CHECKSUM_MISMATCH.
    const migrations = join(root, ".pipeline/database/migrations/prototype/account-management");
    const [firstFile] = (await readdir(migrations)).sort();
    await appendFile(join(migrations, firstFile ?? ""), "\n-- edited by hand\n");
    const tampered = await dbgen(root, ["status", "--module", "account-management"]);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(
      /^error CHECKSUM_MISMATCH \.pipeline\/database\/migrations\/prototype\/account-management\/\d{14}_iter1_create_accounts\.sql — Iteration 1 of account-management was applied/m,
    );
  });

  it("keeps the data through a rename declared with renamedFrom", async () => {
    const busm = (await readFile(join(REPO, BUSM), "utf8")).replace(
      '"name": { "type": "string", "required": true, "description": "Legal or household name, as printed on invoices." }',
      '"display_name": { "type": "string", "required": true, "renamedFrom": "name" }',
    );
    const root = await project(
      busm
        .replace('"indexes": [{ "fields": ["name", "account_number"] }],', "")
        .replace('"unique": [["owner_id", "name"]],', ""),
    );
    // Iteration 1 with the old name: the BUSM before the rename.
    const original = await project();
    await writeFile(join(original, MODULE), await fixture(1));
    expect((await dbgen(original, ["generate", "--module", "account-management"])).code).toBe(0);
    await cp(join(original, ".pipeline/database"), join(root, ".pipeline/database"), { recursive: true });
    const { openDatabase } = await import("@dbgen/db");
    const devDir = join(root, ".pipeline/database/dev/account-management");
    const db = await openDatabase({ kind: "pglite", dataDir: devDir });
    await db.knex.raw("insert into public.accounts (name, type) values ('Kept', 'Commercial')");
    await db.close();
    await writeFile(
      join(root, MODULE),
      (await fixture(1))
        .replace("iteration: 1", "iteration: 2")
        .replace("[id, name, type, status]", "[id, display_name, type, status]"),
    );
    const renamed = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(/RENAME COLUMN accounts\.name TO display_name/);
    const after = await openDatabase({ kind: "pglite", dataDir: devDir });
    const { rows } = await after.knex.raw<{ rows: { display_name: string }[] }>(
      "select display_name from public.accounts",
    );
    await after.close();
    expect(rows).toEqual([{ display_name: "Kept" }]);
  });

  it("renames and narrows one column in one iteration on a table with rows (renamedFrom plus a shorter maxLength)", async () => {
    const busm = (await readFile(join(REPO, BUSM), "utf8")).replace(
      '"name": { "type": "string", "required": true, "description": "Legal or household name, as printed on invoices." }',
      '"display_name": { "type": "string", "maxLength": 8, "required": true, "renamedFrom": "name" }',
    );
    const root = await project(
      busm
        .replace('"indexes": [{ "fields": ["name", "account_number"] }],', "")
        .replace('"unique": [["owner_id", "name"]],', ""),
    );
    const original = await project();
    await writeFile(join(original, MODULE), await fixture(1));
    expect((await dbgen(original, ["generate", "--module", "account-management"])).code).toBe(0);
    await cp(join(original, ".pipeline/database"), join(root, ".pipeline/database"), { recursive: true });
    const { openDatabase } = await import("@dbgen/db");
    const devDir = join(root, ".pipeline/database/dev/account-management");
    const db = await openDatabase({ kind: "pglite", dataDir: devDir });
    await db.knex.raw("insert into public.accounts (name, type) values ('Kept', 'Commercial')");
    await db.knex.raw("insert into public.accounts (name, type) values ('Much too long', 'Commercial')");
    await db.close();
    await writeFile(
      join(root, MODULE),
      (await fixture(1))
        .replace("iteration: 1", "iteration: 2")
        .replace("[id, name, type, status]", "[id, display_name, type, status]"),
    );
    const refused = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/^error DESTRUCTIVE_CHANGE .*display_name/m);
    expect(refused.stderr).not.toMatch(/INTERNAL_ERROR/);
    // A value that does not fit stops it as any narrowing does, the database as before.
    const tooLong = await dbgen(root, ["generate", "--module", "account-management", "--allow-destructive"]);
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^error MIGRATION_FAILED .*value too long for type character varying\(8\)/m);
    const fix = await openDatabase({ kind: "pglite", dataDir: devDir });
    await fix.knex.raw("update public.accounts set name = 'Fits8chr' where name = 'Much too long'");
    await fix.close();
    const renamed = await dbgen(root, ["generate", "--module", "account-management", "--allow-destructive"]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(/RENAME COLUMN accounts\.name TO display_name/);
    const after = await openDatabase({ kind: "pglite", dataDir: devDir });
    const { rows } = await after.knex.raw<{ rows: { display_name: string }[] }>(
      "select display_name from public.accounts order by 1",
    );
    await after.close();
    expect(rows.map((r) => r.display_name)).toEqual(["Fits8chr", "Kept"]);
    // The rollback gives the old name and the whole value back.
    const back = await dbgen(root, ["rollback", "--module", "account-management", "--to", "1"]);
    expect(back.code, back.stderr).toBe(0);
    const restored = await dbgen(root, ["restore", "--module", "account-management"]);
    expect(restored.code, restored.stderr).toBe(0);
    const again = await openDatabase({ kind: "pglite", dataDir: devDir });
    const old = await again.knex.raw<{ rows: { name: string }[] }>("select name from public.accounts order by 1");
    await again.close();
    expect(old.rows.map((r) => r.name)).toEqual(["Fits8chr", "Kept"]);
  });

  it("rollback over two iterations, then restore: each iteration's rows go back as it is applied, none marked early", async () => {
    const busm = await readFile(join(REPO, BUSM), "utf8");
    const root = await project(busm);
    const moduleAt = (n: number, account: string, entities = "[Account]", more = "") =>
      `module: account-management\nphase: 1\niteration: ${n}\nentities: ${entities}\nfields:\n  Account: [${account}]\n${more}`;
    const step = async (text: string) => {
      await writeFile(join(root, MODULE), text);
      const run = await dbgen(root, ["generate", "--module", "account-management"]);
      expect(run.code, run.stderr).toBe(0);
    };
    const sql = async (query: string) => {
      const run = await dbgen(root, ["--json", "sql", "--module", "account-management", "-c", query, "--yes"]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).result.rows as Record<string, unknown>[];
    };
    await step(moduleAt(1, "id, name, type, status"));
    await sql("insert into public.accounts (name, type) values ('A', 'Commercial'), ('B', 'Residential')");
    await step(moduleAt(2, "id, name, type, status, email"));
    await sql("update public.accounts set email = lower(name) || '@example.com'");
    // Iteration 3 makes email required (it holds a value on every row now) and adds locations.
    await writeFile(
      join(root, BUSM),
      busm.replace('"email": { "type": "email" },', '"email": { "type": "email", "required": true },'),
    );
    await step(
      moduleAt(
        3,
        "id, name, type, status, email",
        "[Account, Location]",
        "  Location: [id, account_id, address]\nrelationships:\n  - { from: Location, to: Account, type: many-to-one, field: account_id }\n",
      ),
    );
    await sql(
      "insert into public.locations (account_id, address) select id, name || ' street' from public.accounts where name = 'A'",
    );
    const back = await dbgen(root, ["rollback", "--module", "account-management", "--to", "1"]);
    expect(back.code, back.stderr).toBe(0);
    const waiting =
      "select iteration, direction, source_table from dbgen.row_backups where restored_at is null order by iteration";

    // At iteration 1 nothing can go back yet: both backups are reported waiting, neither marked restored.
    const early = await dbgen(root, ["restore", "--module", "account-management"]);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toMatch(/accounts.*waits for iteration 2/);
    expect(early.stdout).toMatch(/locations.*waits for iteration 3/);
    expect(await sql(waiting)).toEqual([
      { iteration: 2, direction: "down", source_table: "accounts" },
      { iteration: 3, direction: "down", source_table: "locations" },
    ]);

    // apply --restore: iteration 2's emails are back before iteration 3 makes them required.
    const applied = await dbgen(root, ["apply", "--module", "account-management", "--restore"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await sql("select name, email from public.accounts order by name")).toEqual([
      { name: "A", email: "a@example.com" },
      { name: "B", email: "b@example.com" },
    ]);
    expect(await sql("select address from public.locations")).toEqual([{ address: "A street" }]);
    expect(await sql(waiting)).toEqual([]);
  });

  it("a forward narrowing's backup waits while the narrowing is applied, never blocking later restores, and goes back after its rollback", async () => {
    const busm = await readFile(join(REPO, BUSM), "utf8");
    const root = await project(busm);
    const moduleAt = (n: number, account: string) =>
      `module: account-management\nphase: 1\niteration: ${n}\nentities: [Account]\nfields:\n  Account: [${account}]\n`;
    const step = async (text: string, ...flags: string[]) => {
      await writeFile(join(root, MODULE), text);
      const run = await dbgen(root, ["generate", "--module", "account-management", ...flags]);
      expect(run.code, run.stderr).toBe(0);
    };
    const sql = async (query: string) => {
      const run = await dbgen(root, ["--json", "sql", "--module", "account-management", "-c", query, "--yes"]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).result.rows as Record<string, unknown>[];
    };
    await step(moduleAt(1, "id, name, type, status, credit_limit"));
    await sql("insert into public.accounts (name, type, credit_limit) values ('A', 'Commercial', 12.34)");
    // Iteration 2 narrows credit_limit to an integer (its values are saved first), iteration 3 adds email.
    await writeFile(
      join(root, BUSM),
      busm.replace(
        '"credit_limit": { "type": "decimal", "precision": 12, "scale": 2, "min": 0, "default": 0 }',
        '"credit_limit": { "type": "integer", "min": 0, "default": 0 }',
      ),
    );
    await step(moduleAt(2, "id, name, type, status, credit_limit"), "--allow-destructive");
    await step(moduleAt(3, "id, name, type, status, credit_limit, email"));
    await sql("update public.accounts set email = 'a@example.com'");
    expect((await dbgen(root, ["rollback", "--module", "account-management", "--to", "2"])).code).toBe(0);
    const restored = await dbgen(root, ["apply", "--module", "account-management", "--restore"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/accounts.*holds values from before iteration 2, which is applied/);
    expect(await sql("select email, credit_limit::text as credit from public.accounts")).toEqual([
      { email: "a@example.com", credit: "12" },
    ]);
    // Rolled back past the narrowing, the saved decimals go back.
    expect((await dbgen(root, ["rollback", "--module", "account-management", "--to", "1"])).code).toBe(0);
    expect((await dbgen(root, ["restore", "--module", "account-management"])).code).toBe(0);
    expect(await sql("select credit_limit::text as credit from public.accounts")).toEqual([{ credit: "12.34" }]);
  });

  it("status without --module summarises every module, and tells the modules' warnings in one line", async () => {
    const root = await project();
    await writeFile(
      join(root, MODULE),
      "module: account-management\nphase: 1\niteration: 1\nentities: [Account]\nfields:\n  Account: [id, { name: text }, type, status]\n",
    );
    const generated = await dbgen(root, ["generate", "--module", "account-management"]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).toMatch(/^warning TYPE_MISMATCH .*Account\.name is string in the BUSM but text here/m);
    await writeFile(
      join(root, ".pipeline/modules/contacts-phase1.yaml"),
      "module: contacts\nphase: 1\niteration: 1\nentities: [Contact]\nfields:\n  Contact: [id, first_name]\n",
    );
    const status = await dbgen(root, ["status"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^2 modules/m);
    expect(status.stdout).toMatch(/^ {2}account-management: generated up to iteration 1; .+ at iteration 1$/m);
    expect(status.stdout).toMatch(/^ {2}contacts: generated up to iteration 0; no database yet$/m);
    expect(status.stdout).toMatch(/^ {4}! .*contacts-phase1\.yaml asks for \d+ change\(s\) not generated yet/m);
    expect(status.stderr).not.toMatch(/Account\.name is string/);
    expect(status.stderr).toMatch(
      /^warning: 1 in \.pipeline\/modules\/account-management-phase1\.yaml \(TYPE_MISMATCH\)/m,
    );
    expect((await dbgen(root, ["status", "--exit-code"])).code).toBe(3);
    const json = JSON.parse((await dbgen(root, ["--json", "status"])).stdout);
    expect(json.result.modules.map((m: { module: string }) => m.module)).toEqual(["account-management", "contacts"]);
    expect(json.warnings.map((w: { code: string }) => w.code)).toContain("TYPE_MISMATCH");
  });

  it("a module adds a BUSM-required field to a table with rows: the error says what to do, and a backfill in the module file does it", async () => {
    const root = await project();
    const file = ".pipeline/modules/sites-phase1.yaml";
    const moduleAt = (n: number, fields: string) =>
      `module: sites\nphase: 1\niteration: ${n}\nentities: [Location]\nfields:\n  Location:\n${fields}`;
    await writeFile(join(root, file), moduleAt(1, "    - id\n    - city\n"));
    expect((await dbgen(root, ["generate", "--module", "sites"])).code).toBe(0);
    const sql = async (query: string) => {
      const run = await dbgen(root, ["--json", "sql", "--module", "sites", "-c", query, "--yes"]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).result.rows as Record<string, unknown>[];
    };
    await sql("insert into public.locations (city) values ('Springfield'), ('Shelbyville')");
    const before = await tree(root);

    // Without a backfill: refused by the database, naming the rows, the fix and the module file.
    await writeFile(join(root, file), moduleAt(2, "    - id\n    - city\n    - address\n"));
    const refused = await dbgen(root, ["generate", "--module", "sites"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error MIGRATION_FAILED .*locations\.address must become NOT NULL, but 2 row\(s\) hold NULL/m,
    );
    expect(refused.stderr).toMatch(/backfill \(\.pipeline\/modules\/sites-phase1\.yaml\)/);

    // A backfill that is not an allowed expression: INVALID_EXPRESSION at its place, nothing written.
    await writeFile(
      join(root, file),
      moduleAt(2, '    - id\n    - city\n    - address: { backfill: "(select rolpassword from pg_authid)" }\n'),
    );
    const bad = await dbgen(root, ["validate"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error INVALID_EXPRESSION \.pipeline\/modules\/sites-phase1\.yaml:9 fields\.Location\[2\]\.address\.backfill — .*holds a subquery/m,
    );

    await writeFile(
      join(root, file),
      moduleAt(2, "    - id\n    - city\n    - address: { backfill: \"'unknown'\" }\n"),
    );
    const filled = await dbgen(root, ["generate", "--module", "sites"]);
    expect(filled.code, filled.stderr).toBe(0);
    expect(await sql("select city, address from public.locations order by city")).toEqual([
      { city: "Shelbyville", address: "unknown" },
      { city: "Springfield", address: "unknown" },
    ]);
    expect(
      await sql(
        "select is_nullable from information_schema.columns where table_name = 'locations' and column_name = 'address'",
      ),
    ).toEqual([{ is_nullable: "NO" }]);
    const back = await dbgen(root, ["rollback", "--module", "sites"]);
    expect(back.code, back.stderr).toBe(0);
    await writeFile(join(root, file), moduleAt(1, "    - id\n    - city\n"));
    const discarded = await dbgen(root, ["discard", "--module", "sites"]);
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(await tree(root)).toEqual({ ...before, "modules/sites-phase1.yaml": moduleAt(1, "    - id\n    - city\n") });
  });

  it("warns about a type override and a missing entity, and builds them", async () => {
    const root = await project();
    await writeFile(
      join(root, MODULE),
      "module: account-management\nphase: 1\niteration: 1\nentities: [Account, Ghost]\nfields:\n  Account: [id, { name: text }]\n  Ghost: [id, { label: string }]\n",
    );
    const run = await dbgen(root, ["generate", "--module", "account-management", "--no-apply"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^warning TYPE_MISMATCH \.pipeline\/modules\/account-management-phase1\.yaml:6 fields\.Account\[1\] — Account\.name is string in the BUSM but text here/m,
    );
    expect(run.stderr).toMatch(/^warning MISSING_ENTITY .+:4 entities\[1\] — Entity Ghost is not in the BUSM/m);
    expect(run.stdout).toMatch(/CREATE TABLE ghosts \(2 fields\)/);
  });

  it("preview writes nothing and prints the plan and SQL", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(2));
    const before = await tree(root);
    const run = await dbgen(root, ["preview", "--module", "account-management", "--iteration", "1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CREATE TABLE public\.locations/);
    expect(run.stdout).toMatch(
      /ALTER TABLE public\.accounts ADD CONSTRAINT fk_accounts_primary_location_id FOREIGN KEY/,
    );
    expect(run.stdout).toMatch(/-- dbgen prototype rollback/);
    expect(await tree(root)).toEqual(before);
  });
});

describe.skipIf(!adminUrl)("dbgen on PostgreSQL 15", () => {
  it("refuses to touch a server without a terminal or --yes, and never prints a password", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(1));
    const database = await createTestDatabase(adminUrl);
    try {
      const url = database.url.replace("postgres@", "postgres:s3cret@");
      const refused = await dbgen(root, ["generate", "--module", "account-management", "--db", url]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error CONFIRMATION_REQUIRED — .+ Fix: pass --yes/m);
      expect(await readdir(join(root, ".pipeline"))).toEqual(["factory-tools", "modules"]);
      const unreachable = await dbgen(root, [
        "status",
        "--module",
        "account-management",
        "--db",
        "postgres://someone:s3cret@127.0.0.1:1/nowhere",
      ]);
      expect(unreachable.code).toBe(2);
      expect(unreachable.stderr).toMatch(
        /^error CONNECTION_ERROR — Cannot connect to postgres:\/\/127\.0\.0\.1:1\/nowhere/m,
      );
      expect(unreachable.stderr + unreachable.stdout).not.toContain("s3cret");
    } finally {
      await database.drop();
    }
  });

  it("dbgen sql -c: a read needs no --yes and runs read-only; a write still asks", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(1));
    const database = await createTestDatabase(adminUrl);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("create sequence public.counter");
      const sql = (command: string) =>
        dbgen(root, ["sql", "--module", "account-management", "--db", database.url, "-c", command]);
      const read = await sql("select 40 + 2 as answer");
      expect(read.code, read.stderr).toBe(0);
      expect(read.stdout).toMatch(/^ 42\s*$/m);
      // A read that reaches a write is refused by the server: the transaction is READ ONLY.
      const sneaky = await sql("select nextval('public.counter')");
      expect(sneaky.code).toBe(1);
      expect(sneaky.stderr).toMatch(/read-only transaction/);
      for (const write of ["create table t (id int)", "select 1 into t2", "select 1; create table t3 (id int)"]) {
        const refused = await sql(write);
        expect(refused.code, write).toBe(1);
        expect(refused.stderr, write).toMatch(/^error CONFIRMATION_REQUIRED — /m);
      }
      const { rows } = await client.query(
        "select (select count(*)::int from pg_class where relname in ('t', 't2', 't3')) as tables, (select last_value::int from public.counter) as counter, (select is_called from public.counter) as called",
      );
      expect(rows).toEqual([{ tables: 0, counter: 1, called: false }]);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it("renames and narrows one column in one iteration on a table with rows, and rolls it back and restores", async () => {
    const original = await readFile(join(REPO, BUSM), "utf8");
    const root = await project(
      original
        .replace('"indexes": [{ "fields": ["name", "account_number"] }],', "")
        .replace('"unique": [["owner_id", "name"]],', ""),
    );
    await writeFile(join(root, MODULE), await fixture(1));
    const database = await createTestDatabase(adminUrl);
    const client = new pg.Client({ connectionString: database.url });
    try {
      const on = ["--db", database.url, "--yes"];
      expect((await dbgen(root, ["generate", "--module", "account-management", ...on])).code).toBe(0);
      await client.connect();
      await client.query(
        "insert into public.accounts (name, type) values ('Kept', 'Commercial'), ('Fits8chr', 'Commercial')",
      );
      await writeFile(
        join(root, BUSM),
        (await readFile(join(root, BUSM), "utf8")).replace(
          '"name": { "type": "string", "required": true, "description": "Legal or household name, as printed on invoices." }',
          '"display_name": { "type": "string", "maxLength": 8, "required": true, "renamedFrom": "name" }',
        ),
      );
      await writeFile(
        join(root, MODULE),
        (await fixture(1))
          .replace("iteration: 1", "iteration: 2")
          .replace("[id, name, type, status]", "[id, display_name, type, status]"),
      );
      const renamed = await dbgen(root, ["generate", "--module", "account-management", "--allow-destructive", ...on]);
      expect(renamed.code, renamed.stderr).toBe(0);
      const after = await client.query("select display_name from public.accounts order by 1");
      expect(after.rows.map((r) => r.display_name)).toEqual(["Fits8chr", "Kept"]);
      const back = await dbgen(root, ["rollback", "--module", "account-management", "--to", "1", ...on]);
      expect(back.code, back.stderr).toBe(0);
      const restored = await dbgen(root, ["restore", "--module", "account-management", ...on]);
      expect(restored.code, restored.stderr).toBe(0);
      const old = await client.query("select name from public.accounts order by 1");
      expect(old.rows.map((r) => r.name)).toEqual(["Fits8chr", "Kept"]);
    } finally {
      await client.end().catch(() => {});
      await database.drop();
    }
  });

  it("two concurrent generate runs: exactly one applies, the history stays consistent", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(1));
    const database = await createTestDatabase(adminUrl);
    try {
      const env = { SOURCE_DATE_EPOCH: "1795600000" };
      const args = ["generate", "--module", "account-management", "--db", database.url, "--yes", "--json"];
      const runs = await Promise.all([dbgen(root, args, env), dbgen(root, args, env)]);
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const applied = runs.map((r) => (JSON.parse(r.stdout) as { result: { applied: number[] } }).result.applied);
      expect(applied.flat()).toEqual([1]);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query(
        "select iteration, direction, success from dbgen.migration_history order by id",
      );
      await client.end();
      expect(rows).toEqual([{ iteration: 1, direction: "up", success: true }]);
    } finally {
      await database.drop();
    }
  });

  it("a run killed with SIGKILL mid-migration leaves the previous iteration, and the next run succeeds", async () => {
    const root = await project();
    const database = await createTestDatabase(adminUrl);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await writeFile(join(root, MODULE), await fixture(1));
      expect(
        (await dbgen(root, ["generate", "--module", "account-management", "--db", database.url, "--yes"])).code,
      ).toBe(0);
      await writeFile(join(root, MODULE), await fixture(2));
      expect((await dbgen(root, ["generate", "--module", "account-management", "--no-apply"])).code).toBe(0);
      // Make iteration 2 slow, so the kill lands inside its transaction (it is not applied yet, so no checksum stands in the way).
      const dir = join(root, ".pipeline/database/migrations/prototype/account-management");
      const second = (await readdir(dir)).sort()[1] ?? "";
      // At the start: pg_stat_activity shows only the first 1024 bytes of a query.
      await writeFile(join(dir, second), `SELECT pg_sleep(2);\n${await readFile(join(dir, second), "utf8")}`);
      const child = spawn(
        process.execPath,
        [BIN, "--root", root, "apply", "--module", "account-management", "--db", database.url, "--yes"],
        { stdio: "ignore" },
      );
      for (let i = 0; i < 100; i++) {
        const { rows } = await client.query(
          "select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(2)%' and pid <> pg_backend_pid()",
        );
        if (rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(child.exitCode).toBeNull(); // still inside the migration
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const tables = async () =>
        (
          await client.query(
            "select table_name from information_schema.tables where table_schema = 'public' order by 1",
          )
        ).rows.map((r) => r.table_name);
      // Wait for the orphaned backend to end: its transaction never commits.
      for (let i = 0; i < 100; i++) {
        const { rows } = await client.query(
          "select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(2)%' and pid <> pg_backend_pid()",
        );
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await tables()).toEqual(["accounts"]);
      const history = (await client.query("select iteration, success from dbgen.migration_history order by id")).rows;
      expect(history).toEqual([{ iteration: 1, success: true }]);
      const next = await dbgen(root, ["apply", "--module", "account-management", "--db", database.url, "--yes"]);
      expect(next.code).toBe(0);
      expect(await tables()).toEqual(["accounts", "locations"]);
    } finally {
      await client.end();
      await database.drop();
    }
  });

  it("harden writes production once, and apply --stage production brings a server to it", async () => {
    const root = await project();
    await cp(join(REPO, ".pipeline/modules"), join(root, ".pipeline/modules"), { recursive: true });
    await cp(join(REPO, ".pipeline/database/state/prototype"), join(root, ".pipeline/database/state/prototype"), {
      recursive: true,
    });
    // While prototyping, all writes no production file: production starts when someone asks for it.
    const early = await dbgen(root, ["all"]);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toMatch(/^harden: not yet — production starts with dbgen harden/m);
    expect(existsSync(join(root, ".pipeline/database/production"))).toBe(false);
    expect(existsSync(join(root, "supabase/migrations"))).toBe(false);
    const first = await dbgen(root, ["harden"], { SOURCE_DATE_EPOCH: "1795900000" });
    expect(first.code).toBe(0);
    // A first install: one file, one transaction (no table holds a row yet).
    expect(first.stdout).toMatch(/new migrations: 20261128210640_first_install/);
    const files = (await readdir(join(root, "supabase/migrations"))).sort();
    expect(files).toEqual(["20261128210640_first_install.sql"]);
    const again = await dbgen(root, ["harden"]);
    expect(again.stdout).toMatch(/no new migration: production is unchanged/);
    expect((await readdir(join(root, "supabase/migrations"))).sort()).toEqual(files);
    // From then on, all keeps production up to date.
    const kept = await dbgen(root, ["all"]);
    expect(kept.stdout).toMatch(/^harden: \d+ tables, proven on PGlite/m);
    expect((await readdir(join(root, "supabase/migrations"))).sort()).toEqual(files);
    const database = await createTestDatabase(adminUrl);
    try {
      const applied = await dbgen(root, ["apply", "--stage", "production", "--db", database.url, "--yes"]);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain(`has ${files.length} of ${files.length} production migrations`);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query(
        "select count(*)::int as n from pg_tables where schemaname = 'public' and rowsecurity",
      );
      await client.end();
      expect(rows).toEqual([{ n: 7 }]);
    } finally {
      await database.drop();
    }
    // A later change that makes a field required with nothing to fill it is told before it is written.
    const busm = await readFile(join(root, BUSM), "utf8");
    await writeFile(
      join(root, BUSM),
      busm.replace(
        '"notes": { "type": "text" }',
        '"notes": { "type": "text" },\n        "region": { "type": "string", "required": true }',
      ),
    );
    const told = await dbgen(root, ["harden"]);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr).toMatch(
      /^warning NEEDS_BACKFILL \.pipeline\/production-backfill\.yaml — \d{14}_production_change makes accounts\.region required on a table that may hold rows/m,
    );
  });

  it("explains a database ahead of the state files instead of guessing", async () => {
    const root = await project();
    await writeFile(join(root, MODULE), await fixture(1));
    expect((await dbgen(root, ["generate", "--module", "account-management"])).code).toBe(0);
    await writeFile(join(root, MODULE), await fixture(2));
    expect((await dbgen(root, ["generate", "--module", "account-management"])).code).toBe(0);
    // Iteration 2's files are lost (a checkout of an older commit, say); the database still has it.
    for (const dir of [
      "migrations/prototype/account-management",
      "rollbacks/prototype/account-management",
      "state/prototype/account-management",
      "types/account-management",
    ]) {
      for (const f of await readdir(join(root, ".pipeline/database", dir)))
        if (/iter(ation-)?2/.test(f)) await rm(join(root, ".pipeline/database", dir, f));
    }
    for (const command of [["status"], ["apply"], ["rollback"]]) {
      const run = await dbgen(root, [...command, "--module", "account-management"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^error INVALID_ITERATION — The database is at iteration 2 of account-management, ahead of the files, which stop at iteration 1\. Fix: restore/m,
      );
    }
  });
});
