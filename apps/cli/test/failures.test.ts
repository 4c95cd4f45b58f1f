/**
 * Prototype mode when something fails: a refused apply leaves the tree and the database as they
 * were; a typo'd entity is named with a suggestion and cannot reach production; never-applied
 * iterations can be discarded; CI can ask whether anything is left to do.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { afterAll, describe, expect, inject, it } from "vitest";
import { BIN, copyExample, dbgen, REPO, treeOf } from "./helpers.js";

const adminUrl = inject("pgAdminUrl");

const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const MODULE = ".pipeline/modules/account-management-phase1.yaml";
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

async function project(moduleText: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-failures-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await cp(join(REPO, BUSM), join(root, BUSM));
  await writeFile(join(root, MODULE), moduleText);
  return root;
}
const moduleFile = (iteration: number, accountFields: string, entities = "[Account]") =>
  `module: account-management\nphase: 1\niteration: ${iteration}\nentities: ${entities}\nfields:\n  Account: [${accountFields}]\n`;
/** The example's model, module files and prototype states (plus `extra`) in a temp project. */
async function exampleInputs(prefix: string, extra: readonly string[] = []): Promise<string> {
  const root = await copyExample(prefix, [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/database/state/prototype",
    ...extra,
  ]);
  temps.push(root);
  return root;
}
const run = (root: string, ...args: string[]) =>
  dbgen(["--root", root, ...args], { env: { DATABASE_URL: "", SUPABASE_DB_URL: "" } });

/** What the embedded database holds: its tables' columns, the accounts' rows, and dbgen's history. */
async function databaseOf(root: string): Promise<unknown> {
  const { openDatabase } = await import("@dbgen/db");
  const db = await openDatabase({ kind: "pglite", dataDir: join(root, ".pipeline/database/dev/account-management") });
  try {
    const columns = await db.knex.raw(
      "select table_name, column_name, data_type, is_nullable from information_schema.columns where table_schema = 'public' order by 1, 2",
    );
    const rows = await db.knex.raw("select * from public.accounts order by name");
    const history = await db.knex.raw(
      "select module, iteration, direction, success, checksum from dbgen.migration_history order by id",
    );
    return { columns: columns.rows, rows: rows.rows, history: history.rows };
  } finally {
    await db.close();
  }
}

describe("a generate whose apply fails", () => {
  it("leaves the tree and the database as before, and the fixed module just works", async () => {
    const root = await project(moduleFile(1, "id, name, type, status"));
    expect((await run(root, "generate")).code).toBe(0);
    const { openDatabase } = await import("@dbgen/db");
    const db = await openDatabase({ kind: "pglite", dataDir: join(root, ".pipeline/database/dev/account-management") });
    await db.knex.raw("insert into public.accounts (name, type) values ('Kept', 'Commercial')");
    await db.close();
    // A required column without a default cannot be added to a table that holds a row.
    await writeFile(join(root, MODULE), moduleFile(2, "id, name, type, status, account_number"));
    const tree = await treeOf(root);
    const database = await databaseOf(root);
    const failed = await run(root, "generate");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^error MIGRATION_FAILED \.pipeline\/modules\/account-management-phase1\.yaml — .+account_number.+ Fix: nothing was written and PGlite \(.+\) is as before: change the module file/m,
    );
    expect(await treeOf(root)).toEqual(tree);
    expect(await databaseOf(root)).toEqual(database);
    // The user fixes the module (an optional field instead) and runs the same command again.
    await writeFile(join(root, MODULE), moduleFile(2, "id, name, type, status, email"));
    const fixed = await run(root, "generate");
    expect(fixed.code, fixed.stderr).toBe(0);
    const migrations = await readdir(join(root, ".pipeline/database/migrations/prototype/account-management"));
    expect(migrations.filter((f) => f.includes("_iter2_"))).toHaveLength(1);
    const status = await run(root, "status", "--exit-code");
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toMatch(/applied 1, 2; pending none/);
  }, 120_000);
});

