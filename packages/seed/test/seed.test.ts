/**
 * Seed data on real engines: each example module's latest state and the production schema (every
 * constraint, trigger and policy in place) load their seed on PGlite and PostgreSQL 15 with every
 * table filled; the same seed gives the same bytes; random models (the bench's synthetic generator),
 * hardened, load theirs without one violation; and `psql --single-transaction` runs the production
 * schema and `supabase/seed.sql` together, the way a reset loads them.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { analyseProject, ensureSqlParser } from "@dbgen/busm-reader";
import { execScript, openDatabase, queryRaw } from "@dbgen/db";
import { planProduction, SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import {
  type DbgenError,
  diffSchemas,
  emptySchema,
  parseSnapshot,
  renderPostgres,
  type Schema,
} from "@dbgen/schema-core";
import { readLatestStates } from "@dbgen/schema-merger";
import { PG_BIN } from "@dbgen/tooling/pg-harness";
import { targetEngines } from "@dbgen/tooling/targets";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain JavaScript shared with the benchmarks, without types
import { syntheticModel } from "../../../tooling/bench/synthetic.mjs";
import { planSeed } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const read = (path: string) => readFile(join(REPO, path), "utf8");
const model = parseSnapshot(await read(".pipeline/database/model/schema.json")).schema;
const production = parseSnapshot(await read(".pipeline/database/state/production/schema.json")).schema;
const productionSql = await read(".pipeline/database/production/schema.sql");
const modules = await readLatestStates(REPO);
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

const createSql = (schema: Schema) =>
  renderPostgres(diffSchemas(emptySchema(schema.name), schema).operations).join("\n");

describe("seed data is deterministic", () => {
  it("the same schema, options and seed give the same bytes; another seed other data", () => {
    const a = planSeed(production, model, { rows: 12, seed: "x" });
    expect(planSeed(structuredClone(production), structuredClone(model), { rows: 12, seed: "x" }).sql).toBe(a.sql);
    expect(planSeed(production, model, { rows: 12, seed: "y" }).sql).not.toBe(a.sql);
    expect(Object.values(a.counts)).toEqual(Array.from({ length: 7 }, () => 12));
  });

  it("honours the model: enum values, patterns, lengths, ranges, unique columns", () => {
    const { sql } = planSeed(production, model, { rows: 200 });
    const numbers = [...sql.matchAll(/'([A-Z]{2}-[0-9]{6})'/g)].map((m) => m[1]);
    expect(numbers.length).toBe(200);
    expect(new Set(numbers).size).toBe(200);
    expect(sql).not.toMatch(/'(Residentail|Unknown)'/);
  });
});

for (const engine of targetEngines()) {
  describe(`seed data on ${engine.name}`, () => {
    /** Creates the schema and loads the seed; any violation throws. Returns the rows each table holds. */
    const load = async (create: string, seed: string, tables: readonly string[]) => {
      const target = await engine.fresh();
      const db = await openDatabase(target.target);
      try {
        await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
        await db.knex.transaction((trx) => execScript(trx, create));
        await db.knex.transaction((trx) => execScript(trx, seed));
        const counts: Record<string, number> = {};
        for (const table of tables)
          counts[table] = Number(
            (await queryRaw<{ n: string }>(db.knex, `select count(*) as n from public.${table}`)).rows[0]?.n,
          );
        return counts;
      } finally {
        await db.close();
        await target.drop();
      }
    };

    it.each(modules.map((m) => [m.module, m.schema] as const))(
      "module %s: loads, every table filled",
      async (_n, schema) => {
        const plan = planSeed(schema, model, { rows: 15 });
        const target = await engine.fresh();
        const db = await openDatabase(target.target);
        try {
          await db.knex.transaction((trx) => execScript(trx, createSql(schema)));
          await db.knex.transaction((trx) => execScript(trx, plan.sql));
          for (const [table, n] of Object.entries(plan.counts)) {
            expect(n, table).toBeGreaterThan(0);
            const { rows } = await queryRaw<{ n: string }>(db.knex, `select count(*) as n from public.${table}`);
            expect(Number(rows[0]?.n), table).toBe(n);
          }
        } finally {
          await db.close();
          await target.drop();
        }
      },
    );

    it("production: loads with every constraint, trigger and policy in place; the audit log shows it", async () => {
      const plan = planSeed(production, model, { rows: 25, authUsers: true });
      const target = await engine.fresh();
      const db = await openDatabase(target.target);
      try {
        await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
        await db.knex.transaction((trx) => execScript(trx, productionSql));
        await db.knex.transaction((trx) => execScript(trx, plan.sql));
        const one = async (sql: string) => Number((await queryRaw<{ n: string }>(db.knex, sql)).rows[0]?.n);
        for (const [table, n] of Object.entries(plan.counts))
          expect(await one(`select count(*) as n from public.${table}`), table).toBe(n);
        expect(await one("select count(*) as n from audit.log")).toBeGreaterThanOrEqual(7 * 25);
        expect(await one("select count(*) as n from auth.users")).toBeGreaterThan(0);
        // Owners are seeded users: each signed-in user owns some accounts, and sees only those.
        const owners = await one("select count(distinct owner_id) as n from public.accounts");
        expect(owners).toBeGreaterThan(1);
        expect(await one("select count(*) as n from public.accounts where primary_location_id is null")).toBe(0);
        // A work order's location is one of its account's.
        expect(
          await one(
            "select count(*) as n from public.work_orders w join public.locations l on l.id = w.location_id where l.account_id <> w.account_id",
          ),
        ).toBe(0);
      } finally {
        await db.close();
        await target.drop();
      }
    });

    it("rows that reach one scope by two paths agree: a lease's company is its unit's property's company, the same tenant claim too", async () => {
      const scoped = (column: string, type: "uuid" | "string", references?: string) => ({
        [column]: { type, required: true, ...(references ? { references } : {}) },
      });
      for (const [kind, tenant] of [
        ["a company table", (t?: string) => scoped("company_id", "uuid", t ?? "Company")],
        ["a JWT claim", () => scoped("company_id", "string")],
      ] as const) {
        const access = { mode: "tenant", column: "company_id", claim: "company_id" };
        const project = analyseProject(
          {
            file: "busm.json",
            text: JSON.stringify({
              busm: "1",
              entities: {
                Company: { fields: { name: { type: "string", required: true } } },
                Property: { access, fields: { ...tenant(), address: { type: "text", required: true } } },
                Unit: {
                  access: { mode: "parent", via: "property_id" },
                  fields: {
                    property_id: { type: "uuid", references: "Property", required: true },
                    label: { type: "string" },
                  },
                },
                Lease: {
                  access,
                  fields: {
                    ...tenant(),
                    unit_id: { type: "uuid", references: "Unit", required: true },
                    starts_on: { type: "date", required: true },
                  },
                },
              },
            }),
          },
          [],
        );
        const schema = project.schema;
        if (!schema) throw new Error(JSON.stringify(project.diagnostics));
        const plan = planSeed(schema, undefined, { rows: 24, rowsPer: { companies: 4 }, tenants: 4 });
        const target = await engine.fresh();
        const db = await openDatabase(target.target);
        try {
          await db.knex.transaction((trx) => execScript(trx, createSql(schema)));
          await db.knex.transaction((trx) => execScript(trx, plan.sql));
          const one = async (sql: string) => Number((await queryRaw<{ n: string }>(db.knex, sql)).rows[0]?.n);
          expect(await one("select count(*) as n from public.leases"), kind).toBe(24);
          expect(await one("select count(distinct company_id) as n from public.leases"), kind).toBeGreaterThan(1);
          expect(
            await one(
              "select count(*) as n from public.leases l join public.units u on u.id = l.unit_id join public.properties p on p.id = u.property_id where p.company_id <> l.company_id",
            ),
            kind,
          ).toBe(0);
        } finally {
          await db.close();
          await target.drop();
        }
      }
    });

    it("every column type loads its seed, required ones filled (the §2b types, arrays, vectors on PGlite)", async () => {
      const types = ["smallint", "double", "timestamp", "interval", "inet", "bytea", "citext", "tsvector"];
      const project = analyseProject(
        {
          file: "busm.json",
          text: JSON.stringify({
            busm: "1",
            entities: {
              Sample: {
                fields: {
                  ...Object.fromEntries(types.map((type) => [`${type}_value`, { type, required: true }])),
                  tags: { type: "string", maxLength: 12, array: true, required: true },
                  moods: { type: "enum", values: ["calm", 'tense "quoted"'], array: true, required: true },
                  scores: { type: "integer", array: true },
                  // pgvector is not in Debian's PostgreSQL 15.
                  ...(engine.name === "PGlite" ? { embedding: { type: "vector", dimensions: 3, required: true } } : {}),
                },
              },
            },
          }),
        },
        [],
      );
      const schema = project.schema;
      if (!schema) throw new Error(JSON.stringify(project.diagnostics));
      const plan = planSeed(schema, undefined, { rows: 20 });
      expect(await load(createSql(schema), plan.sql, ["samples"])).toEqual({ samples: 20 });
    });

    it("rows keep the bounds and orders of the model's checks, and name the checks it cannot read", async () => {
      await ensureSqlParser();
      const project = analyseProject(
        {
          file: "busm.json",
          text: JSON.stringify({
            busm: "1",
            entities: {
              Lease: {
                fields: {
                  code: { type: "string", required: true },
                  starts_on: { type: "date", required: true },
                  ends_on: { type: "date", required: true },
                  rent: { type: "decimal", precision: 8, scale: 2, required: true },
                  year: { type: "smallint", required: true },
                  floor: { type: "integer" },
                },
                checks: [
                  { name: "ends_after_start", sql: "ends_on > starts_on" },
                  { name: "rent_range", sql: "rent BETWEEN 100 AND 5000 AND year >= 1901 AND year < 2156" },
                  { name: "floor_positive", sql: "floor > 0" },
                  { name: "code_present", sql: "lower(code) <> ''" },
                ],
              },
            },
          }),
        },
        [],
      );
      const schema = project.schema;
      if (!schema) throw new Error(JSON.stringify(project.diagnostics));
      const hardened = planProduction({ merged: schema, union: schema, nowMs: 0 });
      const plan = planSeed(hardened.schema, schema, { rows: 40 });
      expect(plan.unreadChecks).toEqual(["leases.code_present"]);
      expect(await load(hardened.freshInstall, plan.sql, ["leases"])).toEqual({ leases: 40 });
    });

    it("random models, hardened, load their seed without one violation", async () => {
      for (const seed of [3, 11, 29]) {
        const project = analyseProject({ file: "busm.json", text: JSON.stringify(syntheticModel(12, seed)) }, []);
        const schema = project.schema;
        if (!schema) throw new Error(JSON.stringify(project.diagnostics));
        const hardened = planProduction({ merged: schema, union: schema, nowMs: 0 });
        const plan = planSeed(hardened.schema, schema, { rows: 30, seed: String(seed) });
        expect(await load(hardened.freshInstall, plan.sql, Object.keys(plan.counts))).toEqual(plan.counts);
      }
    }, 120_000);
  });
}

