/**
 * `generateMigration(spec)`: the spec's tables against what exists (nothing, or an introspected
 * database) → one migration, up and down, for the spec's dialect, with its types and validation.
 */
import { generationTime, versionOf } from "@dbgen/project";
import {
  adaptOperations,
  createRenderer,
  DIALECTS,
  describeOperation,
  diffSchemas,
  emptySchema,
  invertOperations,
  planHazards,
  type Schema,
  sqlComment,
  type Table,
} from "@dbgen/schema-core";
import { buildSpecTables, DIALECT_OF, mergeTable } from "./build.js";
import type { GeneratedMigration, MigrationSpec, TableOperation, ValidationError } from "./spec.js";
import { checkSpecShape } from "./spec-schema.js";
import { renderTableTypes } from "./types.js";

export interface GenerateOptions {
  /** What the database holds (introspected); empty when absent. */
  readonly existing?: Schema;
  /** Drop what the spec omits from an existing table (destructive, flagged). */
  readonly prune?: boolean;
  /** The clock (ms); SOURCE_DATE_EPOCH or now by default. */
  readonly now?: number;
  /** Override the spec's databaseType. */
  readonly dialect?: MigrationSpec["databaseType"];
}

/**
 * Generates the migration for `spec` (pure: the existing schema comes in `options.existing`; see
 * `generateMigrationFor` to introspect `spec.existingDbPath`).
 *
 * @example
 * const m = generateMigration({ description: "create_users_table", databaseType: "sqlite", tables: [...] });
 * if (m.validation.valid) writeFileSync(`migrations/${m.metadata.filename}`, m.file);
 */
export function generateMigration(spec: MigrationSpec, options: GenerateOptions = {}): GeneratedMigration {
  const shape = checkSpecShape(spec);
  if (shape.length > 0) return refused(spec, shape);
  const databaseType = options.dialect ?? spec.databaseType;
  const effective = { ...spec, databaseType };
  const dialectName = DIALECT_OF[databaseType];
  const dialect = DIALECTS[dialectName];
  const existing: Schema = { ...(options.existing ?? emptySchema()), name: "public" };
  const built = buildSpecTables(effective, existing);
  const errors: ValidationError[] = [...built.errors];
  const warnings: ValidationError[] = [...built.warnings];
  const tables = new Map(existing.tables.map((t) => [t.name, t]));
  const targetTables: Table[] = existing.tables.map((t) => {
    const spec = built.tables.find((s) => s.name === t.name);
    return spec ? mergeTable(t, spec, options.prune === true) : t;
  });
  for (const t of built.tables) if (!tables.has(t.name)) targetTables.push(t);
  const target: Schema = { ...existing, tables: targetTables };
  const plan = diffSchemas(existing, target);
  const up = adaptOperations(plan.operations, existing, target, dialect);
  const down = adaptOperations(invertOperations(plan.operations), target, existing, dialect);
  for (const h of planHazards(plan.operations)) {
    if (h.hazards.includes("destructive"))
      warnings.push({
        type: "warning",
        code: "DESTRUCTIVE_CHANGE",
        message: `${describeOperation(h.operation)}: ${h.reason ?? "loses data"}`,
        suggestion: "back the data up first; leave out --prune to keep what the spec omits",
      });
  }
  for (const w of plan.warnings)
    warnings.push({ type: "warning", code: w.code, message: w.message, suggestion: w.fix ?? "" });
  const render = createRenderer(dialect, { schema: "public" });
  const upStatements = render(up);
  const downStatements = render(down);
  const tableOperations: Record<string, TableOperation> = {};
  for (const t of built.tables) {
    const touched = plan.operations.some(
      (op) => "table" in op && (typeof op.table === "string" ? op.table : op.table.name) === t.name,
    );
    tableOperations[t.name] = !tables.has(t.name) ? "CREATE" : touched ? "ALTER" : "SKIP";
  }
  const kinds = new Set(Object.values(tableOperations).filter((k) => k !== "SKIP"));
  const operationType =
    kinds.size === 0 ? "NONE" : kinds.size === 2 ? "MIXED" : kinds.has("CREATE") ? "CREATE" : "ALTER";
  const now = options.now ?? generationTime();
  const version = versionOf(now);
  const description =
    spec.description
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, "_")
      .replace(/^_|_$/g, "") || "migration";
  const filename = `${version}_${description}.sql`;
  const affected = Object.entries(tableOperations)
    .filter(([, k]) => k !== "SKIP")
    .map(([t]) => t);
  // SQLite's rebuild procedure: foreign keys off, one transaction, checked before the commit.
  const wrap = (statements: readonly string[]): string => {
    const body = statements.join("\n\n");
    if (dialectName !== "sqlite" || statements.length === 0) return body;
    return `PRAGMA foreign_keys = OFF;\nBEGIN;\n\n${body}\n\nPRAGMA foreign_key_check;\nCOMMIT;\nPRAGMA foreign_keys = ON;`;
  };
  const upMigration = wrap(upStatements);
  const downMigration = wrap(downStatements);
  const header = sqlComment([
    `Migration: ${version}`,
    `Description: ${spec.description}`,
    `Database: ${databaseType}`,
    `Tables: ${affected.join(", ") || "(none: every table is up to date)"}`,
    `Generated: ${new Date(now).toISOString()}`,
    `Operation: ${operationType}`,
  ]);
  const file = `${header}\n\n${sqlComment(["UP MIGRATION"])}\n\n${upMigration}\n\n${sqlComment(["DOWN MIGRATION"])}\n\n${downMigration}\n`;
  return {
    metadata: {
      filename,
      description: spec.description,
      databaseType,
      operationType,
      tablesAffected: affected,
      tableOperations,
      generatedAt: new Date(now).toISOString(),
    },
    file,
    upMigration,
    downMigration,
    upStatements,
    downStatements,
    ...(spec.generateTypes === false
      ? {}
      : {
          typeDefinitions: renderTableTypes(
            target.tables.filter((t) => built.tables.some((b) => b.name === t.name)),
            filename.replace(/\.sql$/, ""),
          ),
        }),
    validation: { valid: errors.length === 0, errors, warnings },
  };
}

/** The answer for a spec of the wrong shape: its errors, and no migration. */
function refused(spec: MigrationSpec, errors: ValidationError[]): GeneratedMigration {
  return {
    metadata: {
      filename: "",
      description: typeof spec?.description === "string" ? spec.description : "",
      databaseType: typeof spec?.databaseType === "string" ? spec.databaseType : "",
      operationType: "NONE",
      tablesAffected: [],
      tableOperations: {},
      generatedAt: "",
    },
    file: "",
    upMigration: "",
    downMigration: "",
    upStatements: [],
    downStatements: [],
    validation: { valid: false, errors, warnings: [] },
  };
}