describe("an entity the BUSM lacks", () => {
  it("gets a suggestion before anything is written, and merge, harden and all refuse it", async () => {
    const root = await project(moduleFile(1, "id, name", "[Account, Contcat]"));
    const { stdout } = await promisify(execFile)(
      "sh",
      ["-c", `"${process.execPath}" "${BIN}" --root "${root}" generate --no-apply 2>&1`],
      { env: { ...process.env, NO_COLOR: "1" } },
    );
    const warning = stdout.search(
      /^warning MISSING_ENTITY .+ — Entity Contcat is not in the BUSM.+ Fix: did you mean "Contact"\?/m,
    );
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(stdout.indexOf("✓ Wrote"));
    const before = await treeOf(root);
    for (const command of ["merge", "harden", "all"]) {
      const refused = await run(root, command);
      expect(refused.code, command).toBe(1);
      expect(refused.stderr).toMatch(
        /^error MISSING_ENTITY \.pipeline\/database\/state\/prototype\/account-management\/iteration-1-schema\.json contcats — Module account-management has a table contcats for entity Contcat, which the BUSM does not define.+ Fix: did you mean "Contact"\?/m,
      );
      expect(await treeOf(root)).toEqual(before);
    }
  }, 60_000);

  it("suggests the names meant for a module, a field, a reference and an access mode", async () => {
    const root = await project(moduleFile(1, "id, name"));
    const module = await run(root, "preview", "--module", "acount-management");
    expect(module.stderr).toMatch(
      /INVALID_CONFIG — No module "acount-management".+ Fix: did you mean "account-management"\?/,
    );
    await writeFile(join(root, MODULE), moduleFile(1, "id, nmae"));
    const field = await run(root, "validate");
    expect(field.stderr).toMatch(
      /UNKNOWN_FIELD .+ — Account\.nmae is not in the BUSM and has no type\. Fix: did you mean "name"\?/,
    );
    const busm = (await readFile(join(root, BUSM), "utf8"))
      .replace('"references": "Account",', '"references": "Acount",')
      .replace('"mode": "owner"', '"mode": "ownr"');
    await writeFile(join(root, BUSM), busm);
    const model = await run(root, "validate");
    expect(model.stderr).toMatch(/INVALID_CONFIG .+access\.mode — .+ Fix: did you mean "owner"\?/);
    await writeFile(join(root, BUSM), busm.replace('"mode": "ownr"', '"mode": "owner"'));
    const reference = await run(root, "validate");
    expect(reference.stderr).toMatch(
      /INVALID_FOREIGN_KEY .+references — References entity "Acount", which does not exist\. Fix: did you mean "Account"\?/,
    );
  });
});

describe("dbgen discard", () => {
  it("removes iterations never applied, and refuses applied ones", async () => {
    const root = await project(moduleFile(1, "id, name, type, status"));
    expect((await run(root, "generate")).code).toBe(0);
    const applied = await treeOf(root);
    await writeFile(join(root, MODULE), moduleFile(2, "id, name, type, status, email"));
    expect((await run(root, "generate", "--no-apply")).code).toBe(0);
    const pending = await run(root, "status", "--exit-code");
    expect(pending.code).toBe(3);
    expect(pending.stdout).toMatch(/^! iteration\(s\) 2 generated but not applied/m);
    const discarded = await run(root, "discard");
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toMatch(
      /^removed \.pipeline\/database\/state\/prototype\/account-management\/iteration-2-schema\.json$/m,
    );
    const after = await treeOf(root);
    expect(Object.keys(after).filter((p) => !p.startsWith(".pipeline/modules"))).toEqual(
      Object.keys(applied).filter((p) => !p.startsWith(".pipeline/modules")),
    );
    const changed = await run(root, "status", "--exit-code", "--json");
    expect(changed.code).toBe(3);
    expect(JSON.parse(changed.stdout).result.findings).toEqual([expect.objectContaining({ kind: "not-generated" })]);
    const refused = await run(root, "discard", "--iteration", "1");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error INVALID_ITERATION — Iteration\(s\) 1 of account-management are applied in PGlite/m,
    );
    expect(await readFile(join(root, ".pipeline/database/dev/.gitignore"), "utf8")).toMatch(/^\*$/m);
  }, 120_000);
});

