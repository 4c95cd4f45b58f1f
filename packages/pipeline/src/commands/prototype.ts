/**
 * The prototype commands: generate, preview, apply, rollback, status, types.
 */
import {
  appliedIterations,
  applyMigration,
  currentIteration,
  type Database,
  type RestoreStep,
  readHistory,
  restoreBackups,
  revertMigration,
} from "@dbgen/db";
import { type PendingChange, pendingChanges } from "@dbgen/production-hardener";
import { exists, type OutputFile, type Project, publish } from "@dbgen/project";
import {
  type ApplyReport,
  applyPending,
  describeBackups,
  forwardBackupTargets,
  generationTime,
  type IterationPlan,
  iterationFiles,
  loadModuleContext,
  loadModuleContexts,
  type ModuleContext,
  migrationsDir,
  moduleStatus,
  planIteration,
  type RollbackReport,
  rollbackPath,
  rollbackTo,
  type StatusReport,
  statePath,
  typesPath,
  versionOf,
  writeIteration,
} from "@dbgen/prototype-generator";
import { DbgenError, describeOperation, generatedTypesFile, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import {
  type DatabaseOptions,
  embeddedDatabaseExists,
  openTarget,
  targetFor,
  withModuleDatabase,
} from "../database.js";
import { readProductionMigrationNames, readProductionState } from "../inputs.js";
import { openProject, writing } from "../project.js";

export interface PrototypeOptions extends DatabaseOptions {
  readonly module?: string;
  readonly iteration?: number;
  readonly apply?: boolean;
  readonly allowDestructive?: boolean;
  readonly to?: number;
  /** `apply --restore`: put saved rows back after applying. */
  readonly restore?: boolean;
  /** `status --exit-code`: exit 3 when something is left to do. */
  readonly exitCode?: boolean;
  /** `status --stage production`: production's migrations and what waits for `harden --complete`. */
  readonly stage?: "production";
}

function analysis(ctx: ModuleContext, iteration: number, previous: number): string[] {
  const prev = ctx.files.iterations.at(-1)?.state.schema;
  return [
    `Module: ${ctx.module.config.module}`,
    `Phase: ${ctx.module.config.phase}`,
    `Iteration: ${iteration}${iteration === previous ? " (the latest)" : previous ? ` (previous: ${previous})` : ""}`,
    prev
      ? `✓ Loaded previous schema (${prev.tables.length} table${prev.tables.length === 1 ? "" : "s"})`
      : "✓ No previous iteration: this one creates",
    `✓ Loaded module config (${ctx.module.file})`,
  ];
}

function plan(ctx: ModuleContext, options: PrototypeOptions) {
  return planIteration({
    model: ctx.project.model,
    module: ctx.module,
    config: ctx.config,
    generated: ctx.files.iterations,
    ...(options.iteration !== undefined ? { requestedIteration: options.iteration } : {}),
    nowMs: generationTime(),
    allowDestructive: options.allowDestructive === true,
  });
}

/** What `generate` planned, wrote and applied. */
export interface GenerateResult {
  readonly module: string;
  readonly iteration: number;
  readonly status: IterationPlan["status"];
  /** How many operations the iteration plans. */
  readonly operations: number;
  readonly written: readonly string[];
  readonly applied: readonly number[];
  /** With a database: the iteration it is at now, and which database. */
  readonly current?: number;
  readonly database?: string;
}

export function generateCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<GenerateResult>> {
  return writing(global, `generate${options.module ? ` --module ${options.module}` : ""}`, (project) =>
    generateLocked(global, options, project),
  );
}

async function generateLocked(
  global: RunContext,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult<GenerateResult>> {
  const ctx = await loadModuleContext(project, options.module);
  const p = plan(ctx, options);
  const say = global.progress;
  for (const line of analysis(ctx, p.iteration, p.previousIteration)) say(line);
  say("✓ Analyzed changes");
  const warnings = [...ctx.warnings, ...p.warnings];
  global.warnNow(warnings);
  let written: string[] = [];
  if (p.status === "unchanged") {
    say(`Nothing changed since iteration ${p.previousIteration}: nothing written.`);
  } else {
    say("Planned changes:");
    for (const op of p.operations) say(`  ${describeOperation(op)}`);
    for (const w of p.dataWarnings) say(`  ⚠ ${w}`);
  }
  const apply = options.apply !== false;
  const pendingAfter = p.status === "changes" || ctx.files.iterations.length > 0;
  if (!apply || !pendingAfter) {
    if (p.status === "changes") written = await writeIteration(ctx.layout, p);
    for (const f of written) say(`✓ Wrote ${f}`);
    return { result: { ...iterationResult(p), written, applied: [] }, diagnostics: warnings };
  }
  return withModuleDatabase(ctx, options, global, `Applying iteration ${p.iteration} of ${p.module}`, async (db) => {
    say(`Applying to ${db.description}…`);
    // Earlier iterations generated with --no-apply first; their checks (checksums, order) refuse
    // before this iteration is applied or written.
    const report = await applyPending(db, ctx, (m) => say(`✓ ${m}`));
    const applied = [...report.applied];
    if (p.status === "changes") {
      // Apply, then publish: a migration the database refuses leaves no files behind.
      await applyNewIteration(db, ctx, p, (m) => say(`✓ ${m}`));
      written = await publishOrUndo(db, ctx, p);
      for (const f of written) say(`✓ Wrote ${f}`);
      applied.push(p.iteration);
    }
    const current = p.status === "changes" ? p.iteration : report.current;
    if (applied.length === 0) say(`✓ ${db.description} is at iteration ${current}: nothing to apply`);
    return {
      result: { ...iterationResult(p), written, applied, current, database: db.description },
      diagnostics: warnings,
    };
  });
}

/** What `generate` reports of its plan, whatever it then wrote and applied. */
function iterationResult(p: IterationPlan) {
  return { module: p.module, iteration: p.iteration, status: p.status, operations: p.operations.length };
}

/** The planned iteration's migration, applied from memory before any of its files exist. */
async function applyNewIteration(db: Database, ctx: ModuleContext, p: IterationPlan, say: (m: string) => void) {
  const migration = p.migration as OutputFile;
  const started = performance.now();
  try {
    const script = {
      module: p.module,
      phase: p.phase,
      iteration: p.iteration,
      file: migration.path,
      sql: migration.content,
    };
    const previous = ctx.files.iterations.at(-1)?.state.schema;
    const targets = forwardBackupTargets(previous, p.schema);
    await applyMigration(db.knex, script, {
      recordFailure: false,
      backups: { targets, stamp: versionOf(generationTime()) },
      onBackups: (saved) => say(`saved ${describeBackups(saved)} in schema dbgen (dbgen restore puts them back)`),
    });
  } catch (error) {
    if (!(error instanceof DbgenError) || error.code !== "MIGRATION_FAILED") throw error;
    const fix = `nothing was written and ${db.description} is as before: change the module file (or the rows that stop it) and run dbgen generate again`;
    throw new DbgenError(error.diagnostics.map((d) => ({ ...d, file: ctx.module.file, fix })));
  }
  say(`applied iteration ${p.iteration} in ${Math.round(performance.now() - started)} ms`);
}

/** Publishes the iteration's files; if that fails, the database is rolled back to where it was. */
async function publishOrUndo(db: Database, ctx: ModuleContext, p: IterationPlan): Promise<string[]> {
  try {
    return await publish(ctx.layout, iterationFiles(p));
  } catch (error) {
    const rollback = p.rollback as OutputFile;
    const script = {
      module: p.module,
      phase: p.phase,
      iteration: p.iteration,
      file: rollback.path,
      sql: rollback.content,
    };
    await revertMigration(db.knex, script, [], versionOf(generationTime()));
    throw error;
  }
}

/** The next iteration's plan: its operations with their hazards, and its SQL. Nothing written. */
export interface PreviewResult {
  readonly module: string;
  readonly iteration: number;
  readonly previousIteration: number;
  readonly status: IterationPlan["status"];
  readonly operations: readonly {
    readonly operation: string;
    readonly hazards: readonly string[];
    readonly reason?: string;
  }[];
  readonly up: string | null;
  readonly down: string | null;
  /** Where generate would write them. */
  readonly upFile: string | null;
  readonly downFile: string | null;
}

/** The module's analysis is shown as it happens, as generate shows it; the plan is the result. */
export async function previewCommand(
  global: RunContext,
  options: PrototypeOptions,
): Promise<CommandResult<PreviewResult>> {
  const ctx = await loadModuleContext(await openProject(global), options.module);
  const p = plan(ctx, { ...options, allowDestructive: true });
  for (const line of analysis(ctx, p.iteration, p.previousIteration)) global.progress(line);
  return {
    result: {
      module: p.module,
      iteration: p.iteration,
      previousIteration: p.previousIteration,
      status: p.status,
      operations: p.hazards.map((h) => ({
        operation: describeOperation(h.operation),
        hazards: h.hazards,
        ...(h.reason !== undefined ? { reason: h.reason } : {}),
      })),
      up: p.migration?.content ?? null,
      down: p.rollback?.content ?? null,
      upFile: p.migration?.path ?? null,
      downFile: p.rollback?.path ?? null,
    },
    diagnostics: [...ctx.warnings, ...p.warnings],
  };
}

export type ApplyResult = ApplyReport & { readonly module: string; readonly database: string };

export function applyCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<ApplyResult>> {
  return writing(global, "apply", (project) => applyLocked(global, options, project));
}

async function applyLocked(
  global: RunContext,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult<ApplyResult>> {
  const ctx = await loadModuleContext(project, options.module);
  return withModuleDatabase(ctx, options, global, `Applying ${ctx.module.config.module}`, async (db) => {
    const report = await applyPending(db, ctx, (m) => global.progress(`✓ ${m}`), { restore: options.restore === true });
    if (report.applied.length === 0)
      global.progress(`${db.description} is at iteration ${report.current}: nothing to apply`);
    // Each applied iteration's rows went back right after it; now whatever else the database can hold.
    const restored = options.restore
      ? latestPerBackup([
          ...(report.restored ?? []),
          ...(await restoreBackups(db.knex, ctx.module.config.module, { at: report.current })),
        ])
      : undefined;
    return {
      result: {
        module: ctx.module.config.module,
        ...report,
        database: db.description,
        ...(restored ? { restored } : {}),
      },
      diagnostics: ctx.warnings,
    };
  });
}

export type RollbackResult = RollbackReport & { readonly module: string; readonly database: string };

export function rollbackCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<RollbackResult>> {
  return writing(global, "rollback", (project) => rollbackLocked(global, options, project));
}

async function rollbackLocked(
  global: RunContext,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult<RollbackResult>> {
  const ctx = await loadModuleContext(project, options.module);
  return withModuleDatabase(ctx, options, global, `Rolling back ${ctx.module.config.module}`, async (db) => {
    const report = await rollbackTo(db, ctx, options.to, versionOf(generationTime()), (m) => global.progress(`✓ ${m}`));
    return {
      result: { module: ctx.module.config.module, ...report, database: db.description },
      diagnostics: ctx.warnings,
    };
  });
}

/** One line per backup: a backup tried after its iteration and again at the end is told once, as it ended. */
function latestPerBackup(steps: readonly RestoreStep[]): RestoreStep[] {
  return [...new Map(steps.map((s) => [s.backupTable, s])).values()];
}

/**
 * `dbgen restore --module M`: puts back the rows a rollback or a destructive step saved, once the
 * tables and columns exist again (after `dbgen apply`).
 */
export interface RestoreResult {
  readonly module: string;
  readonly restored: readonly RestoreStep[];
  readonly database: string;
}

export function restoreCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<RestoreResult>> {
  return writing(global, "restore", async (project) => {
    const ctx = await loadModuleContext(project, options.module);
    return withModuleDatabase(
      ctx,
      options,
      global,
      `Restoring saved rows of ${ctx.module.config.module}`,
      async (db) => {
        const at = currentIteration(await readHistory(db.knex), ctx.module.config.module);
        const restored = await restoreBackups(db.knex, ctx.module.config.module, { at });
        return {
          result: { module: ctx.module.config.module, restored, database: db.description },
          diagnostics: ctx.warnings,
        };
      },
    );
  });
}

/** Production's, every module's (several modules, no --module), or one module's status. */
export type StatusResult =
  | ProductionStatusResult
  | { readonly modules: readonly ModuleStatusResult[] }
  | ModuleStatusResult;

/** Under the project lock too: two processes must never open one embedded database at once. */
export function statusCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<StatusResult>> {
  if (options.stage === "production") return productionStatus(global);
  return writing(global, "status", (project) => statusLocked(global, options, project));
}

export interface ProductionStatusResult {
  readonly migrations: readonly string[];
  /** Where they are. */
  readonly folder: string;
  /** Expanded renames and type changes waiting for `dbgen harden --complete`. */
  readonly pending: readonly PendingChange[];
}

/** Production's state: the migrations written, and the expanded renames waiting for their contract. */
async function productionStatus(global: RunContext): Promise<CommandResult<ProductionStatusResult>> {
  const { layout } = await openProject(global);
  const state = await readProductionState(layout);
  if (!state)
    throw userError("INVALID_CONFIG", `No production state at ${layout.productionState}`, "run dbgen harden first");
  const migrations = await readProductionMigrationNames(layout);
  const pending = pendingChanges(state.meta);
  return {
    result: { migrations, folder: layout.productionMigrations, pending },
    diagnostics: [],
  };
}

/** One module's status, typed: what `dbgen status --module` prints and the panel shows. */
export type ModuleStatusResult = Awaited<ReturnType<typeof moduleStatusOf>>["result"];

export function moduleStatusCommand(
  global: RunContext,
  options: PrototypeOptions & { readonly module: string },
): Promise<CommandResult<ModuleStatusResult>> {
  return writing(global, "status", async (project) => moduleStatusResult(global, options, project));
}

async function moduleStatusResult(
  global: RunContext,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult<ModuleStatusResult>> {
  const status = await moduleStatusOf(await loadModuleContext(project, options.module), options, global);
  return {
    result: status.result,
    diagnostics: status.warnings,
    ...(options.exitCode && status.findings.length > 0 ? { exitCode: 3 } : {}),
  };
}

async function statusLocked(
  global: RunContext,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult<StatusResult>> {
  if (options.module === undefined) {
    const all = await loadModuleContexts(project);
    if (all.length > 1) return statusOfAll(global, options, all);
  }
  return moduleStatusResult(global, options, project);
}

/** Several modules, no `--module`: one summary line each, then what is left to do in each. */
async function statusOfAll(
  global: RunContext,
  options: PrototypeOptions,
  all: readonly ModuleContext[],
): Promise<CommandResult<{ readonly modules: readonly ModuleStatusResult[] }>> {
  const statuses = [];
  for (const ctx of all) statuses.push(await moduleStatusOf(ctx, options, global));
  const findings = statuses.flatMap((s) => s.findings);
  return {
    result: { modules: statuses.map((s) => s.result) },
    diagnostics: statuses.flatMap((s) => s.warnings),
    ...(options.exitCode && findings.length > 0 ? { exitCode: 3 } : {}),
  };
}

/** One module's status: its iterations, its database (the embedded one when it exists, or --db), drift and what is left to do. */
async function moduleStatusOf(ctx: ModuleContext, options: PrototypeOptions, global: RunContext) {
  const target = targetFor(ctx, options);
  const embeddedMissing = target.kind === "pglite" && !embeddedDatabaseExists(target.dataDir ?? "");
  const db = embeddedMissing ? undefined : await openTarget(target, global);
  try {
    const report = await moduleStatus(ctx, db);
    const findings = statusFindings(ctx, report);
    const { history: _history, ...result } = report;
    return {
      result: { ...result, database: db?.description ?? null, findings },
      findings,
      warnings: ctx.warnings,
    };
  } finally {
    await db?.close();
  }
}

export interface StatusFinding {
  readonly kind: "not-generated" | "pending" | "drift";
  readonly message: string;
}

/** What is left to do, for CI (`status --exit-code`): a module change not generated, pending iterations, drift. */
function statusFindings(ctx: ModuleContext, report: StatusReport): StatusFinding[] {
  const findings: StatusFinding[] = [];
  const latest = ctx.files.iterations.at(-1)?.iteration ?? 0;
  const next = plan(ctx, { iteration: latest + 1, allowDestructive: true });
  if (next.status === "changes")
    findings.push({
      kind: "not-generated",
      message: `${ctx.module.file} asks for ${next.operations.length} change(s) not generated yet: run dbgen generate --module ${report.module}`,
    });
  if (report.pending?.length)
    findings.push({
      kind: "pending",
      message: `iteration(s) ${report.pending.join(", ")} generated but not applied: run dbgen apply --module ${report.module}`,
    });
  for (const d of report.drift ?? []) findings.push({ kind: "drift", message: `drift: ${d}` });
  return findings;
}

/** The latest iteration's types file (no `path` when no iteration is generated yet). */
export interface TypesResult {
  readonly path?: string;
  readonly written: readonly string[];
}

export function typesCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<TypesResult>> {
  return writing(global, "types", (project) => typesLocked(options, project));
}

async function typesLocked(options: PrototypeOptions, project: Project): Promise<CommandResult<TypesResult>> {
  const ctx = await loadModuleContext(project, options.module);
  const latest = ctx.files.iterations.at(-1);
  if (!latest)
    return {
      result: { written: [] },
      diagnostics: ctx.warnings,
    };
  const path = typesPath(ctx.config, ctx.module.config.module, latest.iteration);
  const content = generatedTypesFile(
    `dbgen for module ${ctx.module.config.module}, iteration ${latest.iteration}`,
    latest.state.schema,
  );
  const written = await publish(ctx.layout, [{ path, content }]);
  return {
    result: { path, written },
    diagnostics: ctx.warnings,
  };
}

/**
 * `dbgen discard --module M [--iteration N]`: removes iterations N..latest (default: the latest)
 * that no database dbgen can see has applied: the embedded one, or the one `--db` names. An applied
 * iteration is refused: roll it back first.
 */
export interface DiscardResult {
  readonly module: string;
  readonly discarded: readonly number[];
  readonly removed: readonly string[];
  /** The module's latest iteration in its files now. */
  readonly latest: number;
}

export function discardCommand(global: RunContext, options: PrototypeOptions): Promise<CommandResult<DiscardResult>> {
  return writing(global, "discard", (project) => discardLocked(options, project));
}

async function discardLocked(options: PrototypeOptions, project: Project): Promise<CommandResult<DiscardResult>> {
  const ctx = await loadModuleContext(project, options.module);
  const name = ctx.module.config.module;
  const latest = ctx.files.iterations.at(-1)?.iteration ?? 0;
  const from = options.iteration ?? latest;
  if (latest === 0 || from < 1 || from > latest) {
    const fix = latest === 0 ? "there is nothing to discard" : `pass --iteration from 1 to ${latest}`;
    throw userError(
      "INVALID_ITERATION",
      `Iteration ${from} of ${name} cannot be discarded. Current state is iteration ${latest}`,
      fix,
    );
  }
  const applied = await appliedHere(ctx, options);
  if (applied.where === "no database")
    throw userError(
      "INVALID_ITERATION",
      `Cannot prove iteration ${from} of ${name} was never applied: the embedded database does not exist and no --db was given, so there is no history to check`,
      `pass --db URL (or DATABASE_URL) of the database ${name} was applied to, so dbgen can check its history; if it was never applied anywhere, remove the files with git (git status shows them)`,
    );
  const blocking = applied.iterations.filter((i) => i >= from);
  if (blocking.length > 0) {
    throw userError(
      "INVALID_ITERATION",
      `Iteration(s) ${blocking.join(", ")} of ${name} are applied in ${applied.where}; only iterations never applied can be discarded`,
      `roll back first: dbgen rollback --module ${name} --to ${from - 1}`,
    );
  }
  const discarded = ctx.files.iterations.filter((i) => i.iteration >= from);
  const paths = discarded.flatMap((i) => [
    `${migrationsDir(ctx.config, name)}/${i.migrationFile}`,
    rollbackPath(ctx.config, name, i.iteration),
    statePath(ctx.config, name, i.iteration),
    typesPath(ctx.config, name, i.iteration),
  ]);
  const removed = await publish(ctx.layout, [], { remove: paths });
  return {
    result: { module: name, discarded: discarded.map((i) => i.iteration), removed, latest: from - 1 },
    diagnostics: ctx.warnings,
  };
}

/** The iterations of the module the visible database has applied (none when the embedded one does not exist yet). */
async function appliedHere(
  ctx: ModuleContext,
  options: PrototypeOptions,
): Promise<{ iterations: number[]; where: string }> {
  const target = targetFor(ctx, options);
  if (target.kind === "pglite" && !(await exists(target.dataDir ?? "")))
    return { iterations: [], where: "no database" };
  const db = await openTarget(target);
  try {
    const history = await readHistory(db.knex);
    return { iterations: [...appliedIterations(history, ctx.module.config.module).keys()], where: db.description };
  } finally {
    await db.close();
  }
}
