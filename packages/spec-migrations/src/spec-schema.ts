/**
 * The MigrationSpec as data: its JSON Schema, checked before anything reads a field, so a spec of
 * the wrong shape is a coded INVALID_CONFIG naming the place, never a crash or text in the output.
 */
import type { ValidationError } from "./spec.js";
import * as generated from "./validators.generated.js";

/** What ajv reports per problem (the part read here). */
interface ErrorObject {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: unknown;
  readonly message?: string;
}

/** The ahead-of-time compiled validator (ajv standalone): a predicate that leaves its errors on itself. */
const validateMigrationSpec = generated.validateMigrationSpec as unknown as {
  (document: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
};

/** One line of text: what reaches a file header or a file name. */
const LINE = { type: "string", pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*$" } as const;
const NAMES = { type: "array", items: { type: "string" } } as const;
const ACTION = { enum: ["CASCADE", "SET NULL", "RESTRICT", "NO ACTION"] } as const;

const COLUMN = {
  type: "object",
  required: ["name", "type"],
  properties: {
    name: { type: "string" },
    type: { type: "string" },
    nullable: { type: "boolean" },
    default: { type: ["string", "number", "boolean", "null"] },
    unique: { type: "boolean" },
    autoIncrement: { type: "boolean" },
    description: { type: "string" },
  },
} as const;

const TABLE = {
  type: "object",
  required: ["name", "columns"],
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    columns: { type: "array", items: COLUMN },
    primaryKey: NAMES,
    foreignKeys: {
      type: "array",
      items: {
        type: "object",
        required: ["columns", "referencedTable", "referencedColumns"],
        properties: {
          columns: NAMES,
          referencedTable: { type: "string" },
          referencedColumns: NAMES,
          onDelete: ACTION,
          onUpdate: ACTION,
        },
      },
    },
    uniqueConstraints: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "columns"],
        properties: { name: { type: "string" }, columns: NAMES },
      },
    },
    checkConstraints: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "expression"],
        properties: { name: { type: "string" }, expression: { type: "string" } },
      },
    },
    indexes: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "columns"],
        properties: {
          name: { type: "string" },
          columns: NAMES,
          unique: { type: "boolean" },
          type: { enum: ["btree", "hash", "gin", "gist"] },
        },
      },
    },
  },
} as const;

/** JSON Schema of seed 004's MigrationSpec (`databaseType` may come from `--dialect` instead). */
export const MIGRATION_SPEC_JSON_SCHEMA = {
  $id: "https://dbgen.dev/schemas/migration-spec.json",
  type: "object",
  required: ["description", "tables"],
  properties: {
    description: LINE,
    databaseType: { enum: ["sqlite", "postgresql", "mysql"] },
    tables: { type: "array", items: TABLE },
    existingDbPath: LINE,
    fileFormat: { enum: ["timestamp", "numbered"] },
    generateTypes: { type: "boolean" },
  },
} as const;

function sentence(e: ErrorObject, path: string): string {
  const where = path || "the spec";
  if (e.keyword === "required")
    return `${where} lacks \`${String((e.params as { missingProperty: string }).missingProperty)}\``;
  if (e.keyword === "pattern") return `${where} must be one line of text (no line break or control character)`;
  if (e.keyword === "enum")
    return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${where} ${e.message ?? "is invalid"}`;
}

/** The spec's shape problems, one INVALID_CONFIG each with its place (`tables.0.columns.1.type`). */
export function checkSpecShape(document: unknown): ValidationError[] {
  if (validateMigrationSpec(document)) return [];
  return (validateMigrationSpec.errors ?? []).map((e) => {
    const path = e.instancePath.split("/").slice(1).join(".");
    return {
      type: "error",
      code: "INVALID_CONFIG",
      message: sentence(e, path),
      suggestion: "see seed 004's MigrationSpec (docs/migrate.md): description, databaseType, tables",
      ...(path ? { table: path } : {}),
    };
  });
}
