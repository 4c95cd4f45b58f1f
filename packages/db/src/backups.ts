/**
 * Row backups: before a migration or a rollback drops a table, a column or narrows a type, the rows
 * it would lose are copied into schema `dbgen` and registered in `dbgen.row_backups`. `restoreBackups`
 * puts them back once the objects exist again — a rollback's rows when their iteration is applied
 * again, a forward step's when it is rolled back — by column name and primary key, tables in
 * dependency order, naming what a later iteration dropped and what still waits.
 */
import { quoteIdent, quoteLiteral } from "@dbgen/schema-core";
import type { Knex } from "knex";
import { execRaw, queryRaw } from "./apply.js";

const BACKUPS_TABLE = "dbgen.row_backups";

export const BACKUPS_DDL = `CREATE TABLE IF NOT EXISTS ${BACKUPS_TABLE} (
  id bigserial PRIMARY KEY,
  module text NOT NULL,
  iteration integer NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down')),
  source_schema text NOT NULL,
  source_table text NOT NULL,
  columns_only boolean NOT NULL,
  columns text NOT NULL,
  key_columns text NOT NULL,
  backup_table text NOT NULL,
  row_count bigint NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  restored_at timestamptz
);`;

/** What a step must save before it drops: a whole table, or some columns (with the key to put them back by). */
export interface BackupTarget {
  readonly schema: string;
  readonly table: string;
  /** Absent: the whole table. */
  readonly columns?: readonly string[];
  readonly key: readonly string[];
}

export interface Backup {
  readonly target: BackupTarget;
  readonly backupTable: string;
  readonly rows: number;
  /** SQL that puts the rows back once the objects exist again (by column name, not position). */
  readonly restoreSql: string;
}

type Db = Knex | Knex.Transaction;

async function rowsOf<T>(db: Db, sql: string): Promise<T[]> {
  return (await queryRaw<T>(db, sql)).rows;
}

/** The columns a backup saves and a restore writes: a generated column is computed again, never written. */
async function columnsOf(db: Db, schema: string, table: string): Promise<string[]> {
  const rows = await rowsOf<{ column_name: string }>(
    db,
    `select column_name from information_schema.columns where table_schema = ${quoteLiteral(schema)} and table_name = ${quoteLiteral(table)} and is_generated = 'NEVER' order by ordinal_position`,
  );
  return rows.map((r) => r.column_name);
}

function backupName(module: string, iteration: number, table: string, stamp: string): string {
  const raw = `${module.replaceAll("-", "_")}_iter${iteration}_${table}_${stamp}`;
  if (raw.length <= 63) return raw;
  let hash = 0;
  for (const c of raw) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `${raw.slice(0, 54)}_${hash.toString(16).padStart(8, "0")}`;
}

const list = (names: readonly string[]): string => names.map(quoteIdent).join(", ");

