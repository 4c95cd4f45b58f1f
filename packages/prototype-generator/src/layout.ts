/**
 * Where a module's generated files live (from the project's layout), and how migration versions are chosen.
 */
import { moduleDir, type PrototypeConfig, rollbackFile, stateFile, typesFile } from "@dbgen/project";

export function migrationsDir(config: PrototypeConfig, module: string): string {
  return moduleDir(config.paths, "migrations", module);
}
export function rollbackPath(config: PrototypeConfig, module: string, iteration: number): string {
  return rollbackFile(config.paths, module, iteration);
}
export function statePath(config: PrototypeConfig, module: string, iteration: number): string {
  return stateFile(config.paths, module, iteration);
}
export function typesPath(config: PrototypeConfig, module: string, iteration: number): string {
  return typesFile(config.paths, module, iteration);
}
export function devDatabaseDir(config: PrototypeConfig, module: string): string {
  return moduleDir(config.paths, "dev", module);
}

/** `20250823143000_iter2_create_locations.sql` → its parts. */
export const MIGRATION_FILE = /^(\d{14})_iter(\d+)_([a-z0-9_]+)\.sql$/;

/** The Supabase CLI's 14-digit version of a time, in UTC. */
export function versionOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/** A 14-digit version back to its time in ms (0 for anything else). */
export function parseVersion(version: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) return 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * The version of a new migration: the clock (or SOURCE_DATE_EPOCH), and at least one second after
 * the folder's latest, so versions never repeat and always sort in iteration order.
 */
export function nextVersion(nowMs: number, previous: string | undefined): string {
  const floor = previous ? parseVersion(previous) + 1000 : 0;
  return versionOf(Math.max(Math.floor(nowMs / 1000) * 1000, floor));
}

/** The clock the generator uses: SOURCE_DATE_EPOCH (seconds) when set, so builds can be reproduced. */
export function generationTime(env: NodeJS.ProcessEnv = process.env): number {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now();
}
