/**
 * Access rules per operation (spec §2a) on PostgreSQL 15 set up like Supabase, users switched the way
 * PostgREST does (`set local role`, `request.jwt.claims`): the team-app fixture (organizations with
 * memberships and roles, projects, an append-only audit trail, messages) gives each actor — the owner,
 * an admin, a builder, a member of another organization, a claim holder, a stranger, anon — exactly
 * what its rules say.
 */
import { fileURLToPath } from "node:url";
import { modelFacts, readProject } from "@dbgen/busm-reader";
import { mergeModules } from "@dbgen/schema-merger";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { planProduction, SUPABASE_SHIM_SQL } from "../src/index.js";
import { LINTS } from "./lint.js";

const FIXTURE = fileURLToPath(new URL("../../../tooling/fixtures/team-app", import.meta.url));
const adminUrl = inject("pgAdminUrl");

const OWNER = "00000000-0000-4000-8000-000000000001";
const ADMIN = "00000000-0000-4000-8000-000000000002";
const BUILDER = "00000000-0000-4000-8000-000000000003";
const OTHER = "00000000-0000-4000-8000-000000000004";
const MOD = "00000000-0000-4000-8000-000000000005";
const STRANGER = "00000000-0000-4000-8000-000000000006";
const ORG1 = "00000000-0000-4000-8000-0000000000a1";
const ORG2 = "00000000-0000-4000-8000-0000000000a2";

type Rows = Record<string, unknown>[];

