/**
 * Property-based reliability on real PostgreSQL: random models and random sequences of module edits
 * (fields added, removed and renamed, types changed, entities added and removed, relationships and
 * cycles; §2b's types, arrays, identity columns, an enum type whose values are added, renamed and
 * removed, and the per-entity production switches). After every iteration the incremental database equals one built from scratch; every
 * rollback returns exactly to the previous shape; and the production upgrade from the reached
 * prototype state equals production's fresh install.
 * `pnpm test` runs a few sequences; `pnpm reliability` runs 1,000 (DBGEN_PROPERTY_RUNS).
 */
import { analyseProject, type BusmField, type BusmModel, modelFacts } from "@dbgen/busm-reader";
import {
  applyMigration,
  applyStatements,
  execScript,
  introspectPostgres,
  openDatabase,
  revertMigration,
} from "@dbgen/db";
import { planProduction, SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { DEFAULT_PRODUCTION_CONFIG } from "@dbgen/project";
import {
  diffSchemas,
  emptySchema,
  parseSnapshot,
  physicalShape,
  renderPostgres,
  type Schema,
} from "@dbgen/schema-core";
import { mergeModules } from "@dbgen/schema-merger";
import { pgDelta } from "@dbgen/tooling/supabase-cli";
import { targetEngines } from "@dbgen/tooling/targets";
import { run as migra } from "@pgkit/migra";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type GeneratedIteration, planIteration } from "../src/index.js";

const RUNS = Number(process.env.DBGEN_PROPERTY_RUNS ?? 3);
let oracleChecks = 0;
let deltaChecks = 0;
const TYPES: BusmField["type"][] = [
  "string",
  "text",
  "integer",
  "bigint",
  "boolean",
  "date",
  "datetime",
  "json",
  "uuid",
  "decimal",
  "smallint",
  "double",
  "timestamp",
  "interval",
  "inet",
  "bytea",
  "citext",
  "tsvector",
];
/** Types a field may hold an array of (not json, tsvector or vector). */
const ARRAYABLE = new Set<BusmField["type"]>([
  "string",
  "text",
  "integer",
  "bigint",
  "date",
  "uuid",
  "smallint",
  "inet",
]);
/** The shared enum's values, and what an edit may do to them (each a model change, like a rename). */
const RATINGS = ["G", "PG", "R"];
type EnumChange = "none" | "add" | "rename" | "remove";
const FIELD_NAMES = ["name", "code", "notes", "amount", "active", "starts_on", "payload", "order", "user"];
const ENTITIES = ["Alpha", "Beta", "Gamma", "Delta"];

interface Edit {
  readonly entities: {
    readonly name: string;
    readonly fields: string[];
    readonly overrides: Record<string, BusmField["type"]>;
  }[];
  readonly links: boolean;
  readonly renameFirst: boolean;
  readonly enumChange: EnumChange;
}

const arbModel = fc
  .record({
    fields: fc.array(
      fc.uniqueArray(
        fc.record({
          name: fc.constantFrom(...FIELD_NAMES),
          type: fc.constantFrom(...TYPES),
          required: fc.boolean(),
          array: fc.boolean(),
        }),
        { selector: (f) => f.name, maxLength: 5 },
      ),
      {
        minLength: 4,
        maxLength: 4,
      },
    ),
    cycle: fc.boolean(),
    identity: fc.boolean(),
    enumType: fc.boolean(),
    ratingArray: fc.boolean(),
    switches: fc.array(fc.constantFrom("softDelete", "audit", "versioned", "realtime", "none"), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ fields, cycle, identity, enumType, ratingArray, switches }): BusmModel => {
    const entities: Record<string, BusmModel["entities"][string]> = {};
    ENTITIES.forEach((name, i) => {
      const own: Record<string, BusmField> = {};
      for (const f of fields[i] ?? []) {
        const array = f.array && ARRAYABLE.has(f.type);
        const defaulted = defaultFor(f.type);
        own[f.name] = {
          type: f.type,
          ...(array ? { array: true } : {}),
          ...(f.required && !array && defaulted !== undefined ? { required: true, default: defaulted } : {}),
        };
      }
      if (i > 0) own.prev_id = { type: "uuid" };
      if (cycle && i === 0) own.last_id = { type: "uuid" };
      if (identity && i === 1) own.seq = { type: "bigint", identity: true };
      if (i === 2) own.rating = { type: "enum", enum: "Rating", ...(ratingArray ? { array: true } : {}) };
      const switched = switches[i];
      const feature =
        switched === "realtime" ? { realtime: true } : switched && switched !== "none" ? { [switched]: false } : {};
      entities[name] = { access: { mode: "authenticated" }, ...feature, fields: own };
    });
    return {
      busm: "1",
      enums: { Rating: RATINGS },
      ...(enumType ? { options: { enums: "type" as const } } : {}),
      entities,
    };
  });

