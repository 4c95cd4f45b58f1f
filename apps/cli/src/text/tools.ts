/** What works on a schema, in words: export, seed, rebase, test. */
import type { ExportResult } from "@dbgen/pipeline/commands/export";
import type { RebaseResult } from "@dbgen/pipeline/commands/rebase";
import type { SeedResult } from "@dbgen/pipeline/commands/seed";
import type { TestResult } from "@dbgen/pipeline/commands/test";
import { writtenLines } from "./written.js";

export function exportText(r: ExportResult): string[] {
  return [`${r.orm}: ${r.tables} tables of ${r.source}`, ...writtenLines(r.files, r.changed)];
}

export function seedText(r: SeedResult): string[] {
  const counts = Object.entries(r.counts);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  return [
    `seed: ${total} rows in ${counts.length} tables (${counts.map(([t, n]) => `${t} ${n}`).join(", ")})`,
    ...writtenLines([r.file], r.changed),
    ...(r.loaded ? [`loaded into ${r.loaded}`] : []),
    ...(r.unreadChecks?.length
      ? [
          `note: the seed reads checks made of bounds and orders only; rows may break ${r.unreadChecks.join(", ")} (a load then stops)`,
        ]
      : []),
  ];
}

export function rebaseText(r: RebaseResult): string[] {
  if (!r.rebased) return [`${r.module}: no merge to rebase (no merge in progress, and HEAD is not a merge commit)`];
  const merged = r.renumbered.length
    ? `merged-in ${r.renumbered.map((n) => `${n.from} → ${n.to}`).join(", ")}`
    : "nothing merged in to renumber";
  return [
    `${r.module}: kept iterations ${r.kept.join(", ") || "none"}; ${merged}`,
    ...r.changed.filter((f) => !r.removed.includes(f)).map((f) => `wrote ${f}`),
    ...r.removed.map((f) => `removed ${f}`),
    ...(r.changed.length === 0 && r.removed.length === 0 ? ["already linear: nothing written"] : []),
    ...(r.left
      ? [
          `the module file asks for ${r.left} more change(s): dbgen generate --module ${r.module} makes iteration ${r.last + 1}`,
        ]
      : []),
    `next: dbgen apply --module ${r.module}`,
  ];
}

export function testText(r: TestResult): string[] {
  return [
    `access tests: ${r.checks} checks, ${r.tables.length} tables × ${r.actors.length} actors`,
    ...writtenLines([r.file], r.changed),
    ...(r.ran ? [`passed ${r.ran.passed} of ${r.ran.planned} on ${r.ran.database}`] : []),
  ];
}