describe("dbgen discard without a database to check", () => {
  it("refuses: no embedded database and no --db proves nothing; with --db it checks that server", async () => {
    const root = await project(moduleFile(1, "id, name, type, status"));
    const database = await createTestDatabase(adminUrl);
    try {
      // Iteration 1 lives on a server; the embedded database never existed.
      const generated = await run(root, "generate", "--db", database.url, "--yes");
      expect(generated.code, generated.stderr).toBe(0);
      expect(existsSync(join(root, ".pipeline/database/dev/account-management"))).toBe(false);
      const before = await treeOf(root);
      const refused = await run(root, "discard");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^error INVALID_ITERATION — Cannot prove iteration 1 of account-management was never applied: .+ Fix: pass --db URL/m,
      );
      expect(await treeOf(root)).toEqual(before);
      const onServer = await run(root, "discard", "--db", database.url);
      expect(onServer.code).toBe(1);
      expect(onServer.stderr).toMatch(/Iteration\(s\) 1 of account-management are applied in /);
      expect(await treeOf(root)).toEqual(before);
    } finally {
      await database.drop();
    }
  }, 120_000);
});

describe("row backups", () => {
  it("a forward destructive step saves the values it drops, and rollback + restore put them back", async () => {
    const root = await project(moduleFile(1, "id, name, type, status, email"));
    expect((await run(root, "generate")).code).toBe(0);
    const { openDatabase } = await import("@dbgen/db");
    const dataDir = join(root, ".pipeline/database/dev/account-management");
    const db = await openDatabase({ kind: "pglite", dataDir });
    await db.knex.raw(
      "insert into public.accounts (name, type, email) values ('Kept', 'Commercial', 'kept@example.test')",
    );
    await db.close();
    await writeFile(join(root, MODULE), moduleFile(2, "id, name, type, status"));
    const dropped = await run(root, "generate", "--allow-destructive");
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(dropped.stdout).toMatch(/saved 1 row\(s\) of accounts\.email in schema dbgen/);
    const back = await run(root, "rollback");
    expect(back.code, back.stderr).toBe(0);
    const restored = await run(root, "restore");
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^restored 1 row\(s\) of accounts \(email\) from dbgen\./m);
    const after = await openDatabase({ kind: "pglite", dataDir });
    const { rows } = await after.knex.raw<{ rows: { email: string }[] }>("select email from public.accounts");
    await after.close();
    expect(rows).toEqual([{ email: "kept@example.test" }]);
    expect((await run(root, "restore")).stdout).toMatch(/Nothing to restore/);
  }, 120_000);
});

describe("dbgen sql", () => {
  it("runs one statement or a piped session on the module's embedded database", async () => {
    const root = await project(moduleFile(1, "id, name, type, status"));
    expect((await run(root, "generate")).code).toBe(0);
    const insert = await run(root, "sql", "-c", "insert into accounts (name, type) values ('Acme', 'Commercial')");
    expect(insert.code, insert.stderr).toBe(0);
    expect(insert.stdout).toBe("OK (1 row(s))\n");
    const select = await run(root, "sql", "-c", "select name, status from accounts");
    expect(select.stdout).toBe(" name | status\n------+--------\n Acme | Active\n(1 row)\n");
    const { stdout } = await promisify(execFile)("sh", [
      "-c",
      `printf 'select count(*) as n\\nfrom accounts;\\nselect nope;\\n' | "${process.execPath}" "${BIN}" --root "${root}" sql`,
    ]);
    expect(stdout).toMatch(/^ n\n---\n 1\n\(1 row\)$/m);
    expect(stdout).toMatch(/The database refused the SQL: column "nope" does not exist/);
    const refused = await run(root, "sql", "-c", "select nope");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error MIGRATION_FAILED — The database refused the SQL: column "nope" does not exist/m,
    );
  }, 60_000);
});

