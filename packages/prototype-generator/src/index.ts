/**
 * @dbgen/prototype-generator — the prototype stage: per module and iteration, minimal tables, ALTER
 * migrations, rollbacks, state snapshots and types, applied to a real database.
 *
 * @example
 * const ctx = await loadModuleContext(root, "account-management");
 * const plan = planIteration({ model: ctx.project.model, module: ctx.module, config: ctx.config, generated: ctx.files.iterations, nowMs: Date.now() });
 * await writeIteration(root, plan);
 */

export {
  CONFIG_FILES,
  DEFAULT_CONFIG,
  generationTime,
  nextVersion,
  type OutputFile,
  type PrototypeConfig,
  parseVersion,
  readConfig,
  resolveConfig,
  versionOf,
} from "@dbgen/project";
export { forwardBackupTargets, rollbackBackupTargets } from "./backup.js";
export { devDatabaseDir, migrationsDir, rollbackPath, statePath, typesPath } from "./layout.js";
export {
  buildWish,
  describeMigration,
  type GeneratedIteration,
  type IterationInput,
  type IterationPlan,
  planIteration,
} from "./plan.js";
export { mergeSchemas, planRebase, type RebaseInput, type RebasePlan, type SideIteration } from "./rebase.js";
export { type ModuleFiles, readModuleFiles, readRollback } from "./scan.js";
export {
  type ApplyReport,
  applyPending,
  describeBackups,
  iterationFiles,
  loadModuleContext,
  loadModuleContexts,
  type ModuleContext,
  moduleStatus,
  type RollbackReport,
  rollbackTo,
  type StatusReport,
  writeIteration,
} from "./workflow.js";
