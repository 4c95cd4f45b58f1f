/**
 * The prototype workflow at the edges: load a module's context from disk, write a planned iteration,
 * apply pending iterations, roll back, and report status and drift against a database.
 */
import { type AnalysedModule, type AnalysedProject, readProject } from "@dbgen/busm-reader";
import {
  appliedIterations,
  applyMigration,
  type Backup,
  checkChecksums,
  currentIteration,
  type Database,
  type HistoryRow,
  introspectPostgres,
  modulesIn,
  printedExpressions,
  type RestoreStep,
  readHistory,
  restoreBackups,
  revertMigration,
} from "@dbgen/db";
import {
  generationTime,
  type OutputFile,
  type Project,
  type ProjectLayout,
  type PrototypeConfig,
  publish,
  resolveProject,
  versionOf,
} from "@dbgen/project";
import {
  DbgenError,
  type Diagnostic,
  describeDrift,
  diffSchemas,
  hasErrors,
  physicalShape,
  suggestFix,
  userError,
} from "@dbgen/schema-core";
import { forwardBackupTargets, rollbackBackupTargets } from "./backup.js";
import { type IterationPlan, moduleBuildOptions } from "./plan.js";
import { type ModuleFiles, readModuleFiles, readRollback } from "./scan.js";

export interface ModuleContext {
  readonly root: string;
  readonly layout: ProjectLayout;
  readonly config: PrototypeConfig;
  readonly configFile?: string;
  readonly project: AnalysedProject & { readonly model: NonNullable<AnalysedProject["model"]> };
  readonly module: AnalysedModule;
  readonly files: ModuleFiles;
  /** The project's warnings (errors stop loading). */
  readonly warnings: readonly Diagnostic[];
}

function configError(message: string, fix: string): DbgenError {
  return userError("INVALID_CONFIG", message, fix);
}

/** The project read once: BUSM and module files where the layout says, with each module's latest file. */
async function readModules(at: string | Project) {
  const { layout, prototype: config } = typeof at === "string" ? await resolveProject(at) : at;
  const project = await readProject(
    layout.root,
    { busm: layout.busm, modules: layout.modules },
    moduleBuildOptions(config),
  );
  if (hasErrors(project.diagnostics) || !project.model) throw new DbgenError(project.diagnostics);
  const latest = project.modules.filter((m) => m.latest);
  return { layout, config, project: project as ModuleContext["project"], latest };
}

async function contextOf(
  read: Awaited<ReturnType<typeof readModules>>,
  module: AnalysedModule,
): Promise<ModuleContext> {
  const { layout, config, project } = read;
  const files = await readModuleFiles(layout.root, config, module.config.module);
  return {
    root: layout.root,
    layout,
    config,
    ...(layout.configFile ? { configFile: layout.configFile } : {}),
    project,
    module,
    files,
    // The module's own warnings; the model's are `dbgen validate`'s to tell.
    warnings: project.diagnostics.filter((d) => d.severity === "warning" && d.file === module.file),
  };
}

/** Loads BUSM and module files (where the project's layout says), picks the module (`--module`, or the only one) and its generated iterations. */
export async function loadModuleContext(at: string | Project, moduleName?: string): Promise<ModuleContext> {
  const read = await readModules(at);
  const { config, latest } = read;
  const names = latest.map((m) => m.config.module);
  let module: AnalysedModule | undefined;
  if (moduleName !== undefined) {
    module = latest.find((m) => m.config.module === moduleName);
    if (!module)
      throw configError(
        `No module "${moduleName}" in ${config.paths.modules}`,
        names.length
          ? suggestFix(moduleName, names, `use one of: ${names.join(", ")}`)
          : `add ${config.paths.modules}/${moduleName}-phase1.yaml`,
      );
  } else if (latest.length === 1) {
    module = latest[0];
  } else {
    throw configError(
      latest.length === 0
        ? `No module files in ${config.paths.modules}`
        : `Several modules exist (${names.join(", ")}); say which`,
      latest.length === 0 ? "add a module file such as crm-phase1.yaml" : "pass --module NAME",
    );
  }
  if (!module) throw configError("No module", "pass --module NAME");
  return contextOf(read, module);
}

