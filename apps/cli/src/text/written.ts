/** Words every writing command shares. */
import type { MigrationsPlanned } from "@dbgen/pipeline";

/** "wrote X" / "unchanged X" per file. */
export function writtenLines(files: readonly string[], changed: readonly string[]): string[] {
  return files.map((f) => `${changed.includes(f) ? "wrote" : "unchanged"} ${f}`);
}

/** What harden planned, in words: new migrations, the first harden re-planned, or none. */
export function migrationsLine(plan: MigrationsPlanned): string {
  const all = plan.migrations;
  const names =
    all.length > 4
      ? `${all.length} files, ${all.slice(0, 2).join(", ")} … ${all.at(-1)} (${plan.outsideTransaction} run outside a transaction: one concurrent index each)`
      : all.join(", ");
  if (plan.replanned)
    return `re-planned migrations ${names} with the changed backfills (same names: a database that applied them already keeps the earlier text)`;
  return all.length ? `new migrations: ${names}` : "no new migration";
}
