/**
 * @dbgen/prototype-generator — the prototype stage: per module and iteration, minimal tables, ALTER
 * migrations, rollbacks, state snapshots and types, applied to a real database.
 *
 * @example
 * const ctx = await loadModuleContext(root, "account-management");
 * const plan = planIteration({ model: ctx.project.model, module: ctx.module, config: ctx.config, generated: ctx.files.iterations, nowMs: Date.now() });
 * await writeIteration(root, plan);
 */

export { CONFIG_FILES, DEFAULT_CONFIG, type OutputFile, type PrototypeConfig, readConfig, resolveConfig } from "@dbgen/project";
export { rollbackBackupTargets } from "./backup.js";
export { devDatabaseDir, generationTime, MIGRATION_FILE, migrationsDir, nextVersion, parseVersion, rollbackPath, statePath, typesPath, versionOf } from "./layout.js";
export { buildWish, describeMigration, type GeneratedIteration, type IterationInput, type IterationPlan, planIteration } from "./plan.js";
export { type ModuleFiles, readModuleFiles, readRollback } from "./scan.js";
export * from "./workflow.js";

export const stage = { name: "prototype", status: "ready", emitsSql: true } as const;
