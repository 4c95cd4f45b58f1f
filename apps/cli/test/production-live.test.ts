/**
 * Production migrations on a live PostgreSQL 15 set up like Supabase, holding rows: applied by the real
 * Supabase CLI (`supabase db push`, 3.1.0 and 2.117.0) and by `dbgen apply --stage production`; a session
 * holding a table makes the migration stop after `lock_timeout` with nothing half-applied, and a rerun
 * succeeds. The files are clean under squawk (`dbgen lint`) and postgrestools.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { copyExample, dbgen, REPO } from "./helpers.js";

const adminUrl = inject("pgAdminUrl");
const require = createRequire(import.meta.url);
/** The Supabase CLI 3.1 (`--remote=URL`), and 2.117 (`--db-url URL`) kept while teams migrate. */
const SUPABASE = join(dirname(require.resolve("supabase/package.json")), "dist", "supabase.js");
const SUPABASE_2 = join(dirname(require.resolve("supabase-cli-2/package.json")), "dist", "supabase.js");
const CLIS = [
  { name: "3.1.0", bin: SUPABASE, target: (url: string) => [`--remote=${url}?sslmode=disable`] },
  { name: "2.117.0", bin: SUPABASE_2, target: (url: string) => ["--db-url", `${url}?sslmode=disable`] },
] as const;
const POSTGRESTOOLS = join(
  dirname(require.resolve("@postgrestools/postgrestools/package.json")),
  "bin",
  "postgrestools",
);
const MIGRATIONS = ".pipeline/database/migrations/production";
const temps: string[] = [];
let root = "";
let files: string[] = [];

/** A copy of the example with its modules' states, hardened with a 1 s lock timeout. */
beforeAll(async () => {
  root = await copyExample("dbgen-live-", [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/database/state/prototype",
    ".pipeline/production-backfill.yaml",
    ".pipeline/merge-resolutions.yaml",
  ]);
  temps.push(root);
  // A database holding the prototype tables with rows: the union, then the lock-safe upgrade.
  await writeFile(
    join(root, "dbgen.config.json"),
    JSON.stringify({ production: { lockTimeout: "1s", firstInstall: "from-prototype" } }),
  );
  const hardened = await dbgen(["--root", root, "harden"]);
  expect(hardened.code, hardened.stderr).toBe(0);
  files = (await readdir(join(root, "supabase/migrations"))).sort();
}, 120_000);
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

async function supabaseLike(): Promise<{ url: string; client: pg.Client; drop(): Promise<void> }> {
  const db = await createTestDatabase(adminUrl);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(SUPABASE_SHIM_SQL);
  return {
    url: db.url,
    client,
    drop: async () => {
      await client.end();
      await db.drop();
    },
  };
}

/** Rows the prototype databases could hold: what the upgrade must keep and fill. */
async function fill(client: pg.Client): Promise<void> {
  await client.query(`insert into public.accounts (id, name, type, status) values
    ('00000000-0000-0000-0000-0000000000a1', 'Acme', 'Commercial', 'Active'),
    ('00000000-0000-0000-0000-0000000000a2', 'Beta', 'Residential', 'Active')`);
  await client.query(
    `insert into public.locations (id, account_id, address) values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', '1 Main St')`,
  );
  await client.query(
    `insert into public.contacts (account_id, first_name, last_name) values ('00000000-0000-0000-0000-0000000000a1', 'Ada', 'Lovelace')`,
  );
  await client.query(
    `insert into public.services (id, code, name, unit_price) values ('00000000-0000-0000-0000-00000000005e', 'SVC', 'Service', 10)`,
  );
  await client.query(
    `insert into public.work_orders (number, service_id, status, priority, summary) values (7, '00000000-0000-0000-0000-00000000005e', 'New', 'Normal', 'Fix it')`,
  );
}

