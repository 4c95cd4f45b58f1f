/**
 * No input makes generated SQL do anything but the intended DDL: models built to break quoting are
 * applied, then the catalog holds exactly the expected objects, and every text arrives verbatim.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { analyseProject } from "@dbgen/busm-reader";
import { diffSchemas, emptySchema, renderPostgres, type Schema } from "@dbgen/schema-core";
import { afterAll, describe, expect, it } from "vitest";
import { applyStatements, introspectPostgres } from "../src/index.js";
import { engines } from "./engines.js";

const CORPUS = fileURLToPath(new URL("../../../tooling/hostile/valid/", import.meta.url));
const models: [string, Schema][] = [];
for (const name of ["quotes-everywhere.json", "reserved-words.json", "names-share-63-bytes.json"]) {
  const project = analyseProject({ file: name, text: await readFile(`${CORPUS}${name}`, "utf8") }, []);
  if (!project.schema) throw new Error(`${name}: ${JSON.stringify(project.diagnostics)}`);
  models.push([name, project.schema]);
}

describe.each(engines())("crafted models on $name", (engine) => {
  afterAll(() => engine.dispose());
  it.skipIf(engine.skipReason !== "").each(models)(
    "%s creates exactly its own objects, texts verbatim",
    async (_name, model) => {
      const box = await engine.sandbox();
      try {
        const schema = { ...model, name: box.schemaName };
        await applyStatements(
          box.db.knex,
          renderPostgres(diffSchemas(emptySchema(box.schemaName), schema).operations, { schema: box.schemaName }),
        );
        const { rows } = await box.db.knex.raw<{ rows: { relname: string; relkind: string }[] }>(
          "select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? order by 1",
          [box.schemaName],
        );
        const expected = schema.tables
          .flatMap((t) => [
            t.name,
            ...(t.primaryKey ? [t.primaryKey.name] : []),
            ...t.uniques.map((u) => u.name),
            ...t.indexes.map((i) => i.name),
          ])
          .sort();
        expect(rows.map((r) => r.relname)).toEqual(expected);
        const { rows: functions } = await box.db.knex.raw<{ rows: unknown[] }>(
          "select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?",
          [box.schemaName],
        );
        expect(functions).toEqual([]);
        const live = await introspectPostgres(box.db.knex, box.schemaName);
        for (const table of schema.tables) {
          const got = live.tables.find((t) => t.name === table.name);
          expect(got?.comment).toBe(table.comment);
          for (const column of table.columns) {
            const c = got?.columns.find((x) => x.name === column.name);
            expect(c?.comment, `${table.name}.${column.name}`).toBe(column.comment);
            expect(c?.default, `${table.name}.${column.name}`).toEqual(column.default);
          }
        }
      } finally {
        await box.close();
      }
    },
  );
});