describe("a module's type override", () => {
  it("does not silently become the production type: production takes the BUSM's and says so, unless a resolution keeps it", async () => {
    const root = await exampleInputs("dbgen-override-");
    const merged = async () => {
      const snapshot = JSON.parse(await readFile(join(root, ".pipeline/database/state/merged/schema.json"), "utf8"));
      const accounts = snapshot.schema.tables.find((t: { name: string }) => t.name === "accounts");
      return accounts.columns.find((c: { name: string }) => c.name === "name").type;
    };
    const busmType = await run(root, "merge");
    expect(busmType.code, busmType.stderr).toBe(0);
    expect(busmType.stderr).toMatch(
      /^warning TYPE_MISMATCH \S+ accounts\.name — accounts\.name \(in account-management, master-view\): the prototype databases hold text; production takes the BUSM's varchar\(255\)\. Fix: align the module with the BUSM, or keep the module's type with a resolution/m,
    );
    expect(await merged()).toEqual({ name: "varchar", length: 255 });
    expect(await readFile(join(root, ".pipeline/database/merge-report.md"), "utf8")).toMatch(
      /\| accounts \| name \| busm-type \| account-management, master-view \|/,
    );
    await cp(join(REPO, ".pipeline/merge-resolutions.yaml"), join(root, ".pipeline/merge-resolutions.yaml"));
    const kept = await run(root, "merge");
    expect(kept.stderr).not.toMatch(/TYPE_MISMATCH \S+ accounts\.name/);
    expect(await merged()).toEqual({ name: "text" });
  }, 60_000);
});