/** The prototype union alone applied by `dbgen apply` (a copy whose production folder holds only it), then rows: what an upgrade meets. */
async function unionWithRows(db: { url: string; client: pg.Client }): Promise<void> {
  const only = await mkdtemp(join(tmpdir(), "dbgen-first-"));
  temps.push(only);
  await cp(root, only, { recursive: true });
  for (const f of await readdir(join(only, MIGRATIONS)))
    if (!f.includes("_prototype_union")) await rm(join(only, MIGRATIONS, f));
  const union = await dbgen(["--root", only, "apply", "--stage", "production", "--db", db.url, "--yes"]);
  expect(union.code, union.stderr).toBe(0);
  await fill(db.client);
}

/** What a hardened database must show: every table closed and secured, every index valid, no temporary check left. */
async function expectHardened(client: pg.Client): Promise<void> {
  const open = await client.query(
    "select tablename from pg_tables where schemaname = 'public' and not rowsecurity order by 1",
  );
  expect(open.rows).toEqual([]);
  const invalid = await client.query("select indexrelid::regclass::text as name from pg_index where not indisvalid");
  expect(invalid.rows).toEqual([]);
  const temporary = await client.query(
    "select conname from pg_constraint where conname like '%\\_not\\_null' or not convalidated",
  );
  expect(temporary.rows).toEqual([]);
  const { rows } = await client.query("select account_number from public.accounts order by name");
  expect(rows).toEqual([{ account_number: "AC-000001" }, { account_number: "AC-000002" }]);
}

