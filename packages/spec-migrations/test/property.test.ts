/**
 * Random specs → the up migration applies on SQLite, PostgreSQL and MariaDB → introspection shows
 * what the spec asked → the down migration returns to an empty database.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateMigration, type MigrationSpec, type TableDefinition } from "../src/index.js";
import { specEngines } from "./engines.js";

const TYPES = [
  "TEXT",
  "INTEGER",
  "REAL",
  "BOOLEAN",
  "DATE",
  "VARCHAR(40)",
  "DECIMAL(10,2)",
  "TIMESTAMP",
  "JSON",
  "BIGINT",
];
const NAMES = ["alpha", "beta", "gamma", "delta", "status", "order", "user"];

const column = fc.record({
  name: fc.constantFrom(...NAMES),
  type: fc.constantFrom(...TYPES),
  nullable: fc.boolean(),
  unique: fc.boolean(),
});
const table = fc.record({
  columns: fc.uniqueArray(column, { minLength: 0, maxLength: 4, selector: (c) => c.name }),
  parent: fc.boolean(),
  indexFirst: fc.boolean(),
});

function specOf(
  tables: {
    columns: { name: string; type: string; nullable: boolean; unique: boolean }[];
    parent: boolean;
    indexFirst: boolean;
  }[],
  databaseType: MigrationSpec["databaseType"],
): MigrationSpec {
  return {
    description: "random",
    databaseType,
    tables: tables.map((t, i): TableDefinition => {
      const columns = [
        { name: "id", type: "VARCHAR(36)", nullable: false },
        ...t.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          unique: c.unique && c.type !== "JSON" && c.type !== "TEXT",
        })),
      ];
      if (i > 0 && t.parent) columns.push({ name: "parent_id", type: "VARCHAR(36)", nullable: true });
      const first = t.columns[0];
      return {
        name: `t${i}`,
        columns,
        primaryKey: ["id"],
        ...(i > 0 && t.parent
          ? {
              foreignKeys: [
                {
                  columns: ["parent_id"],
                  referencedTable: `t${i - 1}`,
                  referencedColumns: ["id"],
                  onDelete: "CASCADE" as const,
                },
              ],
            }
          : {}),
        ...(t.indexFirst && first && first.type !== "JSON" && first.type !== "TEXT"
          ? { indexes: [{ name: `t${i}_${first.name}_idx`, columns: [first.name], unique: false }] }
          : {}),
      };
    }),
  };
}

describe.each(specEngines())("random specs on $name", (engine) => {
  it.skipIf(engine.skipReason !== "")("up matches the spec, down returns to empty", async () => {
    const live = await engine.open();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(table, { minLength: 1, maxLength: 3 }), async (tables) => {
          const spec = specOf(tables, engine.databaseType);
          const m = generateMigration(spec, { existing: await live.introspect(), now: 0 });
          expect(m.validation.errors).toEqual([]);
          await live.apply(m.upStatements);
          const schema = await live.introspect();
          for (const t of spec.tables) {
            const got = schema.tables.find((x) => x.name === t.name);
            expect(got?.columns.map((c) => c.name).sort()).toEqual(t.columns.map((c) => c.name).sort());
            for (const c of t.columns)
              expect(got?.columns.find((x) => x.name === c.name)?.nullable, `${t.name}.${c.name}`).toBe(c.nullable);
            expect(got?.primaryKey?.columns).toEqual(["id"]);
            expect(got?.foreignKeys.map((f) => [f.columns, f.referencedTable])).toEqual(
              (t.foreignKeys ?? []).map((f) => [f.columns, f.referencedTable]),
            );
            expect(got?.uniques.map((u) => u.columns[0]).sort()).toEqual(
              t.columns
                .filter((c) => c.unique)
                .map((c) => c.name)
                .sort(),
            );
          }
          await live.apply(m.downStatements);
          expect((await live.introspect()).tables).toEqual([]);
        }),
        { numRuns: Number(process.env.DBGEN_PROPERTY_RUNS ?? 12), seed: 20261124 },
      );
    } finally {
      await live.close();
    }
  });
});
