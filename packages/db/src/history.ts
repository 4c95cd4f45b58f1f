/**
 * Migration history and the runner: every migration in one transaction under an advisory lock,
 * recorded in `dbgen.migration_history`; checksums, iteration order and module ownership checked
 * inside that transaction, so two runs can never interleave.
 */
import { createHash } from "node:crypto";
import { type ErrorCode, quoteLiteral, userError } from "@dbgen/schema-core";
import type { Knex } from "knex";
import { execRaw, execScript, withSession } from "./apply.js";
import { BACKUPS_DDL, type Backup, type BackupTarget, saveBackups } from "./backups.js";
import { concurrentIndexName, isConcurrentStatement, runsOutsideTransaction, splitStatements } from "./statements.js";

export const DBGEN_SCHEMA = "dbgen";
const HISTORY = `${DBGEN_SCHEMA}.migration_history`;
/** One key for every dbgen run on a database: `hashtext('dbgen')` would vary by version; a constant does not. */
const LOCK_KEY = 4_242_001;

export interface MigrationScript {
  readonly module: string;
  readonly phase: number;
  readonly iteration: number;
  /** Path relative to the project root. */
  readonly file: string;
  readonly sql: string;
}

export interface HistoryRow {
  readonly id: number;
  readonly module: string;
  readonly phase: number;
  readonly iteration: number;
  readonly file: string;
  readonly checksum: string;
  readonly direction: "up" | "down";
  readonly applied_at: Date;
  readonly execution_ms: number;
  readonly success: boolean;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Creates the `dbgen` schema and its history table when missing (idempotent, concurrent-safe). */
export async function ensureHistory(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await execRaw(trx, `SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await execScript(
      trx,
      `CREATE SCHEMA IF NOT EXISTS ${DBGEN_SCHEMA};
CREATE TABLE IF NOT EXISTS ${HISTORY} (
  id bigserial PRIMARY KEY,
  module text NOT NULL,
  phase integer NOT NULL,
  iteration integer NOT NULL,
  file text NOT NULL,
  checksum text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down')),
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL,
  success boolean NOT NULL
);
${BACKUPS_DDL}`,
    );
  });
}

export async function readHistory(knex: Knex | Knex.Transaction): Promise<HistoryRow[]> {
  const exists = await knex.raw<{ rows: { present: boolean }[] }>("select to_regclass(?) is not null as present", [
    HISTORY,
  ]);
  if (!exists.rows[0]?.present) return [];
  const { rows } = await knex.raw<{ rows: HistoryRow[] }>(`select * from ${HISTORY} order by id`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The iterations applied now, per module: the latest successful row of each iteration is an `up`. */
export function appliedIterations(rows: readonly HistoryRow[], module: string): Map<number, HistoryRow> {
  const latest = new Map<number, HistoryRow>();
  for (const row of rows) if (row.module === module && row.success) latest.set(row.iteration, row);
  for (const [iteration, row] of latest) if (row.direction !== "up") latest.delete(iteration);
  return latest;
}

/** The highest applied iteration of `module`, 0 when none. */
export function currentIteration(rows: readonly HistoryRow[], module: string): number {
  return Math.max(0, ...appliedIterations(rows, module).keys());
}

/** The modules that have applied iterations in this database. */
export function modulesIn(rows: readonly HistoryRow[]): string[] {
  return [...new Set(rows.map((r) => r.module))].filter((m) => appliedIterations(rows, m).size > 0).sort();
}

function fail(code: ErrorCode, message: string, fix: string, file?: string): never {
  throw userError(code, message, fix, { file });
}

/** Refuses a database that holds another module: one module per prototype database. */
function checkOwnership(rows: readonly HistoryRow[], module: string): void {
  const others = modulesIn(rows).filter((m) => m !== module);
  if (others.length > 0) {
    fail(
      "INVALID_CONFIG",
      `This database holds module ${others.join(", ")}; applying module ${module} to it is refused`,
      `give ${module} its own database (--db), one module per prototype database`,
    );
  }
}

/** Refuses when an applied migration's file was edited since. */
export function checkChecksums(rows: readonly HistoryRow[], scripts: readonly MigrationScript[]): void {
  for (const script of scripts) {
    const applied = appliedIterations(rows, script.module).get(script.iteration);
    if (applied && applied.checksum !== sha256(script.sql)) {
      fail(
        "CHECKSUM_MISMATCH",
        `Iteration ${script.iteration} of ${script.module} was applied, and its file has been edited since (checksum ${applied.checksum.slice(0, 12)}… applied, ${sha256(script.sql).slice(0, 12)}… now)`,
        "restore the file from version control; change the schema through the module file and a new iteration instead",
        script.file,
      );
    }
  }
}

function failureReason(error: unknown, sql: string): string {
  const e = error as { message?: string; position?: string | number; hint?: string };
  const position = Number(e.position);
  const line = Number.isFinite(position) && position > 0 ? sql.slice(0, position).split("\n").length : undefined;
  // The database's hint is often the fix (a guard's RAISE … USING HINT names the backfill to give).
  const hint = typeof e.hint === "string" && e.hint !== "" ? ` (hint: ${e.hint})` : "";
  return `${e.message ?? String(error)}${line !== undefined ? ` (line ${line}: ${sql.split("\n")[line - 1]?.trim() ?? ""})` : ""}${hint}`;
}

async function record(
  knex: Knex | Knex.Transaction,
  script: MigrationScript,
  direction: "up" | "down",
  ms: number,
  success: boolean,
): Promise<void> {
  await knex.raw(
    `insert into ${HISTORY} (module, phase, iteration, file, checksum, direction, execution_ms, success) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      script.module,
      script.phase,
      script.iteration,
      script.file,
      sha256(script.sql),
      direction,
      Math.round(ms),
      success,
    ],
  );
}

