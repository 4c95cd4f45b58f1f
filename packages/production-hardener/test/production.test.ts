/**
 * Production on PostgreSQL 15 set up like Supabase (roles anon, authenticated, service_role; auth
 * functions reading request.jwt.claims; Supabase's default grants): the fresh install, the upgrade
 * over rows, row-level security as each role, the audit log, system columns, soft delete, and our
 * lint suite of Supabase's ten facts.
 */

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { analyseProject, type BusmModel, ensureSqlParser, modelFacts, readProject } from "@dbgen/busm-reader";
import { introspectPostgres, openDatabase, splitStatements } from "@dbgen/db";
import { DEFAULT_PATHS, DEFAULT_PRODUCTION_CONFIG } from "@dbgen/project";
import {
  diffSchemas,
  emptySchema,
  parseSnapshot,
  physicalShape,
  renderPostgres,
  type Schema,
} from "@dbgen/schema-core";
import { mergeModules, readLatestStates } from "@dbgen/schema-merger";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { pgDelta } from "@dbgen/tooling/supabase-cli";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type ProductionMigration,
  type ProductionPlan,
  parseBackfill,
  planProduction,
  SUPABASE_SHIM_SQL,
} from "../src/index.js";
import { LINTS } from "./lint.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const adminUrl = inject("pgAdminUrl");
const project = await readProject(REPO);
if (!project.model) throw new Error("example has errors");
const model = project.model;
const merge = mergeModules(modelFacts(model), await readLatestStates(REPO));
await ensureSqlParser();
const backfills = parseBackfill(await readFile(`${REPO}/${DEFAULT_PATHS.backfill}`, "utf8"));
/** A database that holds the prototype tables: the union, then the lock-safe upgrade. */
const fromPrototype = { ...DEFAULT_PRODUCTION_CONFIG, firstInstall: "from-prototype" } as const;
const plan = planProduction({
  merged: merge.merged,
  union: merge.union,
  backfills,
  nowMs: Date.UTC(2026, 10, 24),
  timeouts: fromPrototype,
});
const [unionMigration, ...hardenMigrations] = plan.migrations;

/** Runs migration files the way the Supabase CLI does: each in one transaction, or statement by statement outside one. */
async function run(client: pg.Client, files: readonly string[], outside: readonly boolean[]): Promise<void> {
  for (const [i, sql] of files.entries()) {
    if (outside[i]) for (const statement of splitStatements(sql)) await client.query(statement);
    else await client.query(`begin;\n${sql}\ncommit;`);
  }
}
const upgrade = (client: pg.Client, migrations: readonly ProductionMigration[] = hardenMigrations) =>
  run(
    client,
    migrations.map((m) => m.up),
    migrations.map((m) => m.outsideTransaction),
  );
const downgrade = (client: pg.Client, migrations: readonly ProductionMigration[] = hardenMigrations) => {
  const reversed = [...migrations].reverse();
  return run(
    client,
    reversed.map((m) => m.down),
    reversed.map((m) => m.outsideTransaction),
  );
};

const A = "00000000-0000-0000-0000-00000000000a";
const B = "00000000-0000-0000-0000-00000000000b";
const T1 = "00000000-0000-0000-0000-0000000000f1";
const T2 = "00000000-0000-0000-0000-0000000000f2";

async function supabaseDatabase(): Promise<{ client: pg.Client; url: string; drop(): Promise<void> }> {
  const db = await createTestDatabase(adminUrl);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(SUPABASE_SHIM_SQL);
  return {
    client,
    url: db.url,
    drop: async () => {
      await client.end();
      await db.drop();
    },
  };
}

/** Runs `fn` as `role` with the JWT claims PostgREST would set, in a transaction rolled back unless `commit`. */
async function as<T>(
  client: pg.Client,
  role: string,
  claims: Record<string, unknown>,
  fn: () => Promise<T>,
  commit = true,
): Promise<T> {
  await client.query("begin");
  try {
    await client.query(`set local role ${role}`);
    await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ role, ...claims })]);
    const result = await fn();
    await client.query(commit ? "commit" : "rollback");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}
const user = (sub: string, extra: Record<string, unknown> = {}) => ({ sub, ...extra });