/** The model with its shared enum's values changed (an edit's `enumChange`). */
function withEnumChange(model: BusmModel, change: EnumChange): BusmModel {
  const values = model.enums?.Rating ?? RATINGS;
  const next =
    change === "add"
      ? [...values, `V${values.length}`]
      : change === "rename"
        ? values.map((v, i) => (i === values.length - 1 ? `${v}x` : v))
        : change === "remove" && values.length > 1
          ? values.slice(0, -1)
          : values;
  return { ...model, enums: { ...model.enums, Rating: next } };
}

function defaultFor(type: BusmField["type"]): BusmField["default"] {
  switch (type) {
    case "integer":
    case "bigint":
    case "decimal":
      return 0;
    case "boolean":
      return false;
    case "date":
      return "2026-01-01";
    case "smallint":
    case "double":
      return 0;
    case "datetime":
      return { sql: "now()" };
    case "timestamp":
      return "2026-01-01 00:00:00";
    case "interval":
      return "1 day";
    case "inet":
      return "127.0.0.1";
    case "uuid":
      return { sql: "gen_random_uuid()" };
    case "json":
    case "bytea":
    case "tsvector":
      return undefined;
    default:
      return "x";
  }
}

const arbEdit = (model: BusmModel) =>
  fc.record({
    entities: fc.subarray(ENTITIES, { minLength: 1 }).chain((names) =>
      fc.tuple(
        ...names.map((name) => {
          const available = Object.keys(model.entities[name]?.fields ?? {}).filter((f) => !f.endsWith("_id"));
          // A module may retype a plain scalar field; not an identity, an array or an enum.
          const plain = available.filter((f) => {
            const field = model.entities[name]?.fields[f];
            return field && !field.identity && !field.array && field.type !== "enum";
          });
          return fc.record({
            name: fc.constant(name),
            fields: fc.subarray(available),
            overrides: fc.dictionary(
              fc.constantFrom(...(plain.length ? plain : ["none"])),
              fc.constantFrom<BusmField["type"]>("text", "bigint"),
              { maxKeys: 1 },
            ),
          });
        }),
      ),
    ),
    links: fc.boolean(),
    renameFirst: fc.boolean(),
    enumChange: fc.constantFrom<EnumChange>("none", "add", "rename", "remove"),
  });

/** The module file for an edit; its relationships follow prev_id (and last_id: a cycle) between selected entities. */
function moduleText(edit: Edit, iteration: number, model: BusmModel): string {
  const names = edit.entities.map((e) => e.name);
  const lines = ["module: prop", "phase: 1", `iteration: ${iteration}`, `entities: [${names.join(", ")}]`, "fields:"];
  for (const e of edit.entities) {
    // A field renamed since the edit was drawn is listed under its new name.
    const current = (f: string) => (model.entities[e.name]?.fields[f] ? f : `${f}_renamed`);
    const fields = e.fields.map((f) =>
      e.overrides[f] && model.entities[e.name]?.fields[current(f)]?.type !== e.overrides[f]
        ? `{ ${current(f)}: ${e.overrides[f]} }`
        : current(f),
    );
    lines.push(`  ${e.name}: [id${fields.length ? `, ${fields.join(", ")}` : ""}]`);
  }
  if (edit.links) {
    lines.push("relationships:");
    for (const [i, name] of ENTITIES.entries()) {
      if (i > 0 && names.includes(name) && names.includes(ENTITIES[i - 1] ?? ""))
        lines.push(`  - { from: ${name}, to: ${ENTITIES[i - 1]}, type: many-to-one, field: prev_id }`);
      if (i === 0 && names.includes(name) && model.entities[name]?.fields.last_id && names.includes("Delta"))
        lines.push(`  - { from: ${name}, to: Delta, type: many-to-one, field: last_id }`);
    }
    if (lines.at(-1) === "relationships:") lines.pop();
  }
  return `${lines.join("\n")}\n`;
}