/** Saves the rows each target is about to lose (inside the caller's transaction) and registers them. */
export async function saveBackups(
  trx: Knex.Transaction,
  step: { readonly module: string; readonly iteration: number; readonly direction: "up" | "down" },
  targets: readonly BackupTarget[],
  stamp: string,
): Promise<Backup[]> {
  const saved: Backup[] = [];
  for (const target of targets) {
    const source = `${quoteIdent(target.schema)}.${quoteIdent(target.table)}`;
    const count = await rowsOf<{ n: string }>(trx, `select count(*) as n from ${source}`);
    const rows = Number(count[0]?.n ?? 0);
    if (rows === 0) continue;
    const suffix = target.columns ? `${target.table}_cols` : target.table;
    let name = backupName(step.module, step.iteration, suffix, stamp);
    // A second save of the same step in the same second (a rollback right after a re-apply).
    for (let n = 2; (await columnsOf(trx, "dbgen", name)).length > 0; n++)
      name = backupName(step.module, step.iteration, `${suffix}_${n}`, stamp);
    const columns = target.columns
      ? [...target.key, ...target.columns]
      : await columnsOf(trx, target.schema, target.table);
    const backup = `dbgen.${quoteIdent(name)}`;
    await execRaw(trx, `CREATE TABLE ${backup} AS SELECT ${list(columns)} FROM ${source}`);
    await execRaw(
      trx,
      `INSERT INTO ${BACKUPS_TABLE} (module, iteration, direction, source_schema, source_table, columns_only, columns, key_columns, backup_table, row_count) VALUES (${[
        step.module,
        String(step.iteration),
        step.direction,
        target.schema,
        target.table,
      ]
        .map((v, i) => (i === 1 ? v : quoteLiteral(v)))
        .join(
          ", ",
        )}, ${target.columns ? "true" : "false"}, ${quoteLiteral(JSON.stringify(columns))}, ${quoteLiteral(JSON.stringify(target.key))}, ${quoteLiteral(name)}, ${rows})`,
    );
    const restoreSql = target.columns
      ? `UPDATE ${source} AS t SET ${target.columns.map((c) => `${quoteIdent(c)} = b.${quoteIdent(c)}`).join(", ")} FROM ${backup} AS b WHERE ${target.key.map((k) => `t.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(" AND ")};`
      : `INSERT INTO ${source} (${list(columns)}) SELECT ${list(columns)} FROM ${backup};`;
    saved.push({ target, backupTable: `dbgen.${name}`, rows, restoreSql });
  }
  return saved;
}

interface BackupRow {
  id: string;
  iteration: number;
  direction: string;
  source_schema: string;
  source_table: string;
  columns_only: boolean;
  columns: string;
  key_columns: string;
  backup_table: string;
}

/** One backup put back (or not), in words for the user. */
export interface RestoreStep {
  readonly table: string;
  /** The columns put back; for a whole table, every column that still exists. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** Columns of the backup that no longer exist (a later iteration dropped them). */
  readonly skippedColumns: readonly string[];
  /** Why nothing was put back, when nothing was: the backup stays waiting (not marked restored). */
  readonly skipped?: string;
  readonly backupTable: string;
}

interface RestoreScope {
  /** The iteration the database is at: a backup goes back only when the objects holding it exist. */
  readonly at: number;
  /** Only the rows rolling back this iteration saved (`apply --restore`, right after applying it). */
  readonly only?: number;
}

/**
 * Why a backup cannot go back at iteration `at`, or undefined: a rollback's rows wait until their
 * iteration is applied again; a forward step's rows (from before it dropped or narrowed) wait until
 * that step is rolled back.
 */
function waitingReason(row: BackupRow, at: number): string | undefined {
  if (row.direction === "down" && at < row.iteration)
    return `waits for iteration ${row.iteration} (the database is at iteration ${at}): dbgen apply --restore puts it back`;
  if (row.direction === "up" && at >= row.iteration)
    return `holds values from before iteration ${row.iteration}, which is applied: they go back once it is rolled back`;
  return undefined;
}

/** Parents before children, over the foreign keys between `tables` (cycles: in name order). */
async function dependencyOrder(db: Db, schema: string, tables: readonly string[]): Promise<string[]> {
  const edges = await rowsOf<{ child: string; parent: string }>(
    db,
    `select c.relname as child, p.relname as parent from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace where k.contype = 'f' and n.nspname = ${quoteLiteral(schema)}`,
  );
  const ordered: string[] = [];
  const pending = new Set([...tables].sort());
  while (pending.size > 0) {
    const ready = [...pending].filter(
      (t) => !edges.some((e) => e.child === t && e.parent !== t && pending.has(e.parent)),
    );
    const next = ready.length > 0 ? ready : [...pending].slice(0, 1);
    for (const t of next) {
      ordered.push(t);
      pending.delete(t);
    }
  }
  return ordered;
}

/**
 * Puts back the backups of `module` that the database at `scope.at` can hold, each on its own (a
 * savepoint apiece: one that fails is reported and stays waiting, never blocking the others): whole
 * tables first (in dependency order, newest backup first, rows already there kept), then saved columns
 * (oldest first, so the newest values win), each by column name and key. Only what went back is
 * marked restored; the rest is reported with why it waits.
 */
export async function restoreBackups(knex: Knex, module: string, scope: RestoreScope): Promise<RestoreStep[]> {
  const present = await rowsOf<{ ok: boolean }>(knex, `select to_regclass('${BACKUPS_TABLE}') is not null as ok`);
  if (!present[0]?.ok) return [];
  return knex.transaction(async (trx) => {
    const only = scope.only === undefined ? "" : ` and direction = 'down' and iteration = ${Number(scope.only)}`;
    const rows = await rowsOf<BackupRow>(
      trx,
      `select * from ${BACKUPS_TABLE} where module = ${quoteLiteral(module)} and restored_at is null${only} order by id`,
    );
    const ordered: BackupRow[] = [];
    const wholeBySchema = new Map<string, BackupRow[]>();
    for (const row of rows.filter((r) => !r.columns_only))
      wholeBySchema.set(row.source_schema, [...(wholeBySchema.get(row.source_schema) ?? []), row]);
    for (const [schema, whole] of wholeBySchema) {
      const order = await dependencyOrder(trx, schema, [...new Set(whole.map((r) => r.source_table))]);
      for (const table of order) ordered.push(...whole.filter((r) => r.source_table === table).reverse());
    }
    ordered.push(...rows.filter((r) => r.columns_only));
    const steps: RestoreStep[] = [];
    const restored: number[] = [];
    for (const row of ordered) {
      const step = await restoreOnItsOwn(trx, row, scope.at);
      steps.push(step);
      if (step.skipped === undefined) restored.push(Number(row.id));
    }
    if (restored.length > 0)
      await execRaw(trx, `UPDATE ${BACKUPS_TABLE} SET restored_at = now() WHERE id IN (${restored.join(", ")})`);
    return steps;
  });
}

/** One backup put back inside its own savepoint, or why it waits (its failure undone, the others kept). */
async function restoreOnItsOwn(trx: Knex.Transaction, row: BackupRow, at: number): Promise<RestoreStep> {
  const waiting = waitingReason(row, at);
  const base = { table: row.source_table, backupTable: `dbgen.${row.backup_table}`, columns: [], rows: 0 };
  if (waiting) return { ...base, skippedColumns: [], skipped: waiting };
  try {
    return await trx.transaction((savepoint) => restoreOne(savepoint, row));
  } catch (error) {
    return {
      ...base,
      skippedColumns: [],
      skipped: `it could not be put back (${(error as Error).message}); it stays saved: fix what stops it and run dbgen restore again`,
    };
  }
}

async function restoreOne(trx: Knex.Transaction, row: BackupRow): Promise<RestoreStep> {
  const saved = JSON.parse(row.columns) as string[];
  const key = JSON.parse(row.key_columns) as string[];
  const live = await columnsOf(trx, row.source_schema, row.source_table);
  const base = { table: row.source_table, backupTable: `dbgen.${row.backup_table}` };
  if (live.length === 0)
    return {
      ...base,
      columns: [],
      rows: 0,
      skippedColumns: saved,
      skipped: "the table does not exist now (a later iteration dropped it)",
    };
  const source = `${quoteIdent(row.source_schema)}.${quoteIdent(row.source_table)}`;
  const backup = `dbgen.${quoteIdent(row.backup_table)}`;
  const skippedColumns = saved.filter((c) => !live.includes(c));
  if (!row.columns_only) {
    const columns = saved.filter((c) => live.includes(c));
    const result = await queryRaw(
      trx,
      `INSERT INTO ${source} (${list(columns)}) SELECT ${list(columns)} FROM ${backup} ON CONFLICT DO NOTHING`,
    );
    return { ...base, columns, rows: result.affected, skippedColumns };
  }
  if (key.length === 0 || key.some((k) => !live.includes(k)))
    return { ...base, columns: [], rows: 0, skippedColumns, skipped: "the key to match rows by does not exist now" };
  const columns = saved.filter((c) => !key.includes(c) && live.includes(c));
  if (columns.length === 0)
    return { ...base, columns, rows: 0, skippedColumns, skipped: "none of the saved columns exists now" };
  const result = await queryRaw(
    trx,
    `UPDATE ${source} AS t SET ${columns.map((c) => `${quoteIdent(c)} = b.${quoteIdent(c)}`).join(", ")} FROM ${backup} AS b WHERE ${key.map((k) => `t.${quoteIdent(k)} = b.${quoteIdent(k)}`).join(" AND ")}`,
  );
  if (result.affected === 0)
    return {
      ...base,
      columns: [],
      rows: 0,
      skippedColumns,
      skipped: `none of the rows it saved is in ${row.source_table} now (matched by ${key.join(", ")})`,
    };
  return { ...base, columns, rows: result.affected, skippedColumns };
}