describe("seeded users in Supabase's auth schema", () => {
  it("fill auth.users the way Supabase holds them (confirmed, email provider) where it has those columns", async () => {
    const { createTestDatabase } = await import("@dbgen/tooling/pg-harness");
    const { inject } = await import("vitest");
    const adminUrl = inject("pgAdminUrl");
    if (!adminUrl) return;
    const db = await createTestDatabase(adminUrl);
    const conn = await openDatabase({ kind: "postgres", url: db.url });
    try {
      // auth.users as Supabase creates it (the columns the seed writes), before the shim's lesser one.
      await conn.knex.transaction((trx) =>
        execScript(
          trx,
          `CREATE SCHEMA auth; CREATE TABLE auth.users (instance_id uuid, id uuid PRIMARY KEY, aud varchar(255), role varchar(255), email varchar(255), encrypted_password varchar(255), email_confirmed_at timestamptz, raw_app_meta_data jsonb, raw_user_meta_data jsonb, created_at timestamptz, updated_at timestamptz);`,
        ),
      );
      await conn.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
      await conn.knex.transaction((trx) => execScript(trx, productionSql));
      await conn.knex.transaction((trx) =>
        execScript(trx, planSeed(production, model, { rows: 8, authUsers: true }).sql),
      );
      const { rows } = await queryRaw<{ n: string; confirmed: string; provider: string }>(
        conn.knex,
        "select count(*) as n, count(email_confirmed_at) as confirmed, min(raw_app_meta_data->>'provider') as provider from auth.users where aud = 'authenticated'",
      );
      expect(rows[0]).toEqual({ n: "8", confirmed: "8", provider: "email" });
      const owners = await queryRaw<{ n: string }>(
        conn.knex,
        "select count(*) as n from public.accounts a join auth.users u on u.id = a.owner_id",
      );
      expect(owners.rows[0]?.n).toBe("8");
    } finally {
      await conn.close();
      await db.drop();
    }
  });
});