describe("a backfill added after the first harden", () => {
  it("reaches the harden migration (re-planned under its name), and nothing else changes", async () => {
    const root = await exampleInputs("dbgen-backfill-", [".pipeline/merge-resolutions.yaml"]);
    // The prototype tables already hold rows: the union, then the lock-safe upgrade.
    await writeFile(
      join(root, "dbgen.config.json"),
      JSON.stringify({ production: { firstInstall: "from-prototype" } }),
    );
    const rules =
      (await readFile(join(REPO, ".pipeline/production-backfill.yaml"), "utf8")).split("  - table: work_orders")[0] ??
      "";
    await writeFile(join(root, ".pipeline/production-backfill.yaml"), rules);
    const env = { SOURCE_DATE_EPOCH: "1790000000" };
    const first = await dbgen(["--root", root, "harden"], { env });
    expect(first.code, first.stderr).toBe(0);
    const dir = join(root, ".pipeline/database/migrations/production");
    const names = (await readdir(dir)).sort();
    const harden = names.find((n) => n.endsWith("_harden.sql")) ?? "";
    expect(await readFile(join(dir, harden), "utf8")).not.toMatch(/UPDATE public\.work_orders SET tenant_id/);
    const unchanged = await dbgen(["--root", root, "harden"], { env: { SOURCE_DATE_EPOCH: "1790000900" } });
    expect(unchanged.stdout).toMatch(/no new migration: production is unchanged/);
    // The harden migration failed on work_orders without a tenant: the user adds the backfill the hint asked for.
    await cp(join(REPO, ".pipeline/production-backfill.yaml"), join(root, ".pipeline/production-backfill.yaml"));
    const again = await dbgen(["--root", root, "harden"], { env: { SOURCE_DATE_EPOCH: "1790000900" } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /re-planned migrations \d+ files, \d{14}_prototype_union, \d{14}_harden … \d{14}_harden_validate \(.*\) with the changed backfills/,
    );
    expect((await readdir(dir)).sort()).toEqual(names);
    expect(await readFile(join(dir, harden), "utf8")).toMatch(
      /UPDATE public\.work_orders SET tenant_id = '00000000-0000-0000-0000-000000000001'/,
    );
    expect(again.stdout).toMatch(
      /^unchanged \.pipeline\/database\/migrations\/production\/\d{14}_prototype_union\.sql$/m,
    );
    expect(await readFile(join(root, "supabase/migrations", harden), "utf8")).toMatch(
      /UPDATE public\.work_orders SET tenant_id/,
    );
  }, 60_000);
});

describe("a pattern PostgreSQL cannot read", () => {
  it("is refused: JavaScript-only syntax at validate, the rest when harden compiles it on PGlite; nothing is written", async () => {
    const root = await exampleInputs("dbgen-pattern-", [".pipeline/merge-resolutions.yaml"]);
    const original = await readFile(join(root, BUSM), "utf8");
    expect(original).toContain('"pattern": "^[A-Z]{2}-[0-9]{6}$"');
    await writeFile(
      join(root, BUSM),
      original.replace('"pattern": "^[A-Z]{2}-[0-9]{6}$"', '"pattern": "^\\\\p{Lu}{2}-[0-9]{6}$"'),
    );
    const js = await run(root, "validate");
    expect(js.code).toBe(1);
    expect(js.stderr).toMatch(
      /^error INVALID_EXPRESSION \S+:\d+ entities\.Account\.fields\.account_number\.pattern — The pattern uses a Unicode property class/m,
    );
    // Valid JavaScript, but PostgreSQL allows at most 255 repetitions.
    await writeFile(
      join(root, BUSM),
      original.replace('"pattern": "^[A-Z]{2}-[0-9]{6}$"', '"pattern": "^[A-Z]{2}-[0-9]{300}$"'),
    );
    expect((await run(root, "validate")).code).toBe(0);
    const before = await treeOf(root);
    const harden = await run(root, "harden");
    expect(harden.code).toBe(1);
    expect(harden.stderr).toMatch(
      /^error INVALID_EXPRESSION \S+ accounts\.account_number — PostgreSQL cannot compile the pattern of accounts\.account_number: .*repetition/m,
    );
    expect(await treeOf(root)).toEqual(before);
  }, 60_000);
});

describe("an open child of a scoped entity", () => {
  it("is a WIDER_ACCESS warning at validate, naming the entity and the reference", async () => {
    const check = await run(REPO, "validate");
    expect(check.code).toBe(0);
    expect(check.stderr).toMatch(
      /^warning WIDER_ACCESS \S+:\d+ entities\.Contact\.fields\.account_id\.references — Contact is authenticated but belongs to Account, which is owner-scoped: any signed-in user can read and change the Contact rows of someone else's Account\. Fix: scope Contact too/m,
    );
  });
});

describe("a backfill that is not a contained expression", () => {
  it.each([
    [
      "a subquery reading outside the schema",
      "value",
      "(SELECT rolpassword FROM pg_authid LIMIT 1)",
      /reads pg_authid/,
    ],
    [
      "a function off the list beside a scalar subquery",
      "value",
      "(SELECT 1) + length(query_to_xml('select rolpassword from pg_authid', true, true, '')::text)",
      /query_to_xml\(\)/,
    ],
    [
      "a function off the list after a subquery in a CASE",
      "value",
      "CASE WHEN (SELECT count(*) FROM public.accounts) > 0 THEN pg_read_file('/etc/passwd') END",
      /pg_read_file\(\)/,
    ],
    [
      "a function off the list inside a subquery's filter",
      "value",
      "(SELECT max(id::text) FROM public.accounts WHERE current_setting('x') = '')",
      /current_setting\(\)/,
    ],
    ["a second statement", "value", "'x'; DROP TABLE public.accounts", /more than one statement/],
    ["a comment", "value", "'x' -- WHERE account_number IS NULL", /holds a comment/],
    ["a function off the list", "value", "pg_read_file('/etc/passwd')", /pg_read_file\(\)/],
    ["a before that is not one INSERT", "before", "DELETE FROM public.accounts", /is not an INSERT/],
  ])("is refused by harden (%s): INVALID_EXPRESSION at its line, nothing written", async (_name, key, sql, reason) => {
    const root = await exampleInputs("dbgen-backfill-bad-", [".pipeline/merge-resolutions.yaml"]);
    const rule =
      key === "value"
        ? `backfill:\n  - table: accounts\n    column: account_number\n    value: ${JSON.stringify(sql)}\n`
        : `backfill:\n  - table: accounts\n    column: owner_id\n    before: ${JSON.stringify(sql)}\n    value: "'00000000-0000-0000-0000-00000000d0d0'"\n`;
    await writeFile(join(root, ".pipeline/production-backfill.yaml"), rule);
    const before = await treeOf(root);
    const refused = await run(root, "harden");
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^error INVALID_EXPRESSION \\.pipeline/production-backfill\\.yaml:4 backfill\\.0\\.${key} `, "m"),
    );
    expect(refused.stderr).toMatch(reason);
    expect(await treeOf(root)).toEqual(before);
  });
});