describe.skipIf(!adminUrl)("production on PostgreSQL 15 set up like Supabase", () => {
  let fresh: Awaited<ReturnType<typeof supabaseDatabase>>;
  beforeAll(async () => {
    fresh = await supabaseDatabase();
    await fresh.client.query(plan.freshInstall);
    // Two users, and rows to reach: as the table owner (migrations and seeds run so).
    await fresh.client.query(
      `insert into public.users (id, email, full_name) values ('${A}', 'a@example.test', 'A'), ('${B}', 'b@example.test', 'B')`,
    );
    await fresh.client.query(`insert into public.accounts (id, account_number, name, type, owner_id) values
      ('00000000-0000-0000-0000-0000000000a1', 'AA-000001', 'A one', 'Commercial', '${A}'),
      ('00000000-0000-0000-0000-0000000000b1', 'BB-000001', 'B one', 'Residential', '${B}')`);
    await fresh.client.query(
      `insert into public.services (id, code, name, unit_price) values ('00000000-0000-0000-0000-00000000005e', 'SVC', 'Service', 10)`,
    );
    await fresh.client.query(`insert into public.work_orders (number, tenant_id, account_id, service_id, summary) values
      (1, '${T1}', '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-00000000005e', 'T1 job'),
      (2, '${T2}', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000005e', 'T2 job')`);
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it("schema.sql applies to an empty database and passes every lint", async () => {
    for (const [name, sql] of Object.entries(LINTS)) {
      const { rows } = await fresh.client.query(sql);
      expect(
        rows.map((r) => r.finding),
        name,
      ).toEqual([]);
    }
  });

  it("owner mode: A sees and changes only A's rows; inserting B's row fails; B's rows change 0 rows", async () => {
    await as(fresh.client, "authenticated", user(A), async () => {
      const { rows } = await fresh.client.query("select name from public.accounts order by name");
      expect(rows).toEqual([{ name: "A one" }]);
      expect(
        (await fresh.client.query("update public.accounts set name = 'B renamed' where owner_id = $1", [B])).rowCount,
      ).toBe(0);
      expect((await fresh.client.query("delete from public.accounts where owner_id = $1", [B])).rowCount).toBe(0);
      expect(
        (await fresh.client.query("update public.accounts set notes = 'mine' where owner_id = $1", [A])).rowCount,
      ).toBe(1);
    });
    await expect(
      as(fresh.client, "authenticated", user(A), () =>
        fresh.client.query(
          `insert into public.accounts (account_number, name, type, owner_id) values ('AA-000002', 'Sneaky', 'Commercial', '${B}')`,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await as(fresh.client, "authenticated", user(A), () =>
      fresh.client.query(
        `insert into public.accounts (account_number, name, type, owner_id) values ('AA-000003', 'A two', 'Commercial', '${A}')`,
      ),
    );
  });

  it("parent mode: a location is reachable exactly when its account is; nobody attaches one to another's account", async () => {
    await fresh.client.query(`insert into public.locations (id, account_id, address) values
      ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'A street'),
      ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000b1', 'B street')`);
    const seen = await as(fresh.client, "authenticated", user(A), async () => {
      expect(
        (await fresh.client.query("update public.locations set city = 'X' where address = 'B street'")).rowCount,
      ).toBe(0);
      return (await fresh.client.query("select address from public.locations order by address")).rows;
    });
    expect(seen).toEqual([{ address: "A street" }]);
    await expect(
      as(fresh.client, "authenticated", user(A), () =>
        fresh.client.query(
          "insert into public.locations (account_id, label, address) values ('00000000-0000-0000-0000-0000000000b1', 'Mine now', 'B side')",
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    // An open child of a scoped parent (contacts are `authenticated`) cannot be attached to another's account either.
    await expect(
      as(fresh.client, "authenticated", user(A), () =>
        fresh.client.query(
          "insert into public.contacts (account_id, first_name, last_name) values ('00000000-0000-0000-0000-0000000000b1', 'Eve', 'Spy')",
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await as(
      fresh.client,
      "authenticated",
      user(A),
      () =>
        fresh.client.query(
          "insert into public.contacts (account_id, first_name, last_name) values ('00000000-0000-0000-0000-0000000000a1', 'Ada', 'Lovelace')",
        ),
      false,
    );
  });

  it("tenant mode: a row cannot point at another tenant's or owner's row (foreign keys bypass row-level security)", async () => {
    // A's tenant T1 work order pointing at B's account: the foreign key holds, the policy must not.
    await expect(
      as(fresh.client, "authenticated", user(A, { tenant_id: T1 }), () =>
        fresh.client.query(
          `insert into public.work_orders (number, tenant_id, account_id, service_id, summary) values (9, '${T1}', '00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-00000000005e', 'Cross')`,
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await as(
      fresh.client,
      "authenticated",
      user(A, { tenant_id: T1 }),
      () =>
        fresh.client.query(
          `insert into public.work_orders (number, tenant_id, account_id, service_id, summary) values (10, '${T1}', '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-00000000005e', 'Own')`,
        ),
      false,
    );
  });

  it("tenant mode: a user sees only the tenant of their JWT claim", async () => {
    const seen = await as(
      fresh.client,
      "authenticated",
      user(A, { tenant_id: T1 }),
      async () => (await fresh.client.query("select summary from public.work_orders")).rows,
    );
    expect(seen).toEqual([{ summary: "T1 job" }]);
    const other = await as(
      fresh.client,
      "authenticated",
      user(A, { tenant_id: T2 }),
      async () => (await fresh.client.query("select summary from public.work_orders")).rows,
    );
    expect(other).toEqual([{ summary: "T2 job" }]);
  });

  it("anon reads only public-read tables and writes nothing; service-only tables are invisible; service_role sees everything", async () => {
    const services = await as(
      fresh.client,
      "anon",
      {},
      async () => (await fresh.client.query("select code from public.services")).rows,
    );
    expect(services).toEqual([{ code: "SVC" }]);
    await expect(
      as(fresh.client, "anon", {}, () => fresh.client.query("select * from public.accounts")),
    ).rejects.toThrow(/permission denied/);
    await expect(
      as(fresh.client, "anon", {}, () =>
        fresh.client.query("insert into public.services (code, name, unit_price) values ('X', 'X', 1)"),
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
    await expect(
      as(fresh.client, "authenticated", user(A), () => fresh.client.query("select * from public.users")),
    ).rejects.toThrow(/permission denied/);
    const all = await as(
      fresh.client,
      "service_role",
      {},
      async () => (await fresh.client.query("select count(*)::int as n from public.accounts")).rows[0],
    );
    expect(all).toEqual({ n: 3 });
  });

  it("keeps system columns, audits every write with the actor, and soft-deletes through the API", async () => {
    const id = "00000000-0000-0000-0000-0000000000a1";
    const before = (await fresh.client.query("select version, updated_at from public.accounts where id = $1", [id]))
      .rows[0];
    await new Promise((r) => setTimeout(r, 20));
    await as(fresh.client, "authenticated", user(A), () =>
      fresh.client.query("update public.accounts set name = 'A first', version = 99, created_by = $2 where id = $1", [
        id,
        B,
      ]),
    );
    const after = (
      await fresh.client.query(
        "select version, updated_at, updated_by, created_by from public.accounts where id = $1",
        [id],
      )
    ).rows[0];
    expect(after.version).toBe(before.version + 1);
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect(after.updated_by).toBe(A);
    expect(after.created_by).toBeNull(); // set by the seed (no user), not by the client's update
    // A soft-deletes A's row through the API: it disappears from API reads, service_role still sees it.
    await as(fresh.client, "authenticated", user(A), () =>
      fresh.client.query("delete from public.accounts where id = $1", [id]),
    );
    const visible = await as(
      fresh.client,
      "authenticated",
      user(A),
      async () => (await fresh.client.query("select id from public.accounts where id = $1", [id])).rowCount,
    );
    expect(visible).toBe(0);
    const kept = (
      await fresh.client.query("select deleted_at is not null as deleted from public.accounts where id = $1", [id])
    ).rows[0];
    expect(kept).toEqual({ deleted: true });
    await as(fresh.client, "service_role", {}, () =>
      fresh.client.query("update public.accounts set deleted_at = null where id = $1", [id]),
    );
    expect(
      await as(
        fresh.client,
        "authenticated",
        user(A),
        async () => (await fresh.client.query("select id from public.accounts where id = $1", [id])).rowCount,
      ),
    ).toBe(1);
    // A hard delete (service_role) is logged as a DELETE.
    await as(fresh.client, "service_role", {}, () =>
      fresh.client.query("delete from public.work_orders where number = 2"),
    );
    const log = (
      await fresh.client.query(
        "select table_name, operation, actor from audit.log where record_id = $1 order by at, operation",
        [id],
      )
    ).rows;
    // Seeded (no user), A's two updates (here and in the owner test), A's soft delete, service_role's restore.
    expect(log.map((l) => [l.operation, l.actor])).toEqual([
      ["INSERT", null],
      ["UPDATE", A],
      ["UPDATE", A],
      ["UPDATE", A],
      ["UPDATE", null],
    ]);
    expect(
      (
        await fresh.client.query(
          "select operation from audit.log where table_name = 'work_orders' and operation = 'DELETE'",
        )
      ).rowCount,
    ).toBe(1);
    await expect(
      as(fresh.client, "authenticated", user(A), () => fresh.client.query("select * from audit.log")),
    ).rejects.toThrow(/permission denied/);
    await expect(
      as(fresh.client, "authenticated", user(A), () =>
        fresh.client.query(
          "insert into audit.log (table_schema, table_name, record_id, operation) values ('x', 'y', 'z', 'INSERT')",
        ),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe.skipIf(!adminUrl)("join tables in production", () => {
  it("reach a join row only when the user can reach both rows it joins", async () => {
    const busm: BusmModel = {
      busm: "1",
      entities: {
        User: { fields: { email: { type: "email" } } },
        Project: {
          access: { mode: "owner", column: "owner_id" },
          fields: { name: { type: "string" }, owner_id: { type: "uuid", references: "User", required: true } },
        },
        Tag: { access: { mode: "public-read" }, fields: { label: { type: "string" } } },
      },
      relationships: [{ from: "Project", to: "Tag", type: "many-to-many" }],
    };
    const analysed = analyseProject({ file: "busm.json", text: JSON.stringify(busm) }, [
      {
        file: ".pipeline/modules/p-phase1.yaml",
        text: "module: p\nphase: 1\nentities: [Project, Tag]\nfields:\n  Project: [id, name]\n  Tag: [id, label]\n",
      },
    ]);
    const state = analysed.modules[0]?.schema as Schema;
    const merged = mergeModules(modelFacts(busm), [{ module: "p", iteration: 1, schema: state }]);
    expect(merged.merged.tables.map((t) => t.name)).toEqual(["project_tags", "projects", "tags", "users"]);
    const joinPlan = planProduction({ merged: merged.merged, union: merged.union, nowMs: 0 });
    const db = await supabaseDatabase();
    try {
      await db.client.query(joinPlan.freshInstall);
      for (const [name, sql] of Object.entries(LINTS))
        expect(
          (await db.client.query(sql)).rows.map((r) => r.finding),
          name,
        ).toEqual([]);
      await db.client.query(`insert into public.users (id) values ('${A}'), ('${B}')`);
      await db.client.query(
        `insert into public.projects (id, name, owner_id) values ('00000000-0000-0000-0000-0000000000a1', 'A''s', '${A}'), ('00000000-0000-0000-0000-0000000000b1', 'B''s', '${B}')`,
      );
      await db.client.query(
        `insert into public.tags (id, label) values ('00000000-0000-0000-0000-0000000000d1', 'urgent')`,
      );
      await db.client.query(
        `insert into public.project_tags (project_id, tag_id) values ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000d1'), ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000d1')`,
      );
      const seen = await as(
        db.client,
        "authenticated",
        user(A),
        async () => (await db.client.query("select project_id from public.project_tags")).rows,
      );
      expect(seen).toEqual([{ project_id: "00000000-0000-0000-0000-0000000000a1" }]);
      await expect(
        as(db.client, "authenticated", user(A), () =>
          db.client.query(
            "insert into public.project_tags (project_id, tag_id) values ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000d2')",
          ),
        ),
      ).rejects.toThrow(/row-level security/);
      expect(
        await as(
          db.client,
          "authenticated",
          user(A),
          async () =>
            (
              await db.client.query(
                "delete from public.project_tags where project_id = '00000000-0000-0000-0000-0000000000b1'",
              )
            ).rowCount,
        ),
      ).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

describe.skipIf(!adminUrl)("the production upgrade over a prototype database with rows", () => {
  const fill = async (client: pg.Client) => {
    await client.query(
      `insert into public.accounts (id, name, type, status) values ('00000000-0000-0000-0000-0000000000a1', 'Acme', 'Commercial', 'Active'), ('00000000-0000-0000-0000-0000000000a2', 'Beta', 'Residential', 'Active')`,
    );
    await client.query(
      `insert into public.locations (id, account_id, address) values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', '1 Main St')`,
    );
    await client.query(
      `update public.accounts set primary_location_id = '00000000-0000-0000-0000-0000000000e1' where id = '00000000-0000-0000-0000-0000000000a1'`,
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
  };
  const counts = async (client: pg.Client) =>
    Object.fromEntries(
      await Promise.all(
        ["accounts", "locations", "contacts", "services", "work_orders"].map(async (t) => [
          t,
          (await client.query(`select count(*)::int as n from public.${t}`)).rows[0].n,
        ]),
      ),
    );

  it("gives the fresh install's shape, with no row lost", async () => {
    const upgraded = await supabaseDatabase();
    const reference = await supabaseDatabase();
    try {
      await upgraded.client.query(unionMigration?.up ?? "");
      await fill(upgraded.client);
      const unsecured = async (client: pg.Client) =>
        (await client.query(LINTS["1a RLS on every table of the exposed schema"] ?? "")).rows
          .map((r) => r.finding)
          .sort();
      // The first migration already closes every table to the API …
      expect(await unsecured(upgraded.client)).toEqual([]);
      // … and the lint suite is not vacuous: the union as the prototype databases hold it breaks fact 1.
      const open = await supabaseDatabase();
      try {
        await open.client.query(renderPostgres(diffSchemas(emptySchema(), merge.union).operations).join("\n"));
        expect(await unsecured(open.client)).toEqual(["accounts", "contacts", "locations", "services", "work_orders"]);
      } finally {
        await open.drop();
      }
      const before = await counts(upgraded.client);
      await upgrade(upgraded.client);
      expect(await counts(upgraded.client)).toEqual(before);
      const { rows } = await upgraded.client.query(
        "select account_number, owner_id from public.accounts order by name",
      );
      expect(rows).toEqual([
        { account_number: "AC-000001", owner_id: "00000000-0000-0000-0000-00000000d0d0" },
        { account_number: "AC-000002", owner_id: "00000000-0000-0000-0000-00000000d0d0" },
      ]);
      await reference.client.query(plan.freshInstall);
      const shape = async (url: string) => {
        const db = await openDatabase({ kind: "postgres", url });
        try {
          const live = await introspectPostgres(db.knex);
          const tables = live.tables.map((t) => ({
            ...t,
            policies: t.policies,
            triggers: t.triggers,
            grants: t.grants,
          }));
          return {
            shape: physicalShape({ ...live, tables }, { columnOrder: "name" }),
            security: tables.map((t) => [t.name, t.policies, t.triggers, t.grants]),
          };
        } finally {
          await db.close();
        }
      };
      const a = await shape(upgraded.url);
      const b = await shape(reference.url);
      expect(a.shape).toEqual(b.shape);
      expect(a.security).toEqual(b.security);
      for (const [name, sql] of Object.entries(LINTS))
        expect(
          (await upgraded.client.query(sql)).rows.map((r) => r.finding),
          name,
        ).toEqual([]);
      // And back down: the union again.
      await downgrade(upgraded.client);
      const down = await openDatabase({ kind: "postgres", url: upgraded.url });
      try {
        expect(physicalShape(await introspectPostgres(down.knex), { columnOrder: "name" })).toEqual(
          physicalShape(merge.union as Schema, { columnOrder: "name" }),
        );
      } finally {
        await down.close();
      }
    } finally {
      await upgraded.drop();
      await reference.drop();
    }
  });

  it("a later change making a field required: said before it is written, stopped on rows, re-planned by a backfill added after", async () => {
    const nowMs = Date.UTC(2026, 10, 24);
    const stateOf = (p: ProductionPlan, file: string) =>
      parseSnapshot(p.files.find((f) => f.path.endsWith(file))?.content ?? "");
    const first = planProduction({ merged: merge.merged, union: merge.union, backfills, nowMs });
    expect(first.needsBackfill).toEqual([]);
    const changed: Schema = {
      ...merge.merged,
      tables: merge.merged.tables.map((t) =>
        t.name !== "services"
          ? t
          : {
              ...t,
              columns: [
                ...t.columns,
                { name: "category", logicalType: "string", nullable: false, type: { name: "varchar", length: 40 } },
              ],
            },
      ),
    };
    const second = planProduction({
      merged: changed,
      union: merge.union,
      backfills,
      previous: stateOf(first, "production/schema.json"),
      existingMigrations: first.migrations.map((m) => `${m.name}.sql`),
      nowMs: nowMs + 60_000,
    });
    const main = second.migrations[0]?.name ?? "";
    expect(main).toMatch(/_production_change$/);
    expect(second.needsBackfill).toEqual([{ table: "services", column: "category", migration: main }]);
    expect(second.files.some((f) => f.path.endsWith("database/state/production/base-schema.json"))).toBe(true);
    const db = await supabaseDatabase();
    try {
      await db.client.query(`begin;\n${first.freshInstall}\ncommit;`);
      await db.client.query(
        `insert into public.services (id, code, name, unit_price) values ('00000000-0000-0000-0000-00000000005e', 'SVC', 'Service', 10)`,
      );
      await expect(upgrade(db.client, second.migrations)).rejects.toThrow(
        /services\.category must become NOT NULL, but 1 row\(s\) hold NULL there/,
      );
      await db.client.query("rollback");
      // The backfill the error asks for, added after the change was written: the change is re-planned.
      const third = planProduction({
        merged: changed,
        union: merge.union,
        backfills: [...backfills, { table: "services", column: "category", value: "'general'" }],
        previous: stateOf(second, "production/schema.json"),
        base: stateOf(second, "production/base-schema.json"),
        existingMigrations: [...first.migrations, ...second.migrations].map((m) => `${m.name}.sql`),
        nowMs: nowMs + 120_000,
      });
      expect(third.unchanged).toBe(true);
      expect(third.replanned).toBe(true);
      expect(third.needsBackfill).toEqual([]);
      expect(third.migrations.map((m) => m.name)).toEqual(second.migrations.map((m) => m.name));
      await upgrade(db.client, third.migrations);
      const { rows } = await db.client.query("select code, category from public.services");
      expect(rows).toEqual([{ code: "SVC", category: "general" }]);
      // Once a later change is planned after it, that change is left as it is.
      const fourth = planProduction({
        merged: changed,
        union: merge.union,
        backfills,
        previous: stateOf(third, "production/schema.json"),
        base: stateOf(third, "production/base-schema.json"),
        existingMigrations: [...first.migrations, ...third.migrations]
          .map((m) => `${m.name}.sql`)
          .concat("29990101000000_harden.sql"),
        nowMs: nowMs + 180_000,
      });
      expect(fourth.replanned).toBe(false);
    } finally {
      await db.drop();
    }
  });

  it("without a backfill, stops atomically and names the rows", async () => {
    const bare = planProduction({
      merged: merge.merged,
      union: merge.union,
      nowMs: Date.UTC(2026, 10, 24),
      timeouts: fromPrototype,
    });
    const db = await supabaseDatabase();
    try {
      await db.client.query(bare.migrations[0]?.up ?? "");
      await fill(db.client);
      await expect(upgrade(db.client, bare.migrations.slice(1))).rejects.toThrow(
        /accounts\.account_number must become NOT NULL, but 2 row\(s\) hold NULL there, e\.g\. \{.*"name": "Acme"/,
      );
      await db.client.query("rollback");
      const { rows } = await db.client.query(
        "select count(*)::int as n from information_schema.columns where table_name = 'accounts' and column_name = 'account_number'",
      );
      expect(rows).toEqual([{ n: 0 }]);
      // The failed harden left nothing more open than the first migration made it.
      await expectClosed(db.client);
    } finally {
      await db.drop();
    }
  });

  it("after only the first migration, anon and authenticated can neither read nor write any table", async () => {
    const db = await supabaseDatabase();
    try {
      await db.client.query(unionMigration?.up ?? "");
      await fill(db.client);
      await expectClosed(db.client);
    } finally {
      await db.drop();
    }
  });
});

/** Every table of the union has RLS on, and the API's roles can neither read nor write any of them. */
async function expectClosed(client: pg.Client): Promise<void> {
  const tables = merge.union.tables.map((t) => t.name);
  const { rows } = await client.query(
    "select relname, relrowsecurity from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1",
  );
  const ours = rows.filter((r) => tables.includes(r.relname));
  expect(ours).toHaveLength(tables.length);
  expect(ours.every((r) => r.relrowsecurity === true)).toBe(true);
  for (const role of ["anon", "authenticated"])
    for (const table of tables) {
      await expect(as(client, role, user(A), () => client.query(`select * from public.${table}`))).rejects.toThrow(
        /permission denied/,
      );
      await expect(as(client, role, user(A), () => client.query(`delete from public.${table}`))).rejects.toThrow(
        /permission denied/,
      );
    }
}

describe.skipIf(!adminUrl)("the first install", () => {
  it("onto a database without the tables is one transactional file saying why; onto the prototype tables, the lock-safe split says why", async () => {
    const first = planProduction({
      merged: merge.merged,
      union: merge.union,
      backfills,
      nowMs: Date.UTC(2026, 10, 24),
    });
    expect(first.migrations.map((m) => m.name)).toEqual(["20261124000000_first_install"]);
    const [only] = first.migrations;
    expect(only?.outsideTransaction).toBe(false);
    expect(only?.up).toMatch(
      /^-- One file, one transaction: every table is created here, so none holds a row while it runs/m,
    );
    expect(plan.migrations.length).toBeGreaterThan(10);
    expect(plan.migrations[1]?.up).toMatch(/^-- Split into lock-safe steps because these tables may hold rows/m);
    const db = await supabaseDatabase();
    try {
      await run(db.client, [only?.up ?? ""], [false]);
      for (const [name, sql] of Object.entries(LINTS))
        expect(
          (await db.client.query(sql)).rows.map((r) => r.finding),
          name,
        ).toEqual([]);
      // The same database as schema.sql builds, by introspection and by Supabase's own differ.
      const reference = await supabaseDatabase();
      try {
        await reference.client.query(first.freshInstall);
        const shapeOf = async (url: string) => {
          const live = await openDatabase({ kind: "postgres", url });
          try {
            return physicalShape(await introspectPostgres(live.knex), { columnOrder: "name" });
          } finally {
            await live.close();
          }
        };
        expect(await shapeOf(db.url)).toEqual(await shapeOf(reference.url));
        expect(await pgDelta(db.url, reference.url, ["public", "audit", "private"])).toBe("");
      } finally {
        await reference.drop();
      }
      await run(db.client, [only?.down ?? ""], [false]);
      const { rows } = await db.client.query("select count(*)::int as n from pg_tables where schemaname = 'public'");
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await db.drop();
    }
  });
});

describe.skipIf(!adminUrl)("an index replaced by a production change", () => {
  /** The valid indexes of accounts whose first column is name: what a query by name can use. */
  const byName = async (client: pg.Client) =>
    (
      await client.query<{ name: string }>(
        "select ci.relname as name from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ci on ci.oid = i.indexrelid join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0] where c.relname = 'accounts' and a.attname = 'name' and i.indisvalid order by 1",
      )
    ).rows.map((r) => r.name);

  it.each([
    ["under a new name", "accounts_name_status_idx"],
    ["under the same name", undefined],
  ])(
    "%s: the new index is built before the old one goes, up and down, so queries never lose it",
    async (_case, renamed) => {
      const nowMs = Date.UTC(2026, 10, 24);
      const first = planProduction({ merged: merge.merged, union: merge.union, backfills, nowMs });
      const state = first.files.find((f) => f.path.endsWith("state/production/schema.json"))?.content ?? "";
      const accounts = merge.merged.tables.find((t) => t.name === "accounts");
      const old = accounts?.indexes.find((i) => i.columns[0] === "name" && !i.unique);
      if (!accounts || !old) throw new Error("the example's accounts(name, …) index is gone");
      const name = renamed ?? old.name;
      const changed: Schema = {
        ...merge.merged,
        tables: merge.merged.tables.map((t) =>
          t !== accounts
            ? t
            : { ...t, indexes: t.indexes.map((i) => (i === old ? { ...i, name, columns: ["name", "status"] } : i)) },
        ),
      };
      const second = planProduction({
        merged: changed,
        union: merge.union,
        backfills,
        previous: parseSnapshot(state),
        existingMigrations: first.migrations.map((m) => m.name),
        nowMs: nowMs + 60_000,
      });
      expect(second.unchanged).toBe(false);
      const db = await supabaseDatabase();
      try {
        await db.client.query(`begin;\n${first.freshInstall}\ncommit;`);
        expect(await byName(db.client)).toEqual([old.name]);
        for (const m of second.migrations) {
          await run(db.client, [m.up], [m.outsideTransaction]);
          expect((await byName(db.client)).length, `after ${m.name}`).toBeGreaterThan(0);
        }
        expect(await byName(db.client)).toEqual([name]);
        const columns = await db.client.query<{ def: string }>(
          "select pg_get_indexdef(indexrelid) as def from pg_index where indexrelid = $1::regclass",
          [`public.${name}`],
        );
        expect(columns.rows[0]?.def).toMatch(/\(name, status\)/);
        for (const m of [...second.migrations].reverse()) {
          await run(db.client, [m.down], [m.outsideTransaction]);
          expect((await byName(db.client)).length, `after ${m.name}.down`).toBeGreaterThan(0);
        }
        expect(await byName(db.client)).toEqual([old.name]);
      } finally {
        await db.drop();
      }
    },
  );
});

describe("system columns", () => {
  it("are the ones validate reserves, with types it allows (so a model can never defeat the triggers)", async () => {
    const { SYSTEM_COLUMN_TYPES } = await import("@dbgen/schema-core");
    const accounts = plan.schema.tables.find((t) => t.name === "accounts");
    const added = (accounts?.columns ?? []).filter(
      (c) => c.comment?.includes("dbgen") || c.name in SYSTEM_COLUMN_TYPES,
    );
    expect(added.map((c) => c.name).sort()).toEqual(Object.keys(SYSTEM_COLUMN_TYPES).sort());
    for (const column of added) expect(SYSTEM_COLUMN_TYPES[column.name]).toContain(column.type.name);
  });
});

describe.skipIf(!adminUrl)(
  "table features of a film-rental model (identity, composite key, checks, ON UPDATE, switches)",
  () => {
    const FIXTURE = `${REPO}/tooling/fixtures/film-rental`;
    let db: Awaited<ReturnType<typeof supabaseDatabase>>;
    let hardened: ProductionPlan;
    beforeAll(async () => {
      const films = await readProject(FIXTURE);
      if (!films.model || !films.modules[0]) throw new Error("the film-rental fixture has errors");
      const merged = mergeModules(modelFacts(films.model), [
        { module: "catalog", iteration: 1, schema: films.modules[0].schema },
      ]);
      hardened = planProduction({ merged: merged.merged, union: merged.union, nowMs: 0 });
      db = await supabaseDatabase();
      await db.client.query(hardened.freshInstall);
    });
    afterAll(async () => {
      await db?.drop();
    });
    const q = (sql: string, values: unknown[] = []) => db.client.query(sql, values);

    it("applies and passes every lint; switched-off tables go without the columns and triggers", async () => {
      for (const [name, sql] of Object.entries(LINTS))
        expect(
          (await q(sql)).rows.map((r) => r.finding),
          name,
        ).toEqual([]);
      const columns = async (table: string) =>
        (
          await q(
            "select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 order by 1",
            [table],
          )
        ).rows.map((r) => r.column_name);
      expect(await columns("film_actor")).toEqual([
        "actor_id",
        "created_at",
        "created_by",
        "film_id",
        "last_update",
        "updated_at",
        "updated_by",
      ]);
      expect(await columns("payments")).not.toContain("version");
      expect(await columns("payments")).not.toContain("deleted_at");
      expect(await columns("films")).toEqual(expect.arrayContaining(["deleted_at", "version"]));
      const triggers = (
        await q(
          "select event_object_table as t, trigger_name as n from information_schema.triggers group by 1, 2 order by 1, 2",
        )
      ).rows.map((r) => `${r.t}.${r.n}`);
      // The declared methods, operator classes and order, as the model says them.
      const indexes = (
        await q(
          "select indexdef from pg_indexes where schemaname = 'public' and tablename in ('films', 'payments') and indexdef ~ '(gin|DESC)' order by 1",
        )
      ).rows.map((r) => r.indexdef.replace(/^CREATE INDEX \w+ /, ""));
      expect(indexes).toEqual([
        "ON public.films USING gin (fulltext)",
        "ON public.films USING gin (title extensions.gin_trgm_ops)",
        "ON public.payments USING btree (customer_id, payment_date DESC)",
      ]);
      expect(triggers.filter((t) => t.startsWith("film_actor."))).toEqual(["film_actor.set_system_columns"]);
      expect(triggers.filter((t) => t.startsWith("payments."))).toEqual([
        "payments.audit",
        "payments.set_system_columns",
      ]);
    });

    it("numbers rows by identity, keeps the composite key, refuses what the checks refuse, cascades key updates", async () => {
      await q("insert into public.languages (name) values ('English'), ('French')");
      const films = await q(
        "insert into public.films (title, language_id, release_year, length) values ('Academy Dinosaur', 1, 2006, 86), ('Ace Goldfinger', 2, 2006, 48) returning film_id",
      );
      expect(films.rows.map((r) => r.film_id)).toEqual([1, 2]);
      // The generated full-text column: computed from title and description, and never written.
      expect(
        (await q("select fulltext @@ to_tsquery('english', 'dinosaurs') as found from public.films where film_id = 1"))
          .rows,
      ).toEqual([{ found: true }]);
      // The rating is of the enum type mpaa_rating: no CHECK, the type itself refuses other values.
      await expect(q("update public.films set rating = 'X' where film_id = 1")).rejects.toThrow(
        /invalid input value for enum mpaa_rating/,
      );
      expect((await q("select rating::text as r from public.films where film_id = 1")).rows).toEqual([{ r: "G" }]);
      await expect(q("update public.films set fulltext = null where film_id = 1")).rejects.toThrow(
        /can only be updated to DEFAULT/,
      );
      await q("insert into public.actors (first_name, last_name) values ('Penelope', 'Guiness')");
      await q("insert into public.film_actor (actor_id, film_id) values (1, 1), (1, 2)");
      await expect(q("insert into public.film_actor (actor_id, film_id) values (1, 1)")).rejects.toThrow(
        /film_actor_pkey/,
      );
      await expect(
        q("insert into public.films (title, language_id, release_year, length) values ('Too Early', 1, 1800, 90)"),
      ).rejects.toThrow(/film_release_year_check/);
      await q("insert into public.customers (email, first_name) values ('Mary.Smith@Example.com', 'Mary')");
      // citext: one address whatever its case (the unique index uses citext's own comparison).
      await expect(
        q("insert into public.customers (email, first_name) values ('mary.smith@example.com', 'M')"),
      ).rejects.toThrow(/customers_email_key/);
      // Supabase's search_path holds the extensions schema, so `=` is citext's there.
      await q("set search_path to public, extensions");
      expect((await q("select first_name from public.customers where email = 'MARY.SMITH@example.com'")).rows).toEqual([
        { first_name: "Mary" },
      ]);
      await q("reset search_path");
      expect((await q("select special_features, rating from public.films where film_id = 1")).rows[0]).toEqual({
        special_features: [],
        rating: "G",
      });
      await q("update public.films set special_features = '{Trailers,\"Deleted Scenes\"}' where film_id = 1");
      expect((await q("select special_features from public.films where film_id = 1")).rows[0].special_features).toEqual(
        ["Trailers", "Deleted Scenes"],
      );
      await expect(
        q("insert into public.payments (customer_id, amount, payment_date) values (1, -1, now())"),
      ).rejects.toThrow(/payment_amount_check/);
      // ON UPDATE CASCADE: a renumbered actor and film take their film_actor rows along.
      await q("update public.actors set actor_id = 100 where actor_id = 1");
      await q("update public.films set film_id = 200 where film_id = 2");
      expect((await q("select actor_id, film_id from public.film_actor order by film_id")).rows).toEqual([
        { actor_id: 100, film_id: 1 },
        { actor_id: 100, film_id: 200 },
      ]);
    });

    it("without soft delete a client's delete removes the row; without audit nothing is logged; without version updates still keep the timestamps", async () => {
      const removed = await as(
        db.client,
        "authenticated",
        user(A),
        async () => (await q("delete from public.film_actor where film_id = 1")).rowCount,
      );
      expect(removed).toBe(1);
      expect((await q("select count(*)::int as n from public.film_actor where film_id = 1")).rows[0].n).toBe(0);
      expect((await q("select count(*)::int as n from audit.log where table_name = 'film_actor'")).rows[0].n).toBe(0);
      expect(
        (await q("select count(*)::int as n from audit.log where table_name = 'films'")).rows[0].n,
      ).toBeGreaterThan(0);
      await q("insert into public.payments (customer_id, amount, payment_date) values (1, 4.99, '2026-12-01 10:00')");
      const before = (await q("select updated_at from public.payments")).rows[0].updated_at;
      await new Promise((r) => setTimeout(r, 20));
      await as(db.client, "authenticated", user(A), () =>
        q("update public.payments set amount = 5.99, created_by = $1", [B]),
      );
      const after = (await q("select amount, created_by, updated_by, updated_at from public.payments")).rows[0];
      expect(after).toMatchObject({ amount: "5.99", created_by: null, updated_by: A });
      expect(after.updated_at.getTime()).toBeGreaterThan(before.getTime());
      expect(
        await as(db.client, "authenticated", user(A), async () => (await q("delete from public.payments")).rowCount),
      ).toBe(1);
      expect((await q("select count(*)::int as n from public.payments")).rows[0].n).toBe(0);
    });
  },
);