/** Every module's context, in name order (`dbgen status` without `--module` summarises them all). */
export async function loadModuleContexts(at: string | Project): Promise<ModuleContext[]> {
  const read = await readModules(at);
  const modules = [...read.latest].sort((a, b) => a.config.module.localeCompare(b.config.module));
  return Promise.all(modules.map((m) => contextOf(read, m)));
}

/** The plan's four files; none for an unchanged plan. */
export function iterationFiles(plan: IterationPlan): OutputFile[] {
  return [plan.migration, plan.rollback, plan.state, plan.types].filter((f): f is OutputFile => f !== undefined);
}

/** Publishes the plan's four files all or none (call it under the project lock); returns those that changed. */
export async function writeIteration(at: string | ProjectLayout, plan: IterationPlan): Promise<string[]> {
  const layout = typeof at === "string" ? (await resolveProject(at)).layout : at;
  return publish(layout, iterationFiles(plan));
}

/** `2 row(s) of contacts, 1 row(s) of accounts.email,phone`. */
export function describeBackups(backups: readonly Backup[]): string {
  return backups
    .map((b) => `${b.rows} row(s) of ${b.target.table}${b.target.columns ? `.${b.target.columns.join(",")}` : ""}`)
    .join(", ");
}

export interface ApplyReport {
  readonly applied: readonly number[];
  readonly alreadyApplied: readonly number[];
  readonly current: number;
  /** With `restore`: the saved rows put back after each applied iteration (and what still waits). */
  readonly restored?: readonly RestoreStep[];
}

/** Refuses a database that has applied more iterations of the module than the files describe. */
function checkNotAhead(history: readonly HistoryRow[], ctx: ModuleContext): void {
  const name = ctx.module.config.module;
  const current = currentIteration(history, name);
  const generated = ctx.files.iterations.length;
  if (current > generated) {
    throw userError(
      "INVALID_ITERATION",
      `The database is at iteration ${current} of ${name}, ahead of the files, which stop at iteration ${generated}`,
      `restore the module's files from version control (iterations ${generated + 1}–${current}), or use a database that matches them`,
    );
  }
}

/** Applies every generated iteration of the module that the database does not have, in order. */
export async function applyPending(
  db: Database,
  ctx: ModuleContext,
  onStep: (message: string) => void = () => {},
  options: { readonly restore?: boolean } = {},
): Promise<ApplyReport> {
  const history = await readHistory(db.knex);
  checkNotAhead(history, ctx);
  checkChecksums(history, ctx.files.migrations);
  const applied: number[] = [];
  const already: number[] = [];
  const restored: RestoreStep[] = [];
  const done = appliedIterations(history, ctx.module.config.module);
  for (const script of ctx.files.migrations) {
    if (done.has(script.iteration)) continue;
    const started = performance.now();
    const previous = ctx.files.iterations[script.iteration - 2]?.state.schema;
    const current = ctx.files.iterations[script.iteration - 1]?.state.schema;
    const targets = current ? forwardBackupTargets(previous, current) : [];
    const outcome = await applyMigration(db.knex, script, {
      backups: { targets, stamp: versionOf(generationTime()) },
      onBackups: (saved) => onStep(`saved ${describeBackups(saved)} before iteration ${script.iteration} dropped them`),
    });
    if (outcome === "applied") {
      applied.push(script.iteration);
      onStep(`applied iteration ${script.iteration} (${script.file}) in ${Math.round(performance.now() - started)} ms`);
    } else already.push(script.iteration);
    // The rows rolling this iteration back saved go back now, before a later iteration needs them
    // (a column it made required, a foreign key into them).
    if (options.restore)
      restored.push(
        ...(await restoreBackups(db.knex, ctx.module.config.module, { at: script.iteration, only: script.iteration })),
      );
  }
  return {
    applied,
    alreadyApplied: already,
    current: currentIteration(await readHistory(db.knex), ctx.module.config.module),
    ...(options.restore ? { restored } : {}),
  };
}