export type ApplyOutcome = "applied" | "already-applied";

export interface ApplyOptions {
  /** Record a failure in the history (status shows it); false for a migration that exists only in memory. */
  readonly recordFailure?: boolean;
  /** What the migration drops or narrows: saved in schema `dbgen` first, in the same transaction. */
  readonly backups?: { readonly targets: readonly BackupTarget[]; readonly stamp: string };
  /** Told the backups saved, once the migration has committed. */
  readonly onBackups?: (backups: readonly Backup[]) => void;
}

/**
 * Applies one migration: in one transaction, under the advisory lock, after checking (inside the
 * lock) that the database is at `iteration - 1` of this module and holds no other module; rows it
 * would drop are saved first. A failure rolls everything back and throws MIGRATION_FAILED.
 */
export async function applyMigration(
  knex: Knex,
  script: MigrationScript,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  await ensureHistory(knex);
  if (runsOutsideTransaction(script.sql)) return applyOutsideTransaction(knex, script);
  let failure: unknown;
  let started = 0;
  let saved: Backup[] = [];
  const outcome = await knex
    .transaction(async (trx): Promise<ApplyOutcome> => {
      await execRaw(trx, `SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
      const rows = await readHistory(trx);
      checkOwnership(rows, script.module);
      checkChecksums(rows, [script]);
      const current = currentIteration(rows, script.module);
      if (appliedIterations(rows, script.module).has(script.iteration)) return "already-applied";
      if (script.iteration !== current + 1) {
        fail(
          "INVALID_ITERATION",
          `Iteration ${script.iteration} cannot be applied. Current state is iteration ${current}`,
          `apply iteration ${current + 1} first (dbgen apply --module ${script.module})`,
          script.file,
        );
      }
      saved = options.backups
        ? await saveBackups(trx, { ...script, direction: "up" }, options.backups.targets, options.backups.stamp)
        : [];
      started = performance.now();
      try {
        await execScript(trx, script.sql);
      } catch (error) {
        failure = error;
        throw error;
      }
      await record(trx, script, "up", performance.now() - started, true);
      return "applied";
    })
    .catch(async (error: unknown) => {
      if (failure === undefined) throw error;
      if (options.recordFailure !== false)
        await record(knex, script, "up", performance.now() - started, false).catch(() => {});
      return fail(
        "MIGRATION_FAILED",
        `Migration failed and was rolled back: ${failureReason(failure, script.sql)}`,
        `fix the cause; the file stays pending (dbgen status); each iteration's rollback script is in the project's rollbacks folder`,
        script.file,
      );
    });
  if (saved.length > 0) options.onBackups?.(saved);
  return outcome;
}

/** Drops what a failed (or killed) concurrent build left behind: an invalid index of that name. */
async function dropInvalidIndex(query: <R>(sql: string) => Promise<R[]>, statement: string): Promise<boolean> {
  const index = concurrentIndexName(statement);
  if (!index || !/^\s*CREATE/i.test(statement)) return false;
  const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const rows = await query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where not i.indisvalid and c.relname = ${literal(index.name)}${index.schema ? ` and n.nspname = ${literal(index.schema)}` : ""}`,
  );
  for (const row of rows) await query(`DROP INDEX CONCURRENTLY IF EXISTS ${row.name}`);
  return rows.length > 0;
}

/**
 * Applies a migration that cannot run in a transaction (an index built or dropped CONCURRENTLY, alone
 * in its file with its SETs): statement by statement on one session, under the session's advisory
 * lock. A build that fails leaves an invalid index: it is dropped, so nothing is half-applied and a
 * rerun starts clean.
 */
async function applyOutsideTransaction(knex: Knex, script: MigrationScript): Promise<ApplyOutcome> {
  return withSession(knex, async (query, embedded) => {
    // NOTE: everything on this one session: PGlite's pool has one connection, and it is this one.
    const record = (ms: number, success: boolean) =>
      query(
        `insert into ${HISTORY} (module, phase, iteration, file, checksum, direction, execution_ms, success) values (${[
          quoteLiteral(script.module),
          script.phase,
          script.iteration,
          quoteLiteral(script.file),
          quoteLiteral(sha256(script.sql)),
          "'up'",
          Math.round(ms),
          success,
        ].join(", ")})`,
      );
    await query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      const rows = (await query<HistoryRow>(`select * from ${HISTORY} order by id`)).map((r) => ({
        ...r,
        id: Number(r.id),
      }));
      checkChecksums(rows, [script]);
      if (appliedIterations(rows, script.module).has(script.iteration)) return "already-applied";
      const current = currentIteration(rows, script.module);
      if (script.iteration !== current + 1)
        fail(
          "INVALID_ITERATION",
          `Iteration ${script.iteration} cannot be applied. Current state is iteration ${current}`,
          `apply iteration ${current + 1} first`,
          script.file,
        );
      const started = performance.now();
      const statements = splitStatements(script.sql);
      for (const statement of statements.filter(isConcurrentStatement)) await dropInvalidIndex(query, statement);
      for (const statement of statements) {
        try {
          // NOTE: PGlite is a single session: nothing waits on its locks, and it fails a concurrent
          // build ("tuple concurrently updated"), so there the index is built plainly.
          await query(embedded ? statement.replace(/\bCONCURRENTLY\s+/i, "") : statement);
        } catch (error) {
          const dropped = isConcurrentStatement(statement) ? await dropInvalidIndex(query, statement) : false;
          await record(performance.now() - started, false).catch(() => {});
          fail(
            "MIGRATION_FAILED",
            `Migration failed (it runs outside a transaction): ${(error as Error).message}${(error as { detail?: string }).detail ? ` (${(error as { detail?: string }).detail})` : ""}${dropped ? "; the invalid index it left was dropped" : ""}`,
            "fix the cause (for a unique index: the duplicate rows; for a lock timeout: the session holding the table), then apply again: the file starts over",
            script.file,
          );
        }
      }
      await record(performance.now() - started, true);
      return "applied";
    } finally {
      await query(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => {});
    }
  });
}

/**
 * Reverts iteration `script.iteration` (the rollback script), which must be the current one: in one
 * transaction under the lock, saving first every row the script is about to drop.
 */
export async function revertMigration(
  knex: Knex,
  script: MigrationScript,
  targets: readonly BackupTarget[],
  stamp: string,
): Promise<Backup[]> {
  await ensureHistory(knex);
  return knex.transaction(async (trx) => {
    await execRaw(trx, `SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    const rows = await readHistory(trx);
    checkOwnership(rows, script.module);
    const current = currentIteration(rows, script.module);
    if (current !== script.iteration) {
      fail(
        "INVALID_ITERATION",
        `Iteration ${script.iteration} cannot be rolled back. Current state is iteration ${current}`,
        "roll back from the current iteration down",
        script.file,
      );
    }
    const backups = await saveBackups(trx, { ...script, direction: "down" }, targets, stamp);
    const started = performance.now();
    try {
      await execScript(trx, script.sql);
    } catch (error) {
      fail(
        "MIGRATION_FAILED",
        `Rollback failed and was undone: ${failureReason(error, script.sql)}`,
        "fix the cause and run the rollback again",
        script.file,
      );
    }
    await record(trx, script, "down", performance.now() - started, true);
    return backups;
  });
}
