/**
 * The one clock and version stamp of generated files: the time (or SOURCE_DATE_EPOCH, so builds can
 * be reproduced) as the Supabase CLI's 14-digit migration version, never repeating within a folder.
 */

/** The clock the generators use: SOURCE_DATE_EPOCH (seconds) when set, else now. */
export function generationTime(env: NodeJS.ProcessEnv = process.env): number {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now();
}

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

/** The time of a new migration: the clock to the second, and at least one second after the folder's latest version. */
export function nextVersionTime(nowMs: number, previous: string | undefined): number {
  const floor = previous ? parseVersion(previous) + 1000 : 0;
  return Math.max(Math.floor(nowMs / 1000) * 1000, floor);
}

/** The version of a new migration (see `nextVersionTime`). */
export function nextVersion(nowMs: number, previous: string | undefined): string {
  return versionOf(nextVersionTime(nowMs, previous));
}