/** The model after renaming the first field of the first entity (declared with renamedFrom). */
function renamed(model: BusmModel): BusmModel {
  const first = ENTITIES[0] as string;
  const fields = Object.entries(model.entities[first]?.fields ?? {});
  const target = fields.find(([n]) => !n.endsWith("_id"));
  // Renamed once: the module's lists follow the new name (see moduleText).
  if (!target || fields.some(([n]) => n.endsWith("_renamed"))) return model;
  const [old, field] = target;
  const next = Object.fromEntries(
    fields.map(([n, f]) => (n === old ? [`${old}_renamed`, { ...field, renamedFrom: old }] : [n, f])),
  );
  return {
    ...model,
    entities: { ...model.entities, [first]: { ...model.entities[first], fields: next } } as BusmModel["entities"],
  };
}

const shape = (s: Schema) => physicalShape(s, { columnOrder: "name" });

describe.each(targetEngines())("random module histories on $name", (engine) => {
  it.skipIf(engine.skipReason !== "")(
    "incremental equals scratch, rollbacks are exact, production's upgrade equals its fresh install",
    { timeout: Math.max(600_000, RUNS * 6_000) },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          arbModel.chain((model) =>
            fc.tuple(fc.constant(model), fc.array(arbEdit(model), { minLength: 1, maxLength: 3 })),
          ),
          async ([baseModel, edits]) => {
            const fresh = await engine.fresh();
            const db = await openDatabase(fresh.target);
            try {
              const generated: GeneratedIteration[] = [];
              const scripts: { up: string; down: string; schema: Schema }[] = [];
              let model = baseModel;
              let lastSchema: Schema = emptySchema();
              for (const [index, edit] of edits.entries()) {
                if (edit.renameFirst && index > 0) model = renamed(model);
                if (index > 0) model = withEnumChange(model, edit.enumChange);
                const iteration = generated.length + 1;
                const project = analyseProject({ file: "busm.json", text: JSON.stringify(model) }, [
                  { file: ".pipeline/modules/prop-phase1.yaml", text: moduleText(edit, iteration, model) },
                ]);
                const errors = project.diagnostics.filter((d) => d.severity === "error");
                expect(errors).toEqual([]);
                const module = project.modules[0];
                if (!module) throw new Error("no module");
                const plan = planIteration({
                  model,
                  module,
                  config: DEFAULT_CONFIG,
                  generated,
                  nowMs: Date.UTC(2026, 0, 1) + iteration * 1000,
                  allowDestructive: true,
                });
                if (plan.status === "unchanged") continue;
                const up = plan.migration?.content ?? "";
                await applyMigration(db.knex, {
                  module: "prop",
                  phase: 1,
                  iteration,
                  file: `iter${iteration}.sql`,
                  sql: up,
                }).catch((error: unknown) => {
                  throw new Error(`${(error as Error).message}\n${up}`);
                });
                const live = await introspectPostgres(db.knex);
                expect(shape(live)).toEqual(shape(plan.schema));
                // From scratch, in a second database, the same wish gives the same database.
                const scratch = await engine.fresh();
                const other = await openDatabase(scratch.target);
                try {
                  await applyStatements(other.knex, renderPostgres(diffSchemas(emptySchema(), plan.schema).operations));
                  expect(shape(await introspectPostgres(other.knex))).toEqual(shape(live));
                  // The independent oracle: migra diffs the two live databases; nothing may differ.
                  if (fresh.target.kind === "postgres" && scratch.target.kind === "postgres") {
                    const diff = await migra(fresh.target.url, scratch.target.url, { schema: "public", unsafe: true });
                    expect(diff.sql.trim()).toBe("");
                    // And Supabase's own differ, on the first iteration of each history and every fourth after.
                    if (iteration % 4 === 1) {
                      expect(await pgDelta(fresh.target.url, scratch.target.url)).toBe("");
                      deltaChecks += 1;
                    }
                    oracleChecks += 1;
                  }
                } finally {
                  await other.close();
                  await scratch.drop();
                }
                generated.push({
                  iteration,
                  state: parseSnapshot(plan.state?.content ?? ""),
                  migrationFile: "x.sql",
                  version: String(20260101000000 + iteration),
                });
                scripts.push({ up, down: plan.rollback?.content ?? "", schema: plan.schema });
                lastSchema = plan.schema;
              }
              // Production: the module's reached state upgraded equals the fresh install.
              if (scripts.length > 0) {
                const merged = mergeModules(modelFacts(model), [
                  { module: "prop", iteration: scripts.length, schema: lastSchema },
                ]);
                // From the prototype's tables: the union, then the lock-safe upgrade over it.
                const production = planProduction({
                  merged: merged.merged,
                  union: merged.union,
                  nowMs: 0,
                  timeouts: { ...DEFAULT_PRODUCTION_CONFIG, firstInstall: "from-prototype" },
                });
                const upgraded = await engine.fresh();
                const reference = await engine.fresh();
                const a = await openDatabase(upgraded.target);
                const b = await openDatabase(reference.target);
                try {
                  for (const d of [a, b]) await d.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
                  await applyStatements(a.knex, renderPostgres(diffSchemas(emptySchema(), lastSchema).operations));
                  // The upgrade's files, through dbgen's runner (concurrent index files outside a transaction).
                  for (const [i, m] of production.migrations.slice(1).entries())
                    await applyMigration(a.knex, {
                      module: "production",
                      phase: 0,
                      iteration: i + 1,
                      file: m.name,
                      sql: m.up,
                    });
                  await b.knex.transaction((trx) => execScript(trx, production.freshInstall));
                  const ia = await introspectPostgres(a.knex);
                  const ib = await introspectPostgres(b.knex);
                  expect(shape(ia)).toEqual(shape(ib));
                  if (upgraded.target.kind === "postgres" && reference.target.kind === "postgres") {
                    // supabase/schemas applied in file-name order builds what the migrations build.
                    const declared = await engine.fresh();
                    const c = await openDatabase(declared.target);
                    try {
                      await c.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
                      for (const f of production.schemaFiles)
                        await c.knex.transaction((trx) => execScript(trx, f.content));
                      expect(shape(await introspectPostgres(c.knex))).toEqual(shape(ib));
                      if (declared.target.kind === "postgres") {
                        const schemas = ["public", "audit", "private"];
                        expect(await pgDelta(upgraded.target.url, reference.target.url, schemas)).toBe("");
                        expect(await pgDelta(upgraded.target.url, declared.target.url, schemas)).toBe("");
                        deltaChecks += 2;
                      }
                    } finally {
                      await c.close();
                      await declared.drop();
                    }
                  }
                  expect(
                    ia.tables.map((t) => [t.name, t.policies?.map((p) => p.name), t.triggers?.map((x) => x.name)]),
                  ).toEqual(
                    ib.tables.map((t) => [t.name, t.policies?.map((p) => p.name), t.triggers?.map((x) => x.name)]),
                  );
                } finally {
                  await a.close();
                  await b.close();
                  await upgraded.drop();
                  await reference.drop();
                }
              }
              // Every rollback returns exactly to the previous shape.
              for (let i = scripts.length - 1; i >= 0; i--) {
                await revertMigration(
                  db.knex,
                  {
                    module: "prop",
                    phase: 1,
                    iteration: i + 1,
                    file: `rollback-${i + 1}.sql`,
                    sql: scripts[i]?.down ?? "",
                  },
                  [],
                  "20260101000000",
                );
                const previous = scripts[i - 1]?.schema ?? emptySchema();
                expect(shape(await introspectPostgres(db.knex))).toEqual(shape(previous));
                // The latest rollback, also by Supabase's differ: the database equals the previous state built from scratch.
                if (i === scripts.length - 1 && fresh.target.kind === "postgres") {
                  const scratch = await engine.fresh();
                  const other = await openDatabase(scratch.target);
                  try {
                    await applyStatements(other.knex, renderPostgres(diffSchemas(emptySchema(), previous).operations));
                    if (scratch.target.kind === "postgres")
                      expect(await pgDelta(fresh.target.url, scratch.target.url)).toBe("");
                    deltaChecks += 1;
                  } finally {
                    await other.close();
                    await scratch.drop();
                  }
                }
              }
            } finally {
              await db.close();
              await fresh.drop();
            }
          },
        ),
        { numRuns: RUNS, seed: Number(process.env.DBGEN_PROPERTY_SEED ?? 42), endOnFailure: true },
      );
      if (oracleChecks > 0)
        process.stdout.write(
          `\n${engine.name}: ${RUNS} histories; ${oracleChecks} iterations also checked by migra, ${deltaChecks} pairs by pg-delta\n`,
        );
    },
  );
});
