/**
 * @dbgen/pipeline — the application layer: each dbgen command as read → plan → prove → write over the
 * stage packages, taking a `RunContext` from its front end and giving back a `CommandResult` (typed
 * data and diagnostics, never text). The CLI parses arguments and renders results as words or JSON;
 * the panel renders the same results in its page. Each command is also its own module, `@dbgen/pipeline/commands/NAME`,
 * so a front end loads only what it runs.
 *
 * @example
 * // context is a RunContext: the project folder, and how to show progress, early warnings and long steps
 * const { result, diagnostics } = await generateCommand(context, { module: "crm" });
 * // result: { module, iteration, status, operations, written, applied, current, database }
 */
export { applyProductionCommand } from "./commands/harden.js";
export {
  generateCommand,
  type ModuleStatusResult,
  moduleStatusCommand,
  rollbackCommand,
  statusCommand,
} from "./commands/prototype.js";
export type { CommandResult, RunContext } from "./context.js";
export { lintFiles } from "./lint.js";
export { readCheckedProject } from "./project.js";
export { type ModuleReview, reviewModule } from "./review.js";
export type { MigrationsPlanned } from "./steps.js";
export { mergeStep, productionPlan } from "./steps.js";
