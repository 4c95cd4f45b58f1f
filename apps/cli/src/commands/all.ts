/**
 * `dbgen all`: the whole pipeline over `.pipeline/`, touching no persistent database: the whole
 * model's schema (proven on an in-memory PGlite), concept docs, and — once modules have prototyped —
 * merge and harden. The project is read once and the merge done once; every file is computed before
 * the first is written.
 */
import { applyStatements, introspectPostgres, openDatabase } from "@dbgen/db";
import { type OutputFile, writeOutputs } from "@dbgen/prototype-generator";
import { createSnapshot, DbgenError, diffSchemas, emptySchema, physicalShape, renderPostgres, renderTypescript, serializeSnapshot } from "@dbgen/schema-core";
import { readLatestStates } from "@dbgen/schema-merger";
import type { CommandResult, GlobalOptions } from "../output.js";
import { readCheckedProject } from "../project.js";
import { planConcept } from "./concept.js";
import { planHarden } from "./harden.js";
import { planMerge } from "./merge.js";

export const MODEL_DIR = ".pipeline/database/model";

export async function allCommand(options: GlobalOptions): Promise<CommandResult> {
  const project = await readCheckedProject(options.root);
  if (!project.schema) throw new DbgenError(project.diagnostics);
  const schema = project.schema;
  const plan = diffSchemas(emptySchema(schema.name), schema);
  const statements = renderPostgres(plan.operations);
  const header = `-- dbgen: the whole model "${project.model?.name ?? "model"}" as one schema (keys, uniques, foreign keys, indexes).\n-- Generated from .pipeline/factory-tools/busm-reader/busm-model.json; do not edit.\n\n`;
  const files: OutputFile[] = [
    { path: `${MODEL_DIR}/schema.sql`, content: `${header}${statements.join("\n\n")}\n` },
    { path: `${MODEL_DIR}/database.types.ts`, content: renderTypescript(schema) },
    { path: `${MODEL_DIR}/schema.json`, content: serializeSnapshot(createSnapshot(schema, { meta: { source: "busm" } })) },
  ];
  // Prove it before writing anything: apply to an in-memory PGlite and read it back.
  const db = await openDatabase({ kind: "pglite" });
  try {
    await applyStatements(db.knex, statements, { file: `${MODEL_DIR}/schema.sql` });
    const live = await introspectPostgres(db.knex, schema.name);
    if (JSON.stringify(physicalShape(live)) !== JSON.stringify(physicalShape(schema))) {
      throw new Error("the schema PGlite holds differs from the model's IR");
    }
  } finally {
    await db.close();
  }
  // Merge and harden, when modules have prototyped (a conflict stops everything before any write).
  const states = await readLatestStates(options.root).catch(() => undefined);
  const merge = states ? await planMerge(options.root, project, states) : undefined;
  const production = merge ? await planHarden(options.root, project, merge) : undefined;
  if (production) files.push(...production.files);
  const concept = await planConcept(options.root, {}, project);
  files.push(...concept.files);
  const changed = await writeOutputs(options.root, files);
  return {
    result: { tables: schema.tables.length, statements: statements.length, files: files.map((f) => f.path), changed, provenOn: "PGlite (in memory)" },
    diagnostics: [...project.diagnostics, ...plan.warnings],
    lines: [
      `model: ${schema.tables.length} tables, ${statements.length} statements, applied and read back on PGlite (in memory)`,
      `concept: ${concept.files.length} pages in .pipeline/docs/concept/`,
      merge ? `merge: ${merge.modules.length} modules into ${merge.result.merged.tables.length} tables, ${merge.result.rules.length} rule(s) applied` : "merge: no module has a prototype state yet",
      production
        ? `harden: ${production.plan.schema.tables.filter((t) => !t.schema).length} tables, proven on PGlite; ${production.plan.migrations.length ? `new migrations ${production.plan.migrations.map((m) => m.name).join(", ")}` : "no new migration"}`
        : "harden: nothing to harden yet",
      ...files.map((f) => `${changed.includes(f.path) ? "wrote" : "unchanged"} ${f.path}`),
    ],
  };
}
