/**
 * Expand, then contract (spec §5, production changes) on PostgreSQL 15 set up like Supabase, with tens of
 * thousands of rows: the team app's `messages.body` renamed to `content`. While the Supabase CLI 3.1 pushes
 * the expand, a client on the old name (insert, update, select, as `authenticated` through RLS, one
 * request per transaction, 1 s lock timeout) gets no error; afterwards a write through either name is read
 * through the other; while the contract is pushed a client on the new name gets no error; then the old
 * column is gone, every row is there, no index is invalid. The same steps apply with `dbgen apply`.
 */
import { execFile, spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { BIN, dbgen, REPO, type Run } from "./helpers.js";

const adminUrl = inject("pgAdminUrl");
const require = createRequire(import.meta.url);
const SUPABASE = join(dirname(require.resolve("supabase/package.json")), "dist", "supabase.js");
const USER = "00000000-0000-4000-8000-0000000000c1";
const ROWS = 30_000;
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const MODULE = ".pipeline/modules/teams-phase1.yaml";

type Entity = { fields: Record<string, Record<string, unknown>>; indexes?: unknown[] };
type Model = { entities: { Message: Entity } & Record<string, Entity> };

/** Edits the project's model (parsed JSON) in place. */
async function editModel(root: string, edit: (model: Model) => void): Promise<void> {
  const model = JSON.parse(await readFile(join(root, BUSM), "utf8"));
  edit(model);
  await writeFile(join(root, BUSM), `${JSON.stringify(model, null, 2)}\n`);
}

async function editModule(root: string, edit: (text: string) => string): Promise<void> {
  await writeFile(join(root, MODULE), edit(await readFile(join(root, MODULE), "utf8")));
}

async function teamApp(
  prepare?: (root: string) => Promise<void>,
): Promise<{ root: string; ok: (...args: string[]) => Promise<Run> }> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-expand-"));
  temps.push(root);
  await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
  await prepare?.(root);
  const ok = async (...args: string[]) => {
    const run = await dbgen(["--root", root, ...args]);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    return run;
  };
  await ok("generate", "--module", "teams");
  await ok("merge");
  await ok("harden");
  return { root, ok };
}

/** The model renames Message.body to content (renamedFrom), and the module follows. */
async function renameBody(root: string, ok: (...args: string[]) => Promise<Run>): Promise<Run> {
  const busm = join(root, ".pipeline/factory-tools/busm-reader/busm-model.json");
  const model = JSON.parse(await readFile(busm, "utf8"));
  const fields = model.entities.Message.fields;
  fields.content = { ...fields.body, renamedFrom: "body" };
  delete fields.body;
  await writeFile(busm, `${JSON.stringify(model, null, 2)}\n`);
  const module = join(root, ".pipeline/modules/teams-phase1.yaml");
  await writeFile(
    module,
    (await readFile(module, "utf8"))
      .replace("iteration: 1", "iteration: 2")
      .replace("Message: [id, user_id, body]", "Message: [id, user_id, content]"),
  );
  await ok("generate", "--module", "teams");
  await ok("merge");
  return ok("harden");
}

type Request = readonly [sql: string, params: readonly unknown[]];

/**
 * An app of one release: its requests in turn until stopped, each in its own transaction as the user
 * through RLS (PostgREST's role and claims, a 1 s lock timeout); every error kept.
 */
function runningApp(url: string, requests: readonly Request[]) {
  const errors: string[] = [];
  let sent = 0;
  let stop = false;
  const client = new pg.Client({ connectionString: url });
  const done = (async () => {
    await client.connect();
    const claims = JSON.stringify({ sub: USER, role: "authenticated" });
    while (!stop) {
      const [sql, params] = requests[sent % requests.length] as Request;
      try {
        await client.query("begin");
        await client.query("set local role authenticated");
        await client.query("set local lock_timeout = '1s'");
        await client.query("select set_config('request.jwt.claims', $1, true)", [claims]);
        await client.query(sql, [...params]);
        await client.query("commit");
      } catch (error) {
        errors.push(`${(error as { code?: string }).code ?? ""} ${(error as Error).message}`);
        await client.query("rollback").catch(() => {});
      }
      sent++;
    }
    await client.end();
  })();
  return {
    async stop() {
      stop = true;
      await done;
      return { errors, requests: sent };
    },
  };
}

