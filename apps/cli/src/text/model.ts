/** The model's and production's commands in words: validate, all, concept, merge, harden, apply --stage production, migrate. */
import type { AllResult } from "@dbgen/pipeline/commands/all";
import type { ConceptResult } from "@dbgen/pipeline/commands/concept";
import type { ApplyProductionResult, HardenResult } from "@dbgen/pipeline/commands/harden";
import type { MergeResult } from "@dbgen/pipeline/commands/merge";
import type { MigrateResult } from "@dbgen/pipeline/commands/migrate";
import type { ValidateResult } from "@dbgen/pipeline/commands/validate";
import { describeChange, type PendingChange } from "@dbgen/production-hardener";
import { migrationsLine, writtenLines } from "./written.js";

export function validateText(r: ValidateResult): string[] {
  if (r.errors > 0) return [];
  return [
    `valid: ${r.entities} entities (${r.tables} tables), ${r.modules.length} module files, ${r.warnings} warning(s)`,
  ];
}

export function allText(r: AllResult): string[] {
  const { merge, production } = r;
  return [
    `model: ${r.tables} tables, ${r.statements} statements, applied and read back on ${r.provenOn}`,
    `concept: ${r.concept.pages} pages in ${r.concept.folder}/`,
    merge
      ? `merge: ${merge.modules.length} modules into ${merge.tables} tables, ${merge.rules} rule(s) applied`
      : "merge: no module has a prototype state yet",
    production
      ? `harden: ${production.tables} tables, proven on PGlite; ${migrationsLine(production)}`
      : merge
        ? "harden: not yet — production starts with dbgen harden (dbgen all keeps it up to date from then on)"
        : "harden: nothing to harden yet",
    ...writtenLines(r.files, r.changed),
  ];
}

export function conceptText(r: ConceptResult): string[] {
  return [...writtenLines(r.files, r.changed), `concept docs in ${r.ms} ms`];
}

export function mergeText(r: MergeResult): string[] {
  return [
    `merged ${r.modules.length} modules into ${r.tables} tables (${r.rules} rule(s) applied, no conflicts)`,
    ...writtenLines(r.files, r.changed),
  ];
}

/** What waits for `dbgen harden --complete`, or what this contract completes. */
function expandLines(r: HardenResult): string[] {
  const list = (changes: readonly PendingChange[]) => changes.map(describeChange).join(", ");
  return [
    ...(r.completed.length ? [`contract: ${list(r.completed)} — the old columns and their sync triggers go`] : []),
    ...(r.pending.length
      ? [
          `expand: ${list(r.pending)} — the old and new columns both work; once the app uses only the new ones, run dbgen harden --complete`,
        ]
      : []),
  ];
}

export function hardenText(r: HardenResult): string[] {
  return [
    `production: ${r.hardened} tables hardened, proven on PGlite (in memory)`,
    r.migrations.length || r.replanned ? migrationsLine(r) : "no new migration: production is unchanged",
    ...expandLines(r),
    ...(r.complete && r.completed.length === 0 ? ["--complete: no expanded change waited to be completed"] : []),
    ...writtenLines(r.files, r.changed),
  ];
}

export function applyProductionText(r: ApplyProductionResult): string[] {
  return [`${r.database} has ${r.current} of ${r.total} production migrations`];
}

export function migrateText(r: MigrateResult): string[] {
  return [
    ...Object.entries(r.tableOperations).map(([t, op]) => `${op.padEnd(6)} ${t}`),
    r.operationType === "NONE" ? "every table is up to date: nothing written" : `wrote ${r.written.join(", ")}`,
  ];
}