function execNode(args: readonly string[], cwd: string): Promise<{ code: number; out: string }> {
  return promisify(execFile)(process.execPath, args, { cwd, encoding: "utf8" }).then(
    ({ stdout, stderr }) => ({ code: 0, out: `${stdout}${stderr}` }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
  );
}

describe("production migrations on a live database", () => {
  it("split the upgrade: the main migration, one file a concurrent index, then attach and validate", () => {
    expect(files[0]).toMatch(/_prototype_union\.sql$/);
    expect(files[1]).toMatch(/_harden\.sql$/);
    expect(files.filter((f) => /_harden_(drop_)?index_/.test(f)).length).toBeGreaterThan(10);
    expect(files.at(-2)).toMatch(/_harden_attach\.sql$/);
    expect(files.at(-1)).toMatch(/_harden_validate\.sql$/);
  });

  it.each(CLIS)(
    "apply with `supabase db push` $name over populated tables",
    async ({ bin, target }) => {
      const db = await supabaseLike();
      const cli = await mkdtemp(join(tmpdir(), "dbgen-supabase-"));
      temps.push(cli);
      try {
        await mkdir(join(cli, "supabase/migrations"), { recursive: true });
        const push = () => execNode([bin, "db", "push", ...target(db.url), "--yes"], cli);
        await cp(join(root, "supabase/migrations", files[0] ?? ""), join(cli, "supabase/migrations", files[0] ?? ""));
        const first = await push();
        expect(first.code, first.out).toBe(0);
        await fill(db.client);
        for (const f of files) await cp(join(root, "supabase/migrations", f), join(cli, "supabase/migrations", f));
        const second = await push();
        expect(second.code, second.out).toBe(0);
        await expectHardened(db.client);
        const history = await db.client.query("select count(*)::int as n from supabase_migrations.schema_migrations");
        expect(history.rows).toEqual([{ n: files.length }]);
      } finally {
        await db.drop();
      }
    },
    120_000,
  );

  it("a first install onto a new project is one file: the Supabase CLI 3.1 pushes it, and it builds what schema.sql builds (pg-delta)", async () => {
    const fresh = await mkdtemp(join(tmpdir(), "dbgen-first-install-"));
    temps.push(fresh);
    for (const dir of [".pipeline/factory-tools", ".pipeline/modules", ".pipeline/database/state/prototype"])
      await cp(join(root, dir), join(fresh, dir), { recursive: true });
    for (const f of [".pipeline/production-backfill.yaml", ".pipeline/merge-resolutions.yaml"])
      await cp(join(root, f), join(fresh, f));
    const hardened = await dbgen(["--root", fresh, "harden"]);
    expect(hardened.code, hardened.stderr).toBe(0);
    const only = await readdir(join(fresh, "supabase/migrations"));
    expect(only).toHaveLength(1);
    expect(only[0]).toMatch(/^\d{14}_first_install\.sql$/);
    const pushed = await supabaseLike();
    const reference = await supabaseLike();
    try {
      const push = await execNode([SUPABASE, "db", "push", `--remote=${pushed.url}?sslmode=disable`, "--yes"], fresh);
      expect(push.code, push.out).toBe(0);
      await reference.client.query(await readFile(join(fresh, ".pipeline/database/production/schema.sql"), "utf8"));
      const diff = await execNode(
        [
          SUPABASE,
          "db",
          "diff",
          "--use-pg-delta",
          "--from",
          `${pushed.url}?sslmode=disable`,
          "--to",
          `${reference.url}?sslmode=disable`,
          "-s",
          "public,audit,private",
        ],
        fresh,
      );
      expect(diff.code, diff.out).toBe(0);
      expect(diff.out.replace(/^Target: .*$/gm, "").trim()).toBe("");
    } finally {
      await pushed.drop();
      await reference.drop();
    }
  }, 120_000);

  it("supabase/schemas, applied in file-name order, builds what the pushed migrations and schema.sql build (pg-delta); advisors find nothing", async () => {
    const pushed = await supabaseLike();
    const fresh = await supabaseLike();
    const declared = await supabaseLike();
    const cli = await mkdtemp(join(tmpdir(), "dbgen-supabase-"));
    temps.push(cli);
    try {
      await mkdir(join(cli, "supabase/migrations"), { recursive: true });
      for (const f of files) await cp(join(root, "supabase/migrations", f), join(cli, "supabase/migrations", f));
      const push = await execNode([SUPABASE, "db", "push", `--remote=${pushed.url}?sslmode=disable`, "--yes"], cli);
      expect(push.code, push.out).toBe(0);
      await fresh.client.query(await readFile(join(root, ".pipeline/database/production/schema.sql"), "utf8"));
      const schemaFiles = (await readdir(join(root, "supabase/schemas"))).sort();
      expect(schemaFiles.length).toBeGreaterThan(3);
      for (const f of schemaFiles)
        await declared.client.query(await readFile(join(root, "supabase/schemas", f), "utf8"));
      const diff = (from: string, to: string) =>
        execNode(
          [
            SUPABASE,
            "db",
            "diff",
            "--use-pg-delta",
            "--from",
            `${from}?sslmode=disable`,
            "--to",
            `${to}?sslmode=disable`,
            "-s",
            "public,audit,private",
          ],
          cli,
        );
      for (const [from, to] of [
        [pushed.url, declared.url],
        [pushed.url, fresh.url],
      ] as const) {
        const run = await diff(from, to);
        expect(run.code, run.out).toBe(0);
        expect(run.out.replace(/^Target: .*$/gm, "").trim()).toBe("");
      }
      // The oracle sees a difference: one more column on one side.
      await declared.client.query("alter table public.accounts add column extra integer");
      expect((await diff(pushed.url, declared.url)).out).toMatch(/ADD COLUMN "extra" integer/);
      const advisors = await execNode(
        [SUPABASE, "db", "advisors", `--remote=${pushed.url}?sslmode=disable`, "--output-format", "json"],
        cli,
      );
      expect(advisors.code, advisors.out).toBe(0);
      const report = advisors.out.split("\n").find((line) => line.startsWith("{")) ?? "{}";
      expect(JSON.parse(report)).toMatchObject({ results: [] });
    } finally {
      await Promise.all([pushed.drop(), fresh.drop(), declared.drop()]);
    }
  }, 120_000);

  it("with `dbgen apply`: a held table stops the migration after lock_timeout, nothing half-applied, and a rerun succeeds", async () => {
    const db = await supabaseLike();
    try {
      await unionWithRows(db);
      // Another session reads accounts in an open transaction: ALTER TABLE must wait for it.
      const reader = new pg.Client({ connectionString: db.url });
      await reader.connect();
      await reader.query("begin; select count(*) from public.accounts");
      const started = Date.now();
      const blocked = await dbgen(["--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"]);
      const waited = Date.now() - started;
      await reader.query("rollback");
      await reader.end();
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toMatch(/MIGRATION_FAILED/);
      expect(blocked.stderr).toMatch(/lock timeout/);
      expect(waited).toBeLessThan(30_000);
      const column = await db.client.query(
        "select count(*)::int as n from information_schema.columns where table_name = 'accounts' and column_name = 'account_number'",
      );
      expect(column.rows).toEqual([{ n: 0 }]);
      const history = await db.client.query(
        "select count(*)::int as n from dbgen.migration_history where module = 'production' and success",
      );
      expect(history.rows).toEqual([{ n: 1 }]);
      const rerun = await dbgen(["--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toContain(`has ${files.length} of ${files.length} production migrations`);
      await expectHardened(db.client);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it("a unique index that cannot be built is dropped, named, and retried after the fix", async () => {
    const db = await supabaseLike();
    try {
      await unionWithRows(db);
      // Two services with one code: the unique index on services.code cannot be built.
      await db.client.query(
        "insert into public.services (id, code, name, unit_price) values ('00000000-0000-0000-0000-00000000005f', 'SVC', 'Twin', 1)",
      );
      const failed = await dbgen(["--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/services_code_key/);
      expect(failed.stderr).toMatch(/the invalid index it left was dropped/);
      expect(failed.stderr).toMatch(/Key \(code\)=\(SVC\) is duplicated/);
      const invalid = await db.client.query("select count(*)::int as n from pg_index where not indisvalid");
      expect(invalid.rows).toEqual([{ n: 0 }]);
      // (A DELETE would only soft-delete it now: the harden migration is in.)
      await db.client.query("update public.services set code = 'SVC2' where name = 'Twin'");
      const rerun = await dbgen(["--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"]);
      expect(rerun.code, rerun.stderr).toBe(0);
      await expectHardened(db.client);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it("an invalid index left by a build that died (a SIGKILL, a lost connection) is dropped and built again", async () => {
    const db = await supabaseLike();
    try {
      await unionWithRows(db);
      // What a killed concurrent build leaves: an index of the planned name, marked invalid.
      await db.client.query(
        "insert into public.services (id, code, name, unit_price) values ('00000000-0000-0000-0000-00000000005f', 'SVC', 'Twin', 1)",
      );
      await expect(
        db.client.query("CREATE UNIQUE INDEX CONCURRENTLY services_code_key ON public.services (code)"),
      ).rejects.toThrow(/could not create unique index/);
      await db.client.query("delete from public.services where name = 'Twin'");
      const invalid = await db.client.query("select count(*)::int as n from pg_index where not indisvalid");
      expect(invalid.rows).toEqual([{ n: 1 }]);
      const applied = await dbgen(["--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"]);
      expect(applied.code, applied.stderr).toBe(0);
      await expectHardened(db.client);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it("is clean under `dbgen lint` (squawk) and under postgrestools", async () => {
    const lint = await dbgen(["--root", root, "lint", "--format", "json"]);
    expect(lint.code, lint.stdout).toBe(0);
    expect(JSON.parse(lint.stdout)).toEqual([]);
    // postgrestools assumes every file runs in a transaction and has no setting for one that does not:
    // a concurrent file is checked as the one statement it runs (its SETs apply to the session).
    const check = await mkdtemp(join(tmpdir(), "dbgen-pgt-"));
    temps.push(check);
    for (const f of files) {
      const sql = await readFile(join(root, "supabase/migrations", f), "utf8");
      const body = /\bCONCURRENTLY\b/.test(sql) ? sql.replace(/^SET [^\n]*\n/gm, "") : sql;
      await writeFile(join(check, f), body);
    }
    const result = await execNode([POSTGRESTOOLS, "check", "--disable-db", "--diagnostic-level=error", "."], check);
    expect(result.code, result.out).toBe(0);
    expect(result.out).not.toMatch(/error/i);
  }, 60_000);

  it("lints hand-written files: each finding with its rule, file:line, fix; text, json, github and sarif; exit 3", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-lint-"));
    temps.push(dir);
    await writeFile(
      join(dir, "001_index.sql"),
      "-- a hand-written migration\nALTER TABLE accounts ADD COLUMN region text;\nCREATE INDEX accounts_region ON accounts (region);\n",
    );
    await writeFile(
      join(dir, "002_mixed.sql"),
      "SET lock_timeout = '1s';\nSET statement_timeout = '1min';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS a_b ON accounts (b);\nALTER TABLE accounts DROP COLUMN c;\n",
    );
    const text = await dbgen(["lint", dir], { cwd: dir });
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^001_index\.sql:3:1 warning\[require-concurrent-index-creation\] /m);
    expect(text.stdout).toMatch(/^ {2}fix: .+/m);
    expect(text.stdout).toMatch(/^002_mixed\.sql:3:1 error\[dbgen-concurrent-alone\] /m);
    expect(text.stdout).toMatch(/lint: \d+ finding\(s\) in 2 of 2 file\(s\)/);
    const json = JSON.parse((await dbgen(["lint", dir, "--format", "json"], { cwd: dir })).stdout) as {
      rule: string;
      file: string;
      line: number;
    }[];
    expect(json).toContainEqual(
      expect.objectContaining({ rule: "require-concurrent-index-creation", file: "001_index.sql", line: 3 }),
    );
    const github = await dbgen(["lint", dir, "--format", "github"], { cwd: dir });
    expect(github.stdout).toMatch(
      /^::warning file=001_index\.sql,line=3,col=1,title=require-concurrent-index-creation::/m,
    );
    const sarif = JSON.parse((await dbgen(["lint", dir, "--format", "sarif"], { cwd: dir })).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results.length).toBe(json.length);
    // The style rules dbgen's output does not follow are off by default, on with --all-rules.
    await writeFile(join(dir, "003_style.sql"), "CREATE TABLE t (id bigint PRIMARY KEY, name varchar(20));\n");
    const style = await dbgen(["lint", join(dir, "003_style.sql")], { cwd: dir });
    expect(style.code, style.stdout).toBe(0);
    const all = await dbgen(["lint", join(dir, "003_style.sql"), "--all-rules"], { cwd: dir });
    expect(all.code).toBe(3);
    expect(all.stdout).toMatch(/prefer-text-field/);
    const missing = await dbgen(["lint", join(dir, "nope.sql")], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/INVALID_CONFIG.*No such file or folder: .*nope\.sql/);
  }, 60_000);

  it("literals read the same whatever the server's standard_conforming_strings: a backslash stays a backslash", async () => {
    const db = await supabaseLike();
    const dir = await mkdtemp(join(tmpdir(), "dbgen-scs-"));
    temps.push(dir);
    try {
      const name = db.url.slice(db.url.lastIndexOf("/") + 1);
      await db.client.query(`alter database ${name} set standard_conforming_strings = off`);
      const description = "A backslash \\' ); DROP TABLE public.victims; --";
      const busm = {
        busm: "1",
        entities: {
          Victim: { access: { mode: "authenticated" }, fields: { name: { type: "string" } } },
          Note: { access: { mode: "authenticated" }, description, fields: { body: { type: "text", description } } },
        },
      };
      await mkdir(join(dir, ".pipeline/factory-tools/busm-reader"), { recursive: true });
      await mkdir(join(dir, ".pipeline/modules"), { recursive: true });
      await writeFile(join(dir, ".pipeline/factory-tools/busm-reader/busm-model.json"), JSON.stringify(busm));
      await writeFile(
        join(dir, ".pipeline/modules/notes-phase1.yaml"),
        "module: notes\nphase: 1\niteration: 1\nentities: [Victim, Note]\nfields:\n  Victim: [id, name]\n  Note: [id, body]\n",
      );
      const generated = await dbgen(["--root", dir, "generate", "--module", "notes", "--db", db.url, "--yes"]);
      expect(generated.code, generated.stderr).toBe(0);
      const { rows } = await db.client.query(
        "select obj_description('public.notes'::regclass) as t, col_description('public.notes'::regclass, 2) as c, to_regclass('public.victims') is not null as victims",
      );
      expect(rows).toEqual([{ t: description, c: description, victims: true }]);
    } finally {
      await db.drop();
    }
  }, 60_000);

  it("prototype tables: a non-local database is warned about as open to the API, and clientAccess closed locks them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-open-"));
    temps.push(dir);
    await cp(join(REPO, ".pipeline/factory-tools"), join(dir, ".pipeline/factory-tools"), { recursive: true });
    await mkdir(join(dir, ".pipeline/modules"), { recursive: true });
    await writeFile(
      join(dir, ".pipeline/modules/accounts-phase1.yaml"),
      "module: accounts\nphase: 1\niteration: 1\nentities: [Account]\nfields:\n  Account: [id, name]\n",
    );
    const remote = await dbgen([
      "--root",
      dir,
      "apply",
      "--module",
      "accounts",
      "--db",
      "postgres://u@db.example.invalid/x",
      "--yes",
    ]);
    expect(remote.stderr).toMatch(/^warning OPEN_PROTOTYPE .*anon and authenticated roles can read and write/m);
    expect(remote.stderr).toMatch(/clientAccess/);
    await writeFile(
      join(dir, "dbgen.config.json"),
      JSON.stringify({ prototype: { rules: { clientAccess: "closed" } } }),
    );
    const db = await supabaseLike();
    try {
      const generated = await dbgen(["--root", dir, "generate", "--module", "accounts", "--db", db.url, "--yes"]);
      expect(generated.code, generated.stderr).toBe(0);
      const { rows } = await db.client.query("select rowsecurity from pg_tables where tablename = 'accounts'");
      expect(rows).toEqual([{ rowsecurity: true }]);
      await db.client.query("insert into public.accounts (name) values ('x')");
      const seen = await db.client.query("begin; set local role anon; select count(*)::int as n from public.accounts");
      await db.client.query("rollback");
      expect((seen as unknown as { rows: { n: number }[] }[])[2]?.rows).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  }, 60_000);
});

describe("a film-rental model using the §2b features, from prototype to a pushed production", () => {
  it("generates, rolls back and re-applies on PGlite, hardens, lints clean, pushes with the Supabase CLI 3.1 (pg-delta equal to schema.sql, advisors clean), seeds and exports", async () => {
    const fixture = await mkdtemp(join(tmpdir(), "dbgen-films-"));
    temps.push(fixture);
    await cp(join(REPO, "tooling/fixtures/film-rental"), fixture, { recursive: true });
    const ok = async (args: readonly string[]) => {
      const run = await dbgen(["--root", fixture, ...args]);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
      return run;
    };
    await ok(["generate", "--module", "catalog"]);
    // Iteration 2 adds a citext table (its extension with it), an array, a full-text column and a profile
    // table (keyed by auth.users in production, with its signup trigger and realtime publication).
    const moduleFile = join(fixture, ".pipeline/modules/catalog-phase1.yaml");
    const first = await readFile(moduleFile, "utf8");
    await writeFile(
      moduleFile,
      first
        .replace("iteration: 1", "iteration: 2")
        .replace("FilmActor, Payment]", "FilmActor, Payment, Customer, Profile]")
        .replace(
          "rental_duration, poster]",
          "rental_duration, poster, description, special_features, fulltext, rating]\n  Customer: [customer_id, email, first_name]\n  Profile: [id, display_name]",
        ),
    );
    await ok(["generate", "--module", "catalog"]);
    // Iteration 3: the enum type mpaa_rating gains a value in place; its rollback makes the type anew.
    const modelFile = join(fixture, ".pipeline/factory-tools/busm-reader/busm-model.json");
    const model = JSON.parse(await readFile(modelFile, "utf8"));
    model.enums.MpaaRating.push("Unrated");
    await writeFile(modelFile, JSON.stringify(model, null, 2));
    const second = await readFile(moduleFile, "utf8");
    await writeFile(moduleFile, second.replace("iteration: 2", "iteration: 3"));
    await ok(["generate", "--module", "catalog"]);
    const migrations = join(fixture, ".pipeline/database/migrations/prototype/catalog");
    const third = (await readdir(migrations)).find((f) => f.includes("_iter3_")) ?? "";
    expect(await readFile(join(migrations, third), "utf8")).toContain(
      "ALTER TYPE public.mpaa_rating ADD VALUE 'Unrated' AFTER 'NC-17';",
    );
    expect(
      await readFile(join(fixture, ".pipeline/database/rollbacks/prototype/catalog/rollback-iteration-3.sql"), "utf8"),
    ).toContain("ALTER TYPE public.mpaa_rating RENAME TO mpaa_rating_dbgen_old;");
    await ok(["rollback", "--module", "catalog", "--yes"]);
    await ok(["apply", "--module", "catalog"]);
    const status = await ok(["status", "--module", "catalog"]);
    expect(status.stdout).toMatch(/No drift/);
    await ok(["merge"]);
    await ok(["harden"]);
    const lint = await ok(["lint"]);
    expect(lint.stdout + lint.stderr).toMatch(/no finding/);
    const pushed = await supabaseLike();
    const reference = await supabaseLike();
    try {
      const push = await execNode([SUPABASE, "db", "push", `--remote=${pushed.url}?sslmode=disable`, "--yes"], fixture);
      expect(push.code, push.out).toBe(0);
      await reference.client.query(await readFile(join(fixture, ".pipeline/database/production/schema.sql"), "utf8"));
      const diff = await execNode(
        [
          SUPABASE,
          "db",
          "diff",
          "--use-pg-delta",
          "--from",
          `${pushed.url}?sslmode=disable`,
          "--to",
          `${reference.url}?sslmode=disable`,
          "-s",
          "public,audit,private",
        ],
        fixture,
      );
      expect(diff.code, diff.out).toBe(0);
      expect(diff.out.replace(/^Target: .*$/gm, "").trim()).toBe("");
      const advisors = await execNode(
        [SUPABASE, "db", "advisors", `--remote=${pushed.url}?sslmode=disable`, "--output-format", "json"],
        fixture,
      );
      expect(advisors.code, advisors.out).toBe(0);
      expect(JSON.parse(advisors.out.split("\n").find((l) => l.startsWith("{")) ?? "{}")).toMatchObject({
        results: [],
      });
      const extension = await pushed.client.query(
        "select extnamespace::regnamespace::text as schema from pg_extension where extname = 'citext'",
      );
      expect(extension.rows).toEqual([{ schema: "extensions" }]);
      await ok(["seed", "--rows", "8"]);
      await pushed.client.query(await readFile(join(fixture, "supabase/seed.sql"), "utf8"));
      const counted = await pushed.client.query(
        "select (select count(*) from public.films)::int as films, (select count(*) from public.film_actor)::int as links, (select count(*) from public.customers)::int as customers",
      );
      expect(counted.rows[0].films).toBe(8);
      // Each customer's optional, unique sign-in is a seeded user (5) or none.
      expect(counted.rows[0].customers).toBe(8);
      expect(counted.rows[0].links).toBeGreaterThan(0);
      const signIns = await pushed.client.query(
        "select count(user_id)::int as linked, count(distinct user_id)::int as distinct_users, (select count(*) from public.profiles)::int as profiles, (select count(*) from auth.users)::int as users from public.customers",
      );
      expect(signIns.rows).toEqual([{ linked: 5, distinct_users: 5, profiles: 5, users: 5 }]);
      // profile: every signup makes its row (the trigger on auth.users), whoever inserts the user.
      await pushed.client.query(
        "insert into auth.users (id, email) values ('00000000-0000-4000-8000-0000000000f1', 'new@example.test')",
      );
      const profile = await pushed.client.query(
        "select id, display_name from public.profiles where id = '00000000-0000-4000-8000-0000000000f1'",
      );
      expect(profile.rows).toEqual([{ id: "00000000-0000-4000-8000-0000000000f1", display_name: null }]);
      const definer = await pushed.client.query(
        "select prosecdef, proconfig from pg_proc where oid = 'private.create_profile()'::regprocedure",
      );
      expect(definer.rows).toEqual([{ prosecdef: true, proconfig: ['search_path=""'] }]);
      // realtime: the table is in Supabase Realtime's publication.
      const published = await pushed.client.query(
        "select tablename from pg_publication_tables where pubname = 'supabase_realtime' order by 1",
      );
      expect(published.rows).toEqual([{ tablename: "profiles" }]);
      // Deleting the user deletes the profile (onDelete cascade) and clears the customer's sign-in.
      await pushed.client.query("delete from auth.users where id = '00000000-0000-4000-8000-0000000000f1'");
      const gone = await pushed.client.query(
        "select count(*)::int as n from public.profiles where id = '00000000-0000-4000-8000-0000000000f1'",
      );
      expect(gone.rows).toEqual([{ n: 0 }]);
      const exported = await ok(["export", "drizzle", "--stage", "production"]);
      const schemaTs = /(?:wrote|unchanged) (\S+schema\.ts)/.exec(exported.stdout)?.[1] ?? "";
      const drizzle = await readFile(join(fixture, schemaTs), "utf8");
      expect(drizzle).toContain('import { authUsers } from "drizzle-orm/supabase";');
      expect(drizzle).toContain("foreignColumns: [authUsers.id]");
      await ok(["export", "prisma"]);
    } finally {
      await Promise.all([pushed.drop(), reference.drop()]);
    }
  }, 180_000);
});

describe("a team app with access rules per operation (§2a), from prototype to a pushed production", () => {
  it("hardens, lints clean, pushes with the Supabase CLI 3.1, and the advisors find nothing", async () => {
    const fixture = await mkdtemp(join(tmpdir(), "dbgen-teams-"));
    temps.push(fixture);
    await cp(join(REPO, "tooling/fixtures/team-app"), fixture, { recursive: true });
    const ok = async (args: readonly string[]) => {
      const run = await dbgen(["--root", fixture, ...args]);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
      return run;
    };
    await ok(["generate", "--module", "teams"]);
    await ok(["merge"]);
    await ok(["harden"]);
    const lint = await ok(["lint"]);
    expect(lint.stdout + lint.stderr).toMatch(/no finding/);
    const pushed = await supabaseLike();
    try {
      const push = await execNode([SUPABASE, "db", "push", `--remote=${pushed.url}?sslmode=disable`, "--yes"], fixture);
      expect(push.code, push.out).toBe(0);
      const advisors = await execNode(
        [SUPABASE, "db", "advisors", `--remote=${pushed.url}?sslmode=disable`, "--output-format", "json"],
        fixture,
      );
      expect(advisors.code, advisors.out).toBe(0);
      expect(JSON.parse(advisors.out.split("\n").find((l) => l.startsWith("{")) ?? "{}")).toMatchObject({
        results: [],
      });
      const policies = await pushed.client.query(
        "select tablename, policyname from pg_policies where schemaname = 'public' order by 1, 2",
      );
      expect(policies.rows.filter((r) => r.tablename === "audit_entries").map((r) => r.policyname)).toEqual([
        "insert_by_rule",
        "select_by_rule",
      ]);
      // Seeds load as the migrator: the creator trigger adds no membership without a signed-in user.
      await ok(["seed", "--rows", "4"]);
      await pushed.client.query(await readFile(join(fixture, "supabase/seed.sql"), "utf8"));
      const seeded = await pushed.client.query(
        "select (select count(*) from public.organizations)::int as organizations, (select count(*) from public.memberships)::int as memberships",
      );
      expect(seeded.rows).toEqual([{ organizations: 4, memberships: 4 }]);
      // The generated access tests pass on the pushed database with rows in it: through dbgen, and
      // through pg_prove on the written file (what `supabase test db` runs, in a Docker container
      // this machine does not have).
      const tested = await ok(["test", "--run", "--db", pushed.url]);
      expect(tested.stdout).toMatch(/passed (\d+) of \1 on /);
      const proved = await promisify(execFile)("/usr/bin/pg_prove", [
        "-d",
        pushed.url,
        join(fixture, "supabase/tests/dbgen_access.test.sql"),
      ]).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout}${error.stderr}` }));
      expect(proved.stdout).toMatch(/All tests successful/);
    } finally {
      await pushed.drop();
    }
  }, 180_000);
});