/** The release that reads and writes messages through `column`. */
const app = (url: string, column: string) =>
  runningApp(url, [
    [`insert into public.messages (user_id, ${column}) values ($1, 'hello') returning id`, [USER]],
    [
      `update public.messages set ${column} = 'edited' where id = (select id from public.messages where user_id = $1 limit 1)`,
      [USER],
    ],
    [`select id, ${column} from public.messages order by created_at desc limit 5`, []],
  ]);

/** A fresh PostgreSQL 15 database and an admin client on it for `work`; both gone afterwards, however it ends. */
async function onLiveDatabase(work: (db: { url: string }, admin: pg.Client) => Promise<void>): Promise<void> {
  const db = await createTestDatabase(adminUrl);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    await work(db, admin);
  } finally {
    await admin.end();
    await db.drop();
  }
}

/** After a contract: a later harden writes nothing, and nothing waits to be completed. */
async function expectNothingWaits(ok: (...args: string[]) => Promise<Run>): Promise<void> {
  expect((await ok("harden")).stdout).toMatch(/no new migration/);
  expect((await ok("status", "--stage", "production")).stdout).toMatch(/nothing waits to be completed/);
}

const push = async (root: string, url: string) => {
  const run = await promisify(execFile)(
    process.execPath,
    [SUPABASE, "db", "push", `--remote=${url}?sslmode=disable`, "--yes", "--workdir", root],
    { maxBuffer: 16 << 20 },
  ).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: `${error.stdout}${error.stderr}`,
    failed: true,
  }));
  expect("failed" in run ? run.stdout : "", "supabase db push").toBe("");
};

