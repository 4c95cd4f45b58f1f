/** A module's prototype commands in words: preview, apply, rollback, restore, status, types, discard. */
import type { RestoreStep } from "@dbgen/db";
import type {
  ApplyResult,
  DiscardResult,
  ModuleStatusResult,
  PreviewResult,
  ProductionStatusResult,
  RestoreResult,
  RollbackResult,
  StatusResult,
  TypesResult,
} from "@dbgen/pipeline/commands/prototype";
import { describeChange } from "@dbgen/production-hardener";
import { sqlComment } from "@dbgen/schema-core";

/** The planned changes with their hazards, then the migration and its rollback (the analysis was shown as it happened). */
export function previewText(r: PreviewResult): string[] {
  if (r.status === "unchanged") return [`Nothing changed since iteration ${r.previousIteration}.`];
  return [
    "Planned changes:",
    ...r.operations.map(
      (o) => `  ${o.operation}${o.hazards.length ? `  ⚠ ${o.hazards.join(", ")}: ${o.reason ?? ""}` : ""}`,
    ),
    "",
    sqlComment([r.upFile ?? ""]),
    r.up ?? "",
    sqlComment([r.downFile ?? ""]),
    r.down ?? "",
  ];
}

/** The restore report in words: what came back, and what waits and why. */
function restoreLines(steps: readonly RestoreStep[]): string[] {
  if (steps.length === 0) return ["Nothing to restore: no saved rows are waiting for this module."];
  return steps.map((s) => {
    const what = `${s.table}${s.columns.length ? ` (${s.columns.join(", ")})` : ""}`;
    const gone = s.skippedColumns.length
      ? `; skipped ${s.skippedColumns.join(", ")}: a later iteration dropped them`
      : "";
    return s.skipped
      ? `kept ${s.backupTable} → ${s.table}: ${s.skipped}`
      : `restored ${s.rows} row(s) of ${what} from ${s.backupTable}${gone}`;
  });
}

/** Each applied iteration was shown as it happened; with --restore, what came back. */
export function applyText(r: ApplyResult): string[] {
  return r.restored ? restoreLines(r.restored) : [];
}

export function restoreText(r: RestoreResult): string[] {
  return restoreLines(r.restored);
}

export function rollbackText(r: RollbackResult): string[] {
  if (r.backups.length === 0) return [`${r.database} is now at iteration ${r.current}.`];
  return [
    `${r.database} is now at iteration ${r.current}.`,
    `Rows of dropped tables and columns were saved in schema dbgen (${r.backups.map((b) => b.backupTable).join(", ")}).`,
    `To put them back after re-applying: dbgen apply --module ${r.module} --restore (or dbgen restore --module ${r.module}).`,
  ];
}

function productionStatusText(r: ProductionStatusResult): string[] {
  return [
    `production: ${r.migrations.length} migration(s) written in ${r.folder}`,
    ...(r.pending.length
      ? [
          "waiting for dbgen harden --complete (the app may use both names until then):",
          ...r.pending.map(
            (p) =>
              `  ${describeChange(p)}: ${p.shadow ? `the new type in ${p.shadow} until then` : "both columns"}, kept equal by a trigger`,
          ),
        ]
      : ["nothing waits to be completed"]),
  ];
}

/** One line a module, then what is left to do in each. */
function modulesStatusText(modules: readonly ModuleStatusResult[]): string[] {
  const lines = [`${modules.length} modules (dbgen status --module NAME tells one in full):`];
  for (const m of modules) {
    const generated = m.generated.at(-1) ?? 0;
    const where = m.database
      ? `${m.database} at iteration ${Math.max(0, ...(m.applied ?? []))}${m.drift?.length ? `, ${m.drift.length} drift(s)` : ""}`
      : "no database yet";
    lines.push(`  ${m.module}: generated up to iteration ${generated}; ${where}`);
    for (const f of m.findings) lines.push(`    ! ${f.message}`);
  }
  return lines;
}

export function moduleStatusText(r: ModuleStatusResult): string[] {
  const lines = [`Module ${r.module}: generated iterations ${r.generated.join(", ") || "none"}`];
  if (r.database === null)
    lines.push("No database yet (the embedded one is created by dbgen generate or apply; or pass --db).");
  else {
    lines.push(`${r.database}: applied ${r.applied?.join(", ") || "none"}; pending ${r.pending?.join(", ") || "none"}`);
    if (r.drift?.length) {
      lines.push(`Drift: the database differs from the state of its iteration in ${r.drift.length} way(s):`);
      for (const d of r.drift) lines.push(`  - ${d}`);
    } else lines.push("No drift: the database matches the state of its iteration.");
  }
  for (const f of r.findings) lines.push(`! ${f.message}`);
  return lines;
}

export function statusText(r: StatusResult): string[] {
  if ("folder" in r) return productionStatusText(r);
  if ("modules" in r) return modulesStatusText(r.modules);
  return moduleStatusText(r);
}

export function typesText(r: TypesResult): string[] {
  if (r.path === undefined) return ["No iteration generated yet: run dbgen generate first."];
  return [`${r.written.length ? "wrote" : "unchanged"} ${r.path}`];
}

export function discardText(r: DiscardResult): string[] {
  return [...r.removed.map((f) => `removed ${f}`), `${r.module} is back at iteration ${r.latest} in its files.`];
}