describe.skipIf(!adminUrl)("access rules on PostgreSQL 15 set up like Supabase", () => {
  let client: pg.Client;
  let drop: () => Promise<void>;
  let lastError = "";

  /** Runs `sql` as the user (or anon when `sub` is undefined), committed; returns its rows or the error code. */
  async function as(
    sub: string | undefined,
    sql: string,
    claims: Record<string, unknown> = {},
  ): Promise<Rows | string> {
    const role = sub ? "authenticated" : "anon";
    await client.query("begin");
    try {
      await client.query(`set local role ${role}`);
      await client.query("select set_config('request.jwt.claims', $1, true)", [
        JSON.stringify({ role, ...(sub ? { sub } : {}), ...claims }),
      ]);
      const { rows } = await client.query(sql);
      await client.query("commit");
      return rows;
    } catch (error) {
      await client.query("rollback");
      lastError = String(error);
      return (error as { code?: string }).code ?? String(error);
    }
  }
  const count = async (sub: string | undefined, sql: string) => {
    const rows = await as(sub, sql);
    if (typeof rows === "string" && process.env.DEBUG_RULES) process.stdout.write(`${sql}: ${lastError}\n`);
    return typeof rows === "string" ? rows : rows.length;
  };

  beforeAll(async () => {
    const project = await readProject(FIXTURE);
    const errors = project.diagnostics.filter((d) => d.severity === "error");
    if (errors.length || !project.model) throw new Error(JSON.stringify(errors));
    const merged = mergeModules(
      modelFacts(project.model),
      project.modules.map((m) => ({ module: m.config.module, iteration: 1, schema: m.schema })),
    );
    const plan = planProduction({ merged: merged.merged, union: merged.union, nowMs: 0 });
    const db = await createTestDatabase(adminUrl);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    drop = async () => {
      await client.end();
      await db.drop();
    };
    await client.query(SUPABASE_SHIM_SQL);
    await client.query(plan.freshInstall);
    await client.query(
      `insert into auth.users (id) values ${[OWNER, ADMIN, BUILDER, OTHER, MOD, STRANGER].map((u) => `('${u}')`).join(", ")}`,
    );
  }, 60_000);
  afterAll(async () => drop?.());

  it("a new organization is its creator's, readable back in the insert (returning), with the creator as owner", async () => {
    expect(
      await as(OWNER, `insert into public.organizations (id, name) values ('${ORG1}', 'One') returning id, name`),
    ).toEqual([{ id: ORG1, name: "One" }]);
    expect(
      await as(OTHER, `insert into public.organizations (id, name) values ('${ORG2}', 'Two') returning id`),
    ).toEqual([{ id: ORG2 }]);
    const { rows } = await client.query(
      "select organization_id, user_id, role::text from public.memberships order by 1",
    );
    expect(rows).toEqual([
      { organization_id: ORG1, user_id: OWNER, role: "owner" },
      { organization_id: ORG2, user_id: OTHER, role: "owner" },
    ]);
    // Anon has no grant at all; a signed-in user may create, never as someone else's first member.
    expect(await as(undefined, "insert into public.organizations (name) values ('x')")).toBe("42501");
  });

  it("memberships: the owner adds an admin and a builder; a builder cannot add anyone; no recursion", async () => {
    expect(
      await count(
        OWNER,
        `insert into public.memberships (organization_id, user_id, role) values ('${ORG1}', '${ADMIN}', 'admin'), ('${ORG1}', '${BUILDER}', 'builder') returning id`,
      ),
    ).toBe(2);
    expect(
      await as(
        BUILDER,
        `insert into public.memberships (organization_id, user_id, role) values ('${ORG1}', '${STRANGER}', 'admin')`,
      ),
    ).toBe("42501");
    // Nobody adds members to an organization they do not run.
    expect(
      await as(ADMIN, `insert into public.memberships (organization_id, user_id) values ('${ORG2}', '${ADMIN}')`),
    ).toBe("42501");
    expect(await count(ADMIN, "select * from public.memberships")).toBe(3);
    expect(await count(OTHER, "select * from public.memberships")).toBe(1);
    expect(await count(STRANGER, "select * from public.memberships")).toBe(0);
  });

  it("organizations: members read, owners and admins change, only owners delete", async () => {
    expect(await count(BUILDER, "select * from public.organizations")).toBe(1);
    expect(await count(STRANGER, "select * from public.organizations")).toBe(0);
    expect(await count(OTHER, "select * from public.organizations")).toBe(1);
    expect(await as(undefined, "select * from public.organizations")).toBe("42501");
    expect(await count(BUILDER, `update public.organizations set name = 'b' where id = '${ORG1}' returning id`)).toBe(
      0,
    );
    expect(await count(ADMIN, `update public.organizations set name = 'One!' where id = '${ORG1}' returning id`)).toBe(
      1,
    );
    expect(await count(OTHER, `update public.organizations set name = 'x' where id = '${ORG1}' returning id`)).toBe(0);
    expect(await count(ADMIN, `delete from public.organizations where id = '${ORG1}' returning id`)).toBe(0);
  });

  it("projects: the builder owns theirs, admins see and change all of the organization, nobody moves one out", async () => {
    expect(
      await count(
        BUILDER,
        `insert into public.projects (organization_id, creator_id, name) values ('${ORG1}', '${BUILDER}', 'Site') returning id`,
      ),
    ).toBe(1);
    // Not in someone else's name, not in an organization the writer cannot see.
    expect(
      await as(
        BUILDER,
        `insert into public.projects (organization_id, creator_id, name) values ('${ORG1}', '${ADMIN}', 'x')`,
      ),
    ).toBe("42501");
    expect(
      await as(
        BUILDER,
        `insert into public.projects (organization_id, creator_id, name) values ('${ORG2}', '${BUILDER}', 'x')`,
      ),
    ).toBe("42501");
    expect(await count(BUILDER, "select * from public.projects")).toBe(1);
    expect(await count(ADMIN, "select * from public.projects")).toBe(1);
    // The owner is a member without the admin role: the rule says owner or admin, so not theirs to see.
    expect(await count(OWNER, "select * from public.projects")).toBe(0);
    expect(await count(OTHER, "select * from public.projects")).toBe(0);
    expect(await count(ADMIN, "update public.projects set name = 'Site 2' returning id")).toBe(1);
    expect(await as(ADMIN, `update public.projects set organization_id = '${ORG2}'`)).toBe("42501");
    expect(await as(BUILDER, `update public.projects set creator_id = '${STRANGER}'`)).toBe("42501");
    // No delete rule: not granted.
    expect(await as(BUILDER, "delete from public.projects")).toBe("42501");
  });

  it("the audit trail is append-only: its actor inserts (and reads the row back in that insert only), admins read, nobody changes it", async () => {
    expect(
      await count(
        BUILDER,
        `insert into public.audit_entries (project_id, actor_id, action) select id, '${BUILDER}', 'created' from public.projects returning id`,
      ),
    ).toBe(1);
    expect(await count(BUILDER, "select * from public.audit_entries")).toBe(0);
    expect(await count(ADMIN, "select * from public.audit_entries")).toBe(1);
    expect(await count(OTHER, "select * from public.audit_entries")).toBe(0);
    expect(await as(ADMIN, "update public.audit_entries set action = 'x'")).toBe("42501");
    expect(await as(ADMIN, "delete from public.audit_entries")).toBe("42501");
  });

  it("messages: everyone signed in reads, the author changes, moderators (a claim) delete", async () => {
    expect(
      await count(STRANGER, `insert into public.messages (user_id, body) values ('${STRANGER}', 'hi') returning id`),
    ).toBe(1);
    expect(await as(BUILDER, `insert into public.messages (user_id, body) values ('${STRANGER}', 'fake')`)).toBe(
      "42501",
    );
    expect(await count(BUILDER, "select * from public.messages")).toBe(1);
    expect(await as(undefined, "select * from public.messages")).toBe("42501");
    expect(await count(BUILDER, "update public.messages set body = 'x' returning id")).toBe(0);
    expect(await as(STRANGER, "update public.messages set user_id = '00000000-0000-4000-8000-000000000003'")).toBe(
      "42501",
    );
    expect(await count(BUILDER, "delete from public.messages returning id")).toBe(0);
    const deleted = await as(MOD, "delete from public.messages returning id", { user_role: "moderator" });
    expect(typeof deleted === "string" ? deleted : deleted.length).toBe(0); // soft delete: the row stays, hidden
    expect(await count(STRANGER, "select * from public.messages")).toBe(0);
    const { rows } = await client.query("select count(*)::int as n from public.messages where deleted_at is not null");
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("a member leaves (self); the lookup runs once per statement (an InitPlan), and Supabase's lints find nothing", async () => {
    expect(await count(BUILDER, `delete from public.memberships where user_id = '${BUILDER}' returning id`)).toBe(1);
    expect(await count(BUILDER, "select * from public.organizations")).toBe(0);
    await client.query("begin");
    await client.query("set local role authenticated");
    await client.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ sub: ADMIN, role: "authenticated" }),
    ]);
    const plan = await client.query("explain (costs off) select * from public.memberships");
    await client.query("rollback");
    const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/InitPlan/);
    expect(text).not.toMatch(/SubPlan/);
    for (const [name, sql] of Object.entries(LINTS))
      expect(
        (await client.query(sql)).rows.map((r) => r.finding),
        name,
      ).toEqual([]);
  });
});