describe.skipIf(!adminUrl)("a renamed column on a live database: expand, then contract", () => {
  it("never breaks the running app while the Supabase CLI pushes either step", async () => {
    const { root, ok } = await teamApp();
    await onLiveDatabase(async (db, admin) => {
      await admin.query(SUPABASE_SHIM_SQL);
      await push(root, db.url);
      await admin.query(`insert into auth.users (id, email) values ('${USER}', 'u@example.test')`);
      await admin.query(
        `insert into public.messages (user_id, body) select '${USER}', 'message ' || g from generate_series(1, ${ROWS}) g`,
      );

      const expanded = await renameBody(root, ok);
      expect(expanded.stdout).toMatch(/expand: messages\.body → content/);
      expect((await ok("lint")).stdout + "").toMatch(/no finding/);
      const types = await readFile(join(root, ".pipeline/database/types/database.types.ts"), "utf8");
      expect(types).toMatch(
        /\/\*\* @deprecated renamed to content; gone after dbgen harden --complete \*\/\n\s+body: string/,
      );
      expect(types).toMatch(/content\?: string/);

      const previousRelease = app(db.url, "body");
      await new Promise((r) => setTimeout(r, 300));
      await push(root, db.url);
      const during = await previousRelease.stop();
      expect(during.errors).toEqual([]);
      expect(during.requests).toBeGreaterThan(10);

      // Both names, one value: written through either, read through the other.
      const { rows: filled } = await admin.query(
        "select count(*)::int as n from public.messages where content is distinct from body",
      );
      expect(filled[0].n).toBe(0);
      await admin.query(`insert into public.messages (user_id, body) values ('${USER}', 'via body')`);
      await admin.query(`insert into public.messages (user_id, content) values ('${USER}', 'via content')`);
      const { rows: both } = await admin.query(
        "select body, content from public.messages where body like 'via %' or content like 'via %' order by 1",
      );
      expect(both).toEqual([
        { body: "via body", content: "via body" },
        { body: "via content", content: "via content" },
      ]);
      await admin.query("update public.messages set content = 'changed' where body = 'via body'");
      expect((await admin.query("select body from public.messages where content = 'changed'")).rows).toEqual([
        { body: "changed" },
      ]);
      expect((await ok("status", "--stage", "production")).stdout).toMatch(
        /waiting for dbgen harden --complete[\s\S]*messages\.body → content/,
      );
      // A later harden keeps both columns until the contract.
      expect((await ok("harden")).stdout).toMatch(/no new migration[\s\S]*expand: messages\.body → content/);

      const contracted = await ok("harden", "--complete");
      expect(contracted.stdout).toMatch(/contract: messages\.body → content/);
      expect((await ok("lint")).stdout + "").toMatch(/no finding/);
      const nextRelease = app(db.url, "content");
      await new Promise((r) => setTimeout(r, 300));
      await push(root, db.url);
      const after = await nextRelease.stop();
      expect(after.errors).toEqual([]);

      const columns = await admin.query(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = 'messages' order by 1",
      );
      expect(columns.rows.map((r) => r.column_name)).not.toContain("body");
      expect(columns.rows.map((r) => r.column_name)).toContain("content");
      const { rows: count } = await admin.query("select count(*)::int as n from public.messages");
      expect(count[0].n).toBeGreaterThanOrEqual(ROWS + 2 + Math.floor(during.requests / 3));
      const { rows: invalid } = await admin.query("select count(*)::int as n from pg_index where not indisvalid");
      expect(invalid[0].n).toBe(0);
      await expectNothingWaits(ok);
    });
  }, 240_000);

  it("a backfill killed half-way goes on where it stopped when applied again: no row lost, none twice", async () => {
    const { root, ok } = await teamApp(withCounters);
    await onLiveDatabase(async (db, admin) => {
      await ok("apply", "--stage", "production", "--db", db.url, "--yes");
      await admin.query(`insert into auth.users (id, email) values ('${USER}', 'u@example.test')`);
      const rows = 200_000;
      await admin.query(
        `insert into public.messages (user_id, body, likes, score) select '${USER}', 'message ' || g, g, 1.5 from generate_series(1, ${rows}) g`,
      );
      // One backfill for a rename and two type changes (one converted by the model).
      await editModel(root, (model) => {
        const fields = model.entities.Message.fields;
        fields.content = { ...fields.body, renamedFrom: "body" };
        delete fields.body;
        fields.likes = { ...fields.likes, type: "bigint" };
        fields.score = { type: "integer", using: { sql: "round(score)" } };
      });
      await editModule(root, (text) =>
        text.replace("iteration: 1", "iteration: 2").replace("body, likes", "content, likes"),
      );
      await ok("generate", "--module", "teams", "--allow-destructive");
      await ok("merge");
      await ok("harden");
      const child = spawn(
        process.execPath,
        [BIN, "--root", root, "apply", "--stage", "production", "--db", db.url, "--yes"],
        {
          stdio: "ignore",
          env: { ...process.env, NO_COLOR: "1" },
        },
      );
      const filled = async () => {
        const { rows: counted } = await admin.query(
          "select count(*)::int as n from public.messages where content is not null",
        );
        return counted[0].n as number;
      };
      let seen = 0;
      for (let i = 0; i < 600 && seen === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await filled().catch(() => 0);
      }
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const atKill = await filled();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(rows);
      await ok("apply", "--stage", "production", "--db", db.url, "--yes");
      const { rows: after } = await admin.query(
        "select count(*)::int as n, count(*) filter (where content is distinct from body or _dbgen_new_likes is distinct from likes or _dbgen_new_score is distinct from round(score)::int)::int as apart from public.messages",
      );
      expect(after).toEqual([{ n: rows, apart: 0 }]);
      const { rows: nulls } = await admin.query(
        "select is_nullable from information_schema.columns where table_name = 'messages' and column_name = 'content'",
      );
      expect(nulls).toEqual([{ is_nullable: "NO" }]);
    });
  }, 240_000);

  it("applies each step with dbgen apply --stage production, on the embedded database and on PostgreSQL 15", async () => {
    const { root, ok } = await teamApp();
    await ok("apply", "--stage", "production");
    await renameBody(root, ok);
    await ok("apply", "--stage", "production");
    await ok("harden", "--complete");
    await ok("apply", "--stage", "production");
    const db = await createTestDatabase(adminUrl);
    try {
      const applied = await ok("apply", "--stage", "production", "--db", db.url, "--yes");
      expect(applied.stdout).toMatch(/has (\d+) of \1 production migrations/);
    } finally {
      await db.drop();
    }
  }, 180_000);
});

