/** The whole model's outputs (pure): its schema as SQL, its types and its snapshot, for `dbgen all`. */
import type { OutputFile } from "@dbgen/project";
import {
  createSnapshot,
  type Diagnostic,
  diffSchemas,
  emptySchema,
  renderPostgres,
  renderTypescript,
  type Schema,
  serializeSnapshot,
  sqlComment,
} from "@dbgen/schema-core";

export interface ModelOutputs {
  readonly statements: readonly string[];
  readonly files: readonly OutputFile[];
  readonly warnings: readonly Diagnostic[];
}

/** `dir` is the layout's model folder; `busmFile` the BUSM's path, named in the SQL's header. */
export function planModelOutputs(schema: Schema, modelName: string, dir: string, busmFile: string): ModelOutputs {
  const plan = diffSchemas(emptySchema(schema.name), schema);
  const statements = renderPostgres(plan.operations);
  const header = `${sqlComment([
    `dbgen: the whole model "${modelName}" as one schema (keys, uniques, foreign keys, indexes).`,
    `Generated from ${busmFile}; do not edit.`,
  ])}\n\n`;
  return {
    statements,
    warnings: plan.warnings,
    files: [
      { path: `${dir}/schema.sql`, content: `${header}${statements.join("\n\n")}\n` },
      { path: `${dir}/database.types.ts`, content: renderTypescript(schema) },
      { path: `${dir}/schema.json`, content: serializeSnapshot(createSnapshot(schema, { meta: { source: "busm" } })) },
    ],
  };
}
