/**
 * @dbgen/production-hardener — production: constraints, system columns, indexes, row-level security,
 * soft delete and audit over the merged schema; its fresh install, upgrade migrations and types.
 *
 * @example
 * const plan = planProduction({ merged: result.merged, union: result.union, nowMs: Date.now() });
 * console.log(plan.freshInstall);
 */

export { type BackfillRule, parseBackfill } from "./backfill.js";
export { declarativeSchemaFiles, isDeclarativeFileName, type SchemaFile, withSchemaPaths } from "./declarative.js";
export {
  describeChange,
  type MissingConversion,
  missingConversions,
  type PendingChange,
  pendingChanges,
} from "./expand.js";
export {
  AUDIT_SCHEMA,
  LOG_CHANGE,
  PRIVATE_SCHEMA,
  SET_CREATED_COLUMNS,
  SET_SYSTEM_COLUMNS,
  SOFT_DELETE,
} from "./functions.js";
export {
  accessOf,
  auditPass,
  constraintsPass,
  harden,
  indexesPass,
  PASSES,
  type Pass,
  securityPass,
  softDeletePass,
  systemColumnsPass,
} from "./passes.js";
export {
  type ProductionFile,
  type ProductionInput,
  type ProductionPaths,
  type ProductionPlan,
  planProduction,
  withBackfills,
} from "./plan.js";
export { SUPABASE_ROLES, SUPABASE_SHIM_SQL } from "./supabase.js";
export type { ProductionMigration } from "./writer.js";
