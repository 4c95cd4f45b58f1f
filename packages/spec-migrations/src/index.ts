/**
 * @dbgen/spec-migrations — seed 004's spec-driven migration generator on dbgen's IR, diff and renderers:
 * PostgreSQL, SQLite and MySQL, CREATE, ALTER or SKIP per table from what the database holds, up and
 * down migrations, types and validation.
 *
 * @example
 * const m = await generateMigrationFor(spec); // introspects spec.existingDbPath when set
 * console.log(m.file);
 */

export { ensureSqlParser } from "@dbgen/busm-reader";
export { buildSpecTables, mergeTable, parseColumnType } from "./build.js";
export { type GenerateOptions, generateMigration } from "./generate.js";
export { generateMigrationFor, introspectExisting } from "./introspect.js";
export type * from "./spec.js";
export { checkSpecShape, MIGRATION_SPEC_JSON_SCHEMA } from "./spec-schema.js";
export { interfaceName, renderTableTypes } from "./types.js";
