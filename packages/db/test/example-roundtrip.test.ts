/**
 * The example project's whole model and each module: the rendered SQL applies on PGlite and on
 * PostgreSQL 15, and introspection gives back exactly the IR.
 */
import { fileURLToPath } from "node:url";
import { readProject } from "@dbgen/busm-reader";
import { diffSchemas, emptySchema, physicalShape, renderPostgres, type Schema } from "@dbgen/schema-core";
import { afterAll, describe, expect, it } from "vitest";
import { applyStatements, introspectPostgres } from "../src/index.js";
import { engines } from "./engines.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const project = await readProject(root);

const cases: [string, Schema][] = [];
if (project.schema) cases.push(["whole model", project.schema]);
for (const m of project.modules) cases.push([`module ${m.config.module}`, m.schema]);

describe.each(engines())("example on $name", (engine) => {
  afterAll(() => engine.dispose());
  it("has a valid example with three modules", () => {
    expect(project.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(project.schema?.tables.length).toBeGreaterThanOrEqual(12);
    expect(project.modules.map((m) => m.config.module).sort()).toEqual([
      "account-management",
      "master-view",
      "service-scheduler",
    ]);
  });
  it.skipIf(engine.skipReason !== "").each(cases)(
    "%s applies and introspects back to the IR",
    async (_label, schema) => {
      const box = await engine.sandbox();
      try {
        const target = { ...schema, name: box.schemaName };
        await applyStatements(
          box.db.knex,
          renderPostgres(diffSchemas(emptySchema(box.schemaName), target).operations, { schema: box.schemaName }),
        );
        const live = await introspectPostgres(box.db.knex, box.schemaName);
        expect(physicalShape(live)).toEqual(physicalShape(target));
        // Nothing left to do: diffing the live database against the model gives no operation.
        expect(diffSchemas(live, target).operations).toEqual([]);
      } finally {
        await box.close();
      }
    },
  );
});