export interface RollbackReport {
  readonly rolledBack: readonly number[];
  readonly current: number;
  readonly backups: readonly Backup[];
}

/** Rolls back from the current iteration down to `to` (default: one back), saving rows before each drop. */
export async function rollbackTo(
  db: Database,
  ctx: ModuleContext,
  to: number | undefined,
  stamp: string,
  onStep: (message: string) => void = () => {},
): Promise<RollbackReport> {
  const name = ctx.module.config.module;
  if (!ctx.config.iteration.allowRollback)
    throw configError(
      "Rollback is disabled by the configuration (iteration.allowRollback: false)",
      "enable it in the configuration file",
    );
  const history = await readHistory(db.knex);
  checkNotAhead(history, ctx);
  checkChecksums(history, ctx.files.migrations);
  const current = currentIteration(history, name);
  const target = to ?? current - 1;
  if (current === 0)
    throw userError(
      "INVALID_ITERATION",
      `Nothing to roll back: module ${name} has no applied iteration here`,
      "apply an iteration first",
    );
  if (target < 0 || target >= current) {
    throw userError(
      "INVALID_ITERATION",
      `Cannot roll back to iteration ${target}. Current state is iteration ${current}`,
      `pass --to a number from 0 to ${current - 1}`,
    );
  }
  const rolledBack: number[] = [];
  const backups: Backup[] = [];
  for (let iteration = current; iteration > target; iteration--) {
    const state = ctx.files.iterations[iteration - 1]?.state;
    if (!state)
      throw userError(
        "INVALID_ITERATION",
        `Iteration ${iteration} is applied but has no state file`,
        "restore the module's files from version control",
      );
    const previous = ctx.files.iterations[iteration - 2]?.state.schema;
    const script = await readRollback(ctx.root, ctx.config, name, iteration, Number(state.meta.phase ?? 1));
    const saved = await revertMigration(db.knex, script, rollbackBackupTargets(previous, state.schema), stamp);
    backups.push(...saved);
    rolledBack.push(iteration);
    onStep(`rolled back iteration ${iteration}${saved.length ? ` (saved ${describeBackups(saved)})` : ""}`);
  }
  return { rolledBack, current: target, backups };
}

export interface StatusReport {
  readonly module: string;
  readonly generated: readonly number[];
  readonly applied?: readonly number[];
  readonly pending?: readonly number[];
  /** Differences between the database and the state of its current iteration, one per line. */
  readonly drift?: readonly string[];
  readonly otherModules?: readonly string[];
  readonly history?: readonly HistoryRow[];
}

/** Iterations generated and, with a database, applied, pending and drift. */
export async function moduleStatus(ctx: ModuleContext, db?: Database): Promise<StatusReport> {
  const name = ctx.module.config.module;
  const generated = ctx.files.iterations.map((i) => i.iteration);
  if (!db) return { module: name, generated };
  const history = await readHistory(db.knex);
  checkNotAhead(history, ctx);
  checkChecksums(history, ctx.files.migrations);
  const applied = [...appliedIterations(history, name).keys()].sort((a, b) => a - b);
  const current = currentIteration(history, name);
  const stated = ctx.files.iterations[current - 1]?.state.schema;
  // The state's expressions as this database prints them, so only real differences are drift.
  const expected = stated ? await printedExpressions(db.knex, stated) : undefined;
  const live = await introspectPostgres(db.knex, stated?.name ?? "public");
  const shape = (s: typeof live) => physicalShape(s, { columnOrder: "name" });
  const drift = expected
    ? diffSchemas(shape(expected), shape(live)).operations.map(describeDrift)
    : live.tables.map((t) => `table ${t.name} is in the database, which has no applied iteration`);
  return {
    module: name,
    generated,
    applied,
    pending: generated.filter((i) => !applied.includes(i)),
    drift,
    otherModules: modulesIn(history).filter((m) => m !== name),
    history: history.filter((h) => h.module === name),
  };
}
