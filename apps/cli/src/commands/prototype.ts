/**
 * The prototype commands: generate, preview, apply, rollback, status, types.
 */
import { access } from "node:fs/promises";
import { type Project, publish } from "@dbgen/project";
import {
  applyPending,
  generationTime,
  loadModuleContext,
  type ModuleContext,
  moduleStatus,
  planIteration,
  rollbackTo,
  typesPath,
  versionOf,
  writeIteration,
} from "@dbgen/prototype-generator";
import { describeOperation, renderTypescript } from "@dbgen/schema-core";
import { confirmTarget, type DatabaseOptions, openTarget, targetFor } from "../database.js";
import type { CommandResult, GlobalOptions } from "../output.js";
import { openProject, writing } from "../project.js";

export interface PrototypeOptions extends DatabaseOptions {
  readonly module?: string;
  readonly iteration?: number;
  readonly apply?: boolean;
  readonly allowDestructive?: boolean;
  readonly to?: number;
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

export function generateCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  return writing(global, `generate${options.module ? ` --module ${options.module}` : ""}`, (project) =>
    generateLocked(global, options, project),
  );
}

async function generateLocked(
  global: GlobalOptions,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult> {
  const ctx = await loadModuleContext(project, options.module);
  const p = plan(ctx, options);
  const say = global.progress;
  for (const line of analysis(ctx, p.iteration, p.previousIteration)) say(line);
  say("✓ Analyzed changes");
  const warnings = [...ctx.warnings, ...p.warnings];
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
    return {
      result: {
        module: p.module,
        iteration: p.iteration,
        status: p.status,
        operations: p.operations.length,
        written,
        applied: [],
      },
      diagnostics: warnings,
    };
  }
  const target = targetFor(ctx, options);
  await confirmTarget(target, options, `Applying iteration ${p.iteration} of ${p.module}`);
  const db = await openTarget(target);
  try {
    if (p.status === "changes") {
      written = await writeIteration(ctx.layout, p);
      for (const f of written) say(`✓ Wrote ${f}`);
    }
    const fresh = await loadModuleContext(project, ctx.module.config.module);
    say(`Applying to ${db.description}…`);
    const report = await applyPending(db, fresh, (m) => say(`✓ ${m}`));
    if (report.applied.length === 0) say(`✓ ${db.description} is at iteration ${report.current}: nothing to apply`);
    return {
      result: {
        module: p.module,
        iteration: p.iteration,
        status: p.status,
        operations: p.operations.length,
        written,
        applied: report.applied,
        current: report.current,
        database: db.description,
      },
      diagnostics: warnings,
    };
  } finally {
    await db.close();
  }
}

export async function previewCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  const ctx = await loadModuleContext(await openProject(global), options.module);
  const p = plan(ctx, { ...options, allowDestructive: true });
  const lines = [...analysis(ctx, p.iteration, p.previousIteration)];
  if (p.status === "unchanged") lines.push(`Nothing changed since iteration ${p.previousIteration}.`);
  else {
    lines.push("Planned changes:");
    for (const h of p.hazards)
      lines.push(
        `  ${describeOperation(h.operation)}${h.hazards.length ? `  ⚠ ${h.hazards.join(", ")}: ${h.reason ?? ""}` : ""}`,
      );
    lines.push(
      "",
      `-- ${p.migration?.path ?? ""}`,
      p.migration?.content ?? "",
      `-- ${p.rollback?.path ?? ""}`,
      p.rollback?.content ?? "",
    );
  }
  return {
    result: {
      module: p.module,
      iteration: p.iteration,
      status: p.status,
      operations: p.hazards.map((h) => ({ operation: describeOperation(h.operation), hazards: h.hazards })),
      up: p.migration?.content ?? null,
      down: p.rollback?.content ?? null,
    },
    diagnostics: [...ctx.warnings, ...p.warnings],
    lines,
  };
}

export function applyCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  return writing(global, "apply", (project) => applyLocked(global, options, project));
}

