/**
 * The diff engine proven on real databases: for each case, apply `from`, apply up → the database
 * equals `to`; apply down → it equals `from` again; and diffing once more gives nothing. The SQL
 * itself is a golden fixture in test/golden/.
 */
import { buildModelSchema } from "@dbgen/busm-reader";
import {
  diffSchemas,
  emptySchema,
  invertOperations,
  physicalShape,
  planHazards,
  renderPostgres,
  type Schema,
} from "@dbgen/schema-core";
import { afterAll, describe, expect, it } from "vitest";
import { applyStatements, introspectPostgres, printedExpressions } from "../src/index.js";
import { DIFF_CASES } from "./diff-cases.js";
import { engines } from "./engines.js";

const inSchema = (schema: Schema, name: string): Schema => ({ ...schema, name });
const shape = (schema: Schema): Schema => physicalShape(schema, { columnOrder: "name" });

describe("diff golden fixtures", () => {
  it.each(DIFF_CASES)("$name", async (c) => {
    const from = buildModelSchema(c.from);
    const to = buildModelSchema(c.to);
    const plan = diffSchemas(from, to);
    const up = renderPostgres(plan.operations).join("\n");
    const down = renderPostgres(invertOperations(plan.operations)).join("\n");
    await expect(`-- up\n${up}\n\n-- down\n${down}\n`).toMatchFileSnapshot(`./golden/${c.name}.sql`);
    const hazards = new Set(planHazards(plan.operations).flatMap((h) => h.hazards));
    if (c.hazards.length === 0) expect([...hazards]).toEqual([]);
    for (const h of c.hazards) expect(hazards).toContain(h);
    // Same input, same bytes.
    expect(renderPostgres(diffSchemas(buildModelSchema(c.from), buildModelSchema(c.to)).operations).join("\n")).toBe(
      up,
    );
  });
});