/** Messages get counters: `likes` (integer, at least 0, indexed) and `score` (numeric(6,2)). */
async function withCounters(root: string): Promise<void> {
  await editModel(root, (model) => {
    const message = model.entities.Message;
    Object.assign(message.fields, {
      likes: { type: "integer", min: 0 },
      score: { type: "decimal", precision: 6, scale: 2 },
    });
    message.indexes = [{ fields: ["likes"] }];
  });
  await editModule(root, (text) =>
    text.replace("Message: [id, user_id, body]", "Message: [id, user_id, body, likes, score]"),
  );
}

/** The model widens likes to bigint and narrows score to an integer, converted by round(score). */
async function retypeCounters(root: string, ok: (...args: string[]) => Promise<Run>): Promise<Run> {
  await editModel(root, (model) => {
    const fields = model.entities.Message.fields;
    fields.likes = { ...fields.likes, type: "bigint" };
    fields.score = { type: "integer", using: { sql: "round(score)" } };
  });
  await editModule(root, (text) => text.replace("iteration: 1", "iteration: 2"));
  await ok("generate", "--module", "teams", "--allow-destructive");
  await ok("merge");
  return ok("harden");
}

/** An app on the counters: insert, update and select them as the user through RLS, until stopped. */
const countersApp = (url: string, likes: number) =>
  runningApp(url, [
    [
      "insert into public.messages (user_id, body, likes, score) values ($1, 'hi', $2, 1.25) returning id",
      [USER, likes],
    ],
    [
      "update public.messages set likes = likes + 1 where id = (select id from public.messages where user_id = $1 limit 1)",
      [USER],
    ],
    ["select id, likes, score from public.messages order by created_at desc limit 5", []],
  ]);

const columnTypes = async (admin: pg.Client) =>
  Object.fromEntries(
    (
      await admin.query(
        "select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = 'messages'",
      )
    ).rows.map((r) => [r.column_name, r.data_type]),
  );