async function applyLocked(global: GlobalOptions, options: PrototypeOptions, project: Project): Promise<CommandResult> {
  const ctx = await loadModuleContext(project, options.module);
  const target = targetFor(ctx, options);
  await confirmTarget(target, options, `Applying ${ctx.module.config.module}`);
  const db = await openTarget(target);
  try {
    const report = await applyPending(db, ctx, (m) => global.progress(`✓ ${m}`));
    if (report.applied.length === 0)
      global.progress(`${db.description} is at iteration ${report.current}: nothing to apply`);
    return {
      result: { module: ctx.module.config.module, ...report, database: db.description },
      diagnostics: ctx.warnings,
    };
  } finally {
    await db.close();
  }
}

export function rollbackCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  return writing(global, "rollback", (project) => rollbackLocked(global, options, project));
}

async function rollbackLocked(
  global: GlobalOptions,
  options: PrototypeOptions,
  project: Project,
): Promise<CommandResult> {
  const ctx = await loadModuleContext(project, options.module);
  const target = targetFor(ctx, options);
  await confirmTarget(target, options, `Rolling back ${ctx.module.config.module}`);
  const db = await openTarget(target);
  try {
    const report = await rollbackTo(db, ctx, options.to, versionOf(generationTime()), (m) => global.progress(`✓ ${m}`));
    const lines = [`${db.description} is now at iteration ${report.current}.`];
    if (report.backups.length > 0) {
      lines.push(
        "Rows of dropped tables and columns were saved. To put them back after re-applying (dbgen apply), run:",
      );
      for (const b of report.backups) lines.push(`  ${b.restoreSql}`);
    }
    return {
      result: { module: ctx.module.config.module, ...report, database: db.description },
      diagnostics: ctx.warnings,
      lines,
    };
  } finally {
    await db.close();
  }
}

/** Under the project lock too: two processes must never open one embedded database at once. */
export function statusCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  return writing(global, "status", (project) => statusLocked(options, project));
}

async function statusLocked(options: PrototypeOptions, project: Project): Promise<CommandResult> {
  const ctx = await loadModuleContext(project, options.module);
  const target = targetFor(ctx, options);
  const embeddedMissing =
    target.kind === "pglite" &&
    !(await access(target.dataDir ?? "").then(
      () => true,
      () => false,
    ));
  const db = embeddedMissing ? undefined : await openTarget(target);
  try {
    const report = await moduleStatus(ctx, db);
    const lines = [`Module ${report.module}: generated iterations ${report.generated.join(", ") || "none"}`];
    if (!db) lines.push("No database yet (the embedded one is created by dbgen generate or apply; or pass --db).");
    else {
      lines.push(
        `${db.description}: applied ${report.applied?.join(", ") || "none"}; pending ${report.pending?.join(", ") || "none"}`,
      );
      if (report.drift?.length) {
        lines.push(`Drift: the database differs from the state of its iteration in ${report.drift.length} way(s):`);
        for (const d of report.drift) lines.push(`  - ${d}`);
      } else lines.push("No drift: the database matches the state of its iteration.");
    }
    const { history: _history, ...result } = report;
    return { result: { ...result, database: db?.description ?? null }, diagnostics: ctx.warnings, lines };
  } finally {
    await db?.close();
  }
}

export function typesCommand(global: GlobalOptions, options: PrototypeOptions): Promise<CommandResult> {
  return writing(global, "types", (project) => typesLocked(options, project));
}

async function typesLocked(options: PrototypeOptions, project: Project): Promise<CommandResult> {
  const ctx = await loadModuleContext(project, options.module);
  const latest = ctx.files.iterations.at(-1);
  if (!latest)
    return {
      result: { written: [] },
      diagnostics: ctx.warnings,
      lines: ["No iteration generated yet: run dbgen generate first."],
    };
  const path = typesPath(ctx.config, ctx.module.config.module, latest.iteration);
  const content = `// Generated by dbgen for module ${ctx.module.config.module}, iteration ${latest.iteration}. Do not edit.\n${renderTypescript(latest.state.schema)}`;
  const written = await publish(ctx.layout, [{ path, content }]);
  return {
    result: { path, written },
    diagnostics: ctx.warnings,
    lines: [`${written.length ? "wrote" : "unchanged"} ${path}`],
  };
}
