/**
 * @dbgen/prototype-generator — the prototype stage: per module and iteration, minimal tables, ALTER
 * migrations, rollbacks, state snapshots and types, applied to a real database.
 *
 * @example
 * const ctx = await loadModuleContext(root, "account-management");
 * const plan = planIteration({ model: ctx.project.model, module: ctx.module, config: ctx.config, generated: ctx.files.iterations, nowMs: Date.now() });
 * await writeIteration(root, plan);
 */

export { rollbackBackupTargets } from "./backup.js";
export { DEFAULT_CONFIG, type PrototypeConfig, resolveConfig } from "./config.js";
export { writeFileAtomic, writeOutputs } from "./files.js";
export * from "./layout.js";
export { buildWish, describeMigration, type GeneratedIteration, type IterationInput, type IterationPlan, type OutputFile, planIteration } from "./plan.js";
export { CONFIG_FILES, readConfig } from "./read-config.js";
export { type ModuleFiles, readModuleFiles, readRollback } from "./scan.js";
export * from "./workflow.js";

export const stage = { name: "prototype", status: "ready", emitsSql: true } as const;