describe.skipIf(!adminUrl)("a column's type changed on a live database: expand, then contract", () => {
  it("widens integer to bigint and narrows numeric with the model's conversion while the app keeps running", async () => {
    const { root, ok } = await teamApp(withCounters);
    await onLiveDatabase(async (db, admin) => {
      await admin.query(SUPABASE_SHIM_SQL);
      await push(root, db.url);
      await admin.query(`insert into auth.users (id, email) values ('${USER}', 'u@example.test')`);
      await admin.query(
        `insert into public.messages (user_id, body, likes, score) select '${USER}', 'm', g, (g % 10000) / 100.0 + 0.004 from generate_series(1, ${ROWS}) g`,
      );

      const expanded = await retypeCounters(root, ok);
      expect(expanded.stdout).toMatch(
        /expand: messages\.likes: integer → bigint, messages\.score: numeric\(6,2\) → integer/,
      );
      expect((await ok("lint")).stdout).toMatch(/no finding/);
      const previousRelease = countersApp(db.url, 5);
      await new Promise((r) => setTimeout(r, 300));
      await push(root, db.url);
      const during = await previousRelease.stop();
      expect(during.errors).toEqual([]);
      expect(during.requests).toBeGreaterThan(10);

      // Every row's new column holds its old value, converted; a write of the old column reaches it.
      const { rows: apart } = await admin.query(
        "select count(*) filter (where _dbgen_new_likes is distinct from likes)::int as likes, count(*) filter (where _dbgen_new_score is distinct from round(score)::int)::int as score from public.messages",
      );
      expect(apart).toEqual([{ likes: 0, score: 0 }]);
      const probe = "select likes, score, _dbgen_new_likes, _dbgen_new_score from public.messages where body = 'probe'";
      await admin.query(
        `insert into public.messages (user_id, body, likes, score) values ('${USER}', 'probe', 7, 1.2)`,
      );
      expect((await admin.query(probe)).rows).toEqual([
        { likes: 7, score: "1.20", _dbgen_new_likes: "7", _dbgen_new_score: 1 },
      ]);
      await admin.query("update public.messages set likes = 41, score = 2.5 where body = 'probe'");
      expect((await admin.query(probe)).rows).toEqual([
        { likes: 41, score: "2.50", _dbgen_new_likes: "41", _dbgen_new_score: 3 },
      ]);
      expect((await ok("status", "--stage", "production")).stdout).toMatch(
        /waiting for dbgen harden --complete[\s\S]*messages\.likes: integer → bigint: the new type in _dbgen_new_likes/,
      );
      expect((await ok("harden")).stdout).toMatch(/no new migration[\s\S]*expand: messages\.likes/);

      const contracted = await ok("harden", "--complete");
      expect(contracted.stdout).toMatch(/contract: messages\.likes: integer → bigint, messages\.score/);
      expect((await ok("lint")).stdout).toMatch(/no finding/);
      const nextRelease = countersApp(db.url, 6);
      await new Promise((r) => setTimeout(r, 300));
      await push(root, db.url);
      const after = await nextRelease.stop();
      expect(after.errors).toEqual([]);

      const types = await columnTypes(admin);
      expect([types.likes, types.score]).toEqual(["bigint", "integer"]);
      expect(Object.keys(types).filter((c) => c.startsWith("_dbgen"))).toEqual([]);
      const { rows: count } = await admin.query(
        "select count(*)::int as n, count(*) filter (where body = 'probe' and score = 3 and likes = 41)::int as edited from public.messages",
      );
      expect(count[0].n).toBeGreaterThanOrEqual(ROWS + Math.floor(during.requests / 3));
      expect(count[0].edited).toBe(1);
      // What the new type is for: a value the old one could not hold.
      await admin.query(`insert into public.messages (user_id, body, likes) values ('${USER}', 'big', 3000000000)`);
      await expect(
        admin.query(`insert into public.messages (user_id, body, likes) values ('${USER}', 'neg', -1)`),
      ).rejects.toThrow(/messages_likes_check/);
      const { rows: indexes } = await admin.query(
        "select indexname, indexdef from pg_indexes where tablename = 'messages' and indexname = 'messages_likes_idx'",
      );
      expect(indexes.map((i) => i.indexdef)).toEqual([expect.stringMatching(/\(likes\)$/)]);
      const { rows: invalid } = await admin.query(
        "select (select count(*)::int from pg_index where not indisvalid) as indexes, (select count(*)::int from pg_constraint where not convalidated) as constraints",
      );
      expect(invalid).toEqual([{ indexes: 0, constraints: 0 }]);
      await expectNothingWaits(ok);
    });
  }, 240_000);

  it("applies each step with dbgen apply --stage production on PostgreSQL 15, and refuses a change with no cast", async () => {
    const { root, ok } = await teamApp(withCounters);
    await onLiveDatabase(async (db, admin) => {
      const apply = () => ok("apply", "--stage", "production", "--db", db.url, "--yes");
      await apply();
      await admin.query(`insert into auth.users (id, email) values ('${USER}', 'u@example.test')`);
      await admin.query(
        `insert into public.messages (user_id, body, likes, score) select '${USER}', 'm', g, 1.5 from generate_series(1, 5000) g`,
      );
      await retypeCounters(root, ok);
      await apply();
      await ok("harden", "--complete");
      await apply();
      expect(await columnTypes(admin)).toMatchObject({ likes: "bigint", score: "integer" });
      expect((await admin.query("select count(*)::int as n from public.messages where score = 2")).rows).toEqual([
        { n: 5000 },
      ]);

      // body text → integer: PostgreSQL has no implicit cast, and the model says no conversion.
      await editModel(root, (model) => {
        model.entities.Message.fields.body = { type: "integer", required: true };
      });
      await editModule(root, (text) => text.replace("iteration: 2", "iteration: 3"));
      await ok("generate", "--module", "teams", "--allow-destructive");
      await ok("merge");
      const before = await readdir(root, { recursive: true });
      const snapshot = await readFile(join(root, ".pipeline/database/state/production/schema.json"), "utf8");
      for (const command of ["validate", "harden"]) {
        const refused = await dbgen(["--root", root, command]);
        expect(refused.code, refused.stderr).toBe(1);
        expect(refused.stderr).toMatch(
          /^error INVALID_CONFIG \.pipeline\/factory-tools\/busm-reader\/busm-model\.json:\d+ entities\.Message\.fields\.body\.type — messages\.body changes from text to integer in production.*Fix: say how in the model: "using"/m,
        );
      }
      expect(await readdir(root, { recursive: true })).toEqual(before);
      expect(await readFile(join(root, ".pipeline/database/state/production/schema.json"), "utf8")).toBe(snapshot);
    });
  }, 240_000);
});
