/**
 * Prototype mode end to end on both real engines: seed 000's account-management sequence, the
 * example's committed iterations (incremental == from scratch, every rollback exact), and a rollback
 * over rows that keeps them and restores them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  applyStatements,
  type Database,
  introspectPostgres,
  openDatabase,
  readHistory,
  restoreBackups,
} from "@dbgen/db";
import { diffSchemas, emptySchema, physicalShape, renderPostgres, type Schema } from "@dbgen/schema-core";
import { targetEngines } from "@dbgen/tooling/targets";
import { describe, expect, it } from "vitest";
import { applyPending, loadModuleContext, planIteration, rollbackTo, writeIteration } from "../src/index.js";
import { FIXTURES, REPO, tempProject, writeModule } from "./helpers.js";

const shape = (s: Schema) => physicalShape(s, { columnOrder: "name" });
const EXAMPLE_MODULES = ["account-management", "master-view", "service-scheduler"];

async function withDatabase<T>(
  engine: ReturnType<typeof targetEngines>[number],
  use: (db: Database) => Promise<T>,
): Promise<T> {
  const fresh = await engine.fresh();
  const db = await openDatabase(fresh.target);
  try {
    return await use(db);
  } finally {
    await db.close();
    await fresh.drop();
  }
}

describe.each(targetEngines())("prototype workflow on $name", (engine) => {
  it.skipIf(engine.skipReason !== "")(
    "reproduces seed 000's account-management sequence, each iteration applied",
    async () => {
      const project = await tempProject();
      try {
        await withDatabase(engine, async (db) => {
          const expected = [["accounts"], ["accounts", "locations"], ["accounts", "contacts", "locations"]];
          for (const [index, tables] of expected.entries()) {
            const iteration = index + 1;
            await writeModule(
              project.root,
              "account-management",
              await readFile(join(FIXTURES, `account-management/iteration-${iteration}.yaml`), "utf8"),
            );
            const ctx = await loadModuleContext(project.root, "account-management");
            const plan = planIteration({
              model: ctx.project.model,
              module: ctx.module,
              config: ctx.config,
              generated: ctx.files.iterations,
              nowMs: Date.UTC(2026, 0, 1) + iteration * 1000,
            });
            expect(plan).toMatchObject({ iteration, status: "changes" });
            await writeIteration(project.root, plan);
            const report = await applyPending(db, await loadModuleContext(project.root, "account-management"));
            expect(report).toMatchObject({ applied: [iteration], current: iteration });
            const live = await introspectPostgres(db.knex);
            expect(live.tables.map((t) => t.name)).toEqual(tables);
            expect(shape(live)).toEqual(shape(plan.schema));
          }
          const accounts = (await introspectPostgres(db.knex)).tables.find((t) => t.name === "accounts");
          expect(accounts?.columns.map((c) => c.name)).toEqual([
            "id",
            "name",
            "type",
            "status",
            "primary_location_id",
            "email",
            "phone",
          ]);
          expect(accounts?.foreignKeys.map((f) => f.referencedTable)).toEqual(["locations"]);
          const history = await readHistory(db.knex);
          expect(history.map((h) => [h.iteration, h.direction, h.success])).toEqual([
            [1, "up", true],
            [2, "up", true],
            [3, "up", true],
          ]);
          expect(history.every((h) => /^[0-9a-f]{64}$/.test(h.checksum))).toBe(true);
        });
      } finally {
        await project.remove();
      }
    },
  );

  it.skipIf(engine.skipReason !== "").each(EXAMPLE_MODULES)(
    "example %s: incremental equals from scratch, and every rollback is exact",
    async (module) => {
      const ctx = await loadModuleContext(REPO, module);
      const states = ctx.files.iterations.map((i) => i.state.schema);
      expect(states.length).toBeGreaterThan(0);
      const final = states.at(-1) as Schema;
      const scratch = await withDatabase(engine, async (db) => {
        await applyStatements(db.knex, renderPostgres(diffSchemas(emptySchema(), final).operations));
        return introspectPostgres(db.knex);
      });
      await withDatabase(engine, async (db) => {
        await applyPending(db, ctx);
        const incremental = await introspectPostgres(db.knex);
        expect(shape(incremental)).toEqual(shape(scratch));
        expect(shape(incremental)).toEqual(shape(final));
        for (let iteration = states.length; iteration >= 1; iteration--) {
          const report = await rollbackTo(db, ctx, iteration - 1, "20260101000000");
          expect(report.current).toBe(iteration - 1);
          const live = await introspectPostgres(db.knex);
          expect(shape(live)).toEqual(shape(states[iteration - 2] ?? emptySchema()));
        }
      });
    },
  );

  it.skipIf(engine.skipReason !== "")(
    "restore after a rollback across two iterations gives back every value, by name and key, in dependency order",
    async () => {
      const ctx = await loadModuleContext(REPO, "account-management");
      await withDatabase(engine, async (db) => {
        await applyPending(db, ctx);
        const a = "00000000-0000-0000-0000-00000000000a";
        const b = "00000000-0000-0000-0000-00000000000b";
        const l = "00000000-0000-0000-0000-0000000000c1";
        const c = "00000000-0000-0000-0000-0000000000d1";
        await db.knex.raw(
          `insert into public.accounts (id, name, type, status, email, phone) values ('${a}', 'Acme', 'Commercial', 'Active', 'ops@acme.test', '+1 555 0100'), ('${b}', 'Bolt', 'Residential', 'Inactive', null, '+1 555 0199')`,
        );
        await db.knex.raw(
          `insert into public.locations (id, account_id, address, city, state, zip) values ('${l}', '${a}', '1 Main St', 'Springfield', 'IL', '62701')`,
        );
        await db.knex.raw(`update public.accounts set primary_location_id = '${l}' where id = '${a}'`);
        await db.knex.raw(
          `insert into public.contacts (id, account_id, first_name, last_name, email, phone, nickname) values ('${c}', '${a}', 'Ada', 'Lovelace', 'ada@acme.test', '+1 555 0101', 'Countess')`,
        );
        const everything = async () => {
          const out: Record<string, unknown[]> = {};
          for (const table of ["accounts", "locations", "contacts"])
            out[table] = (await db.knex.raw<{ rows: unknown[] }>(`select * from public.${table} order by id`)).rows;
          return out;
        };
        const before = await everything();
        const report = await rollbackTo(db, ctx, 1, "20260101000000");
        expect(report.rolledBack).toEqual([3, 2]);
        await applyPending(db, ctx);
        const steps = await restoreBackups(db.knex, "account-management", { at: 3 });
        expect(steps.length).toBeGreaterThan(0);
        expect(steps.filter((s) => s.skipped !== undefined)).toEqual([]);
        // Whole tables (parents first) come back before the columns that point into them
        // (accounts.primary_location_id → locations); every value is the one saved.
        expect(steps.map((s) => s.table)).toEqual(["contacts", "locations", "accounts", "accounts"]);
        expect(await everything()).toEqual(before);
        // Restored backups are not restored twice.
        expect(await restoreBackups(db.knex, "account-management", { at: 3 })).toEqual([]);
      });
    },
  );

  it.skipIf(engine.skipReason !== "")(
    "a backup the database refuses stays saved for a retry, without blocking the others",
    async () => {
      const ctx = await loadModuleContext(REPO, "account-management");
      await withDatabase(engine, async (db) => {
        await applyPending(db, ctx);
        const a = "00000000-0000-0000-0000-00000000000a";
        await db.knex.raw(
          `insert into public.accounts (id, name, type, status, email) values ('${a}', 'Acme', 'Commercial', 'Active', 'ops@acme.test')`,
        );
        await db.knex.raw(
          `insert into public.contacts (account_id, first_name, last_name) values ('${a}', 'Ada', 'Lovelace')`,
        );
        await rollbackTo(db, ctx, 2, "20260101000000");
        await applyPending(db, ctx);
        // The account the saved contact belongs to is gone: its foreign key refuses the restore.
        await db.knex.raw(`delete from public.accounts where id = '${a}'`);
        const refused = await restoreBackups(db.knex, "account-management", { at: 3 });
        expect(refused.find((s) => s.table === "contacts")?.skipped).toMatch(/could not be put back .*foreign key/);
        expect(refused.find((s) => s.table === "accounts")?.skipped).toMatch(
          /none of the rows it saved is in accounts/,
        );
        const { rows } = await db.knex.raw<{ rows: { n: number }[] }>("select count(*)::int as n from public.contacts");
        expect(rows).toEqual([{ n: 0 }]);
        await db.knex.raw(
          `insert into public.accounts (id, name, type, status) values ('${a}', 'Acme', 'Commercial', 'Active')`,
        );
        const retried = await restoreBackups(db.knex, "account-management", { at: 3 });
        expect(retried.find((s) => s.table === "contacts")?.rows).toBe(1);
        const { rows: emails } = await db.knex.raw<{ rows: { email: string }[] }>("select email from public.accounts");
        expect(emails).toEqual([{ email: "ops@acme.test" }]);
      });
    },
  );

  it.skipIf(engine.skipReason !== "")("a restore skips, and names, what a later iteration dropped", async () => {
    const ctx = await loadModuleContext(REPO, "account-management");
    await withDatabase(engine, async (db) => {
      await applyPending(db, ctx);
      const a = "00000000-0000-0000-0000-00000000000a";
      await db.knex.raw(
        `insert into public.accounts (id, name, type, status, email, phone) values ('${a}', 'Acme', 'Commercial', 'Active', 'ops@acme.test', '+1 555 0100')`,
      );
      await rollbackTo(db, ctx, 2, "20260101000000");
      await applyPending(db, ctx);
      // The user drops a saved column by hand before restoring: its values cannot go back.
      await db.knex.raw("alter table public.accounts drop column phone");
      const steps = await restoreBackups(db.knex, "account-management", { at: 3 });
      const accounts = steps.find((s) => s.table === "accounts");
      expect(accounts).toMatchObject({ columns: ["email"], rows: 1, skippedColumns: ["phone"] });
      const { rows } = await db.knex.raw<{ rows: { email: string }[] }>("select email from public.accounts");
      expect(rows).toEqual([{ email: "ops@acme.test" }]);
    });
  });

  it.skipIf(engine.skipReason !== "")("a rollback over rows keeps them, and they can be restored", async () => {
    const ctx = await loadModuleContext(REPO, "account-management");
    await withDatabase(engine, async (db) => {
      await applyPending(db, ctx);
      await db.knex.raw(
        "insert into public.accounts (id, name, type, status, email) values ('00000000-0000-0000-0000-000000000001', 'Acme', 'Commercial', 'Active', 'ops@acme.test')",
      );
      await db.knex.raw(
        "insert into public.contacts (account_id, first_name, last_name, email) values ('00000000-0000-0000-0000-000000000001', 'Ada', 'Lovelace', 'ada@acme.test')",
      );
      const report = await rollbackTo(db, ctx, 2, "20260101000000");
      expect(report.backups.map((b) => [b.target.table, b.target.columns ?? "*", b.rows])).toEqual([
        ["contacts", "*", 1],
        ["accounts", ["email", "phone"], 1],
      ]);
      const { rows: tables } = await db.knex.raw<{ rows: { table_name: string }[] }>(
        "select table_name from information_schema.tables where table_schema = 'dbgen' order by 1",
      );
      expect(tables.map((t) => t.table_name)).toContain("account_management_iter3_contacts_20260101000000");
      await applyPending(db, ctx);
      for (const backup of report.backups) await db.knex.raw(backup.restoreSql);
      const { rows } = await db.knex.raw<{ rows: { email: string; first_name: string }[] }>(
        "select a.email, c.first_name from public.accounts a join public.contacts c on c.account_id = a.id",
      );
      expect(rows).toEqual([{ email: "ops@acme.test", first_name: "Ada" }]);
    });
  });

  it.skipIf(engine.skipReason !== "")("refuses a second module in a module's database, naming both", async () => {
    await withDatabase(engine, async (db) => {
      await applyPending(db, await loadModuleContext(REPO, "master-view"));
      await expect(applyPending(db, await loadModuleContext(REPO, "service-scheduler"))).rejects.toThrow(
        /holds module master-view; applying module service-scheduler to it is refused/,
      );
    });
  });
});