describe("a reset-style load", () => {
  it("psql --single-transaction runs the production schema, then supabase/seed.sql", async () => {
    const { createTestDatabase } = await import("@dbgen/tooling/pg-harness");
    const { inject } = await import("vitest");
    const adminUrl = inject("pgAdminUrl");
    if (!adminUrl) return;
    const db = await createTestDatabase(adminUrl);
    const dir = await mkdtemp(join(tmpdir(), "dbgen-seed-"));
    temps.push(dir);
    try {
      await writeFile(join(dir, "shim.sql"), SUPABASE_SHIM_SQL);
      await writeFile(join(dir, "seed.sql"), planSeed(production, model, { rows: 20, authUsers: true }).sql);
      const psql = (args: string[]) =>
        promisify(execFile)(join(PG_BIN, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", ...args, db.url]);
      await psql(["-f", join(dir, "shim.sql")]);
      await psql([
        "--single-transaction",
        "-f",
        join(REPO, ".pipeline/database/production/schema.sql"),
        "-f",
        join(dir, "seed.sql"),
      ]);
      const { stdout } = await psql(["-At", "-c", "select count(*) from public.work_orders"]);
      expect(stdout.trim()).toBe("20");
    } finally {
      await db.drop();
    }
  });
});

/** A model as the whole pipeline sees it: read, hardened, seeded with `--rows` alone, loaded. */
function hardenedModel(entities: Record<string, unknown>) {
  const project = analyseProject({ file: "busm.json", text: JSON.stringify({ busm: "1", entities }) }, []);
  if (!project.schema) throw new Error(JSON.stringify(project.diagnostics));
  const hardened = planProduction({ merged: project.schema, union: project.schema, nowMs: 0 });
  return { model: project.schema, hardened };
}

const open = { mode: "authenticated" };
const id = { type: "uuid", primaryKey: true };
const cycles: [string, Record<string, unknown>][] = [
  [
    "two tables, the required side first by name (addresses.customer_id required, customers.default_address_id nullable)",
    {
      Address: {
        access: open,
        fields: {
          id,
          customer_id: { type: "uuid", references: "Customer", required: true },
          street: { type: "string" },
        },
      },
      Customer: {
        access: open,
        fields: {
          id,
          name: { type: "string", required: true },
          default_address_id: { type: "uuid", references: "Address" },
        },
      },
    },
  ],
  [
    "a chain of three, one nullable link (a → b → c required, c → a nullable)",
    {
      Alpha: { access: open, fields: { id, beta_id: { type: "uuid", references: "Beta", required: true } } },
      Beta: { access: open, fields: { id, gamma_id: { type: "uuid", references: "Gamma", required: true } } },
      Gamma: { access: open, fields: { id, alpha_id: { type: "uuid", references: "Alpha" } } },
    },
  ],
  [
    "a customer one-to-one with its signed-in user, and a cycle through it",
    {
      User: {
        access: { mode: "service-only" },
        fields: { id, email: { type: "email", required: true, unique: true } },
      },
      Customer: {
        access: open,
        fields: {
          id,
          user_id: { type: "uuid", references: "User", required: true, unique: true },
          home_id: { type: "uuid", references: "Home" },
        },
      },
      Home: { access: open, fields: { id, customer_id: { type: "uuid", references: "Customer", required: true } } },
    },
  ],
];

describe("reference cycles with a nullable side seed with --rows alone", () => {
  for (const engine of targetEngines()) {
    it.each(cycles)(`${engine.name}: %s`, async (_name, entities) => {
      const { model: facts, hardened } = hardenedModel(entities);
      const plan = planSeed(hardened.schema, facts, { rows: 8 });
      const target = await engine.fresh();
      const db = await openDatabase(target.target);
      try {
        await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
        await db.knex.transaction((trx) => execScript(trx, hardened.freshInstall));
        await db.knex.transaction((trx) => execScript(trx, plan.sql));
        for (const [table, n] of Object.entries(plan.counts)) {
          expect(n, table).toBe(8);
          const { rows } = await queryRaw<{ n: string }>(db.knex, `select count(*) as n from public.${table}`);
          expect(Number(rows[0]?.n), table).toBe(n);
        }
        // The nullable side is filled afterwards, not left empty.
        for (const t of hardened.schema.tables)
          for (const fk of t.foreignKeys) {
            const column = fk.columns[0] as string;
            const { rows } = await queryRaw<{ n: string }>(
              db.knex,
              `select count(*) as n from public.${t.name} where ${column} is null`,
            );
            expect(Number(rows[0]?.n), `${t.name}.${column}`).toBe(0);
          }
      } finally {
        await db.close();
        await target.drop();
      }
    });
  }

  it("a cycle of required references only is refused, naming it, with a fix", () => {
    const { model: facts, hardened } = hardenedModel({
      Egg: { access: open, fields: { id, hen_id: { type: "uuid", references: "Hen", required: true } } },
      Hen: { access: open, fields: { id, egg_id: { type: "uuid", references: "Egg", required: true } } },
    });
    const refusal = (() => {
      try {
        planSeed(hardened.schema, facts, { rows: 3 });
      } catch (error) {
        return (error as DbgenError).diagnostics[0];
      }
      return undefined;
    })();
    expect(refusal?.code).toBe("INVALID_CONFIG");
    expect(refusal?.message).toMatch(/eggs, hens: their required references form a circle/);
    expect(refusal?.fix).toMatch(/make one reference of the circle nullable/);
  });
});