describe.each(engines())("diff on $name", (engine) => {
  afterAll(() => engine.dispose());
  it.skipIf(engine.skipReason !== "").each(DIFF_CASES)(
    "$name: up reaches `to`, down returns to `from`, again is empty",
    async (c) => {
      if (c.needsPgvector && engine.name !== "PGlite") return;
      const box = await engine.sandbox();
      try {
        const s = box.schemaName;
        const from = inSchema(buildModelSchema(c.from), s);
        const to = inSchema(buildModelSchema(c.to), s);
        const opts = { schema: s };
        await applyStatements(box.db.knex, renderPostgres(diffSchemas(emptySchema(s), from).operations, opts));
        const plan = diffSchemas(from, to);
        await applyStatements(box.db.knex, renderPostgres(plan.operations, opts));
        const afterUp = await introspectPostgres(box.db.knex, s);
        // Checks come back as the database prints them; compare with what it prints for `to`.
        const printedTo = await printedExpressions(box.db.knex, to);
        expect(shape(afterUp)).toEqual(shape(printedTo));
        expect(diffSchemas(afterUp, printedTo).operations).toEqual([]);
        await applyStatements(box.db.knex, renderPostgres(invertOperations(plan.operations), opts));
        const afterDown = await introspectPostgres(box.db.knex, s);
        expect(shape(afterDown)).toEqual(shape(from));
        expect(diffSchemas(afterDown, from).operations).toEqual([]);
      } finally {
        await box.close();
      }
    },
  );

  it.skipIf(engine.skipReason !== "")(
    "a key that becomes an identity on a table with rows numbers new rows after the largest",
    async () => {
      const counter = (identity: boolean) =>
        inSchema(
          buildModelSchema({
            busm: "1",
            entities: {
              Counter: {
                fields: {
                  n: { type: "bigint", primaryKey: true, ...(identity ? { identity } : {}) },
                  label: { type: "text" },
                },
              },
            },
          }),
          box.schemaName,
        );
      const box = await engine.sandbox();
      try {
        const opts = { schema: box.schemaName };
        const table = `${box.schemaName}.counters`;
        await applyStatements(
          box.db.knex,
          renderPostgres(diffSchemas(emptySchema(box.schemaName), counter(false)).operations, opts),
        );
        await box.db.knex.raw(`insert into ${table} (n, label) values (1, 'a'), (41, 'b')`);
        const plan = diffSchemas(counter(false), counter(true));
        await applyStatements(box.db.knex, renderPostgres(plan.operations, opts));
        const added = await box.db.knex.raw(`insert into ${table} (label) values ('c') returning n`);
        expect(Number((added.rows ?? added)[0].n)).toBe(42);
        await applyStatements(box.db.knex, renderPostgres(invertOperations(plan.operations), opts));
        await expect(box.db.knex.raw(`insert into ${table} (label) values ('d')`)).rejects.toThrow(/null/i);
      } finally {
        await box.close();
      }
    },
  );

  it.skipIf(engine.skipReason !== "")(
    "a reference to auth.users, a realtime table and a trigger on auth.users: up, read back, down, again empty",
    async () => {
      const box = await engine.sandbox();
      try {
        const s = box.schemaName;
        // Supabase's side of it: the users table and Realtime's publication.
        await applyStatements(box.db.knex, [
          "create schema if not exists auth;",
          "create table if not exists auth.users (id uuid primary key);",
          `do $$ begin if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
             create publication supabase_realtime; end if; end $$;`,
        ]);
        // A table of the schema named like the referenced one: the reference must not mean it.
        const model = buildModelSchema({
          busm: "1",
          entities: {
            User: { fields: { name: { type: "text" } } },
            Profile: {
              fields: {
                id: { type: "uuid", primaryKey: true, references: "auth.users", onDelete: "cascade" },
                name: { type: "text" },
              },
            },
          },
        });
        const from = inSchema(model, s);
        const fn = {
          schema: s,
          name: "touch",
          language: "plpgsql" as const,
          returns: "trigger",
          body: "\nBEGIN\n  RETURN NEW;\nEND;",
          securityDefiner: true,
        };
        const to: Schema = {
          ...from,
          tables: from.tables.map((t) => (t.name === "profiles" ? { ...t, publications: ["supabase_realtime"] } : t)),
          functions: [fn],
          foreignTriggers: [
            {
              schema: "auth",
              table: "users",
              trigger: { name: `touch_${s}`, timing: "after", events: ["insert"], function: `${s}.touch` },
            },
          ],
        };
        const opts = { schema: s };
        const up = renderPostgres(diffSchemas(emptySchema(s), from).operations, opts);
        expect(up.join("\n")).toContain("REFERENCES auth.users (id) ON DELETE CASCADE");
        await applyStatements(box.db.knex, up);
        expect(shape(await introspectPostgres(box.db.knex, s))).toEqual(shape(from));
        const plan = diffSchemas(from, to);
        expect(plan.operations.map((o) => o.kind).sort()).toEqual([
          "create_function",
          "create_trigger",
          "set_publication",
        ]);
        await applyStatements(box.db.knex, renderPostgres(plan.operations, opts));
        const live = await introspectPostgres(box.db.knex, s);
        expect(live.tables.find((t) => t.name === "profiles")?.publications).toEqual(["supabase_realtime"]);
        const triggers = await box.db.knex.raw(
          "select tgname from pg_trigger where tgrelid = 'auth.users'::regclass and tgname = ?",
          [`touch_${s}`],
        );
        expect(triggers.rows).toHaveLength(1);
        await applyStatements(box.db.knex, renderPostgres(invertOperations(plan.operations), opts));
        const back = await introspectPostgres(box.db.knex, s);
        expect(shape(back)).toEqual(shape(from));
        expect(diffSchemas(back, from).operations).toEqual([]);
        const left = await box.db.knex.raw("select count(*)::int as n from pg_trigger where tgname = ?", [
          `touch_${s}`,
        ]);
        expect(left.rows[0].n).toBe(0);
      } finally {
        await box.close();
      }
    },
  );

  it.skipIf(engine.skipReason !== "")(
    "an enum type's rows: a renamed value is renamed in them, a removed one that rows hold stops the migration atomically",
    async () => {
      const box = await engine.sandbox();
      const films = (ratings: string[]) =>
        inSchema(
          buildModelSchema({
            busm: "1",
            enums: { MpaaRating: ratings },
            options: { enums: "type" },
            entities: {
              Film: { fields: { title: { type: "text" }, rating: { type: "enum", enum: "MpaaRating", default: "G" } } },
            },
          }),
          box.schemaName,
        );
      try {
        const opts = { schema: box.schemaName };
        const step = (a: string[], b: string[]) =>
          applyStatements(box.db.knex, renderPostgres(diffSchemas(films(a), films(b)).operations, opts));
        await applyStatements(
          box.db.knex,
          renderPostgres(diffSchemas(emptySchema(box.schemaName), films(["G", "PG", "R"])).operations, opts),
        );
        await box.db.knex.raw(`insert into ${box.schemaName}.films (title, rating) values ('a', 'G'), ('b', 'R')`);
        await step(["G", "PG", "R"], ["G", "PG", "Restricted"]);
        const ratings = async () =>
          (
            (await box.db.knex.raw(`select rating::text as r from ${box.schemaName}.films order by title`)).rows ?? []
          ).map((r: { r: string }) => r.r);
        expect(await ratings()).toEqual(["G", "Restricted"]);
        // PG is held by no row: it goes, and the rows stay.
        await step(["G", "PG", "Restricted"], ["G", "Restricted"]);
        expect(await ratings()).toEqual(["G", "Restricted"]);
        await expect(step(["G", "Restricted"], ["G"])).rejects.toThrow(/invalid input value for enum/);
        const labels = await box.db.knex.raw(
          `select e.enumlabel as v from pg_enum e join pg_type t on t.oid = e.enumtypid join pg_namespace n on n.oid = t.typnamespace
           where n.nspname = ? and t.typname = 'mpaa_rating' order by e.enumsortorder`,
          [box.schemaName],
        );
        expect((labels.rows ?? []).map((r: { v: string }) => r.v)).toEqual(["G", "Restricted"]);
        expect(await ratings()).toEqual(["G", "Restricted"]);
      } finally {
        await box.close();
      }
    },
  );
});
