/**
 * @dbgen/db — the engines dbgen runs SQL on, behind one shape (`Engine`: apply, introspect, close):
 * PGlite, PostgreSQL and MySQL through knex (`Database`, with queries, history and backups), SQLite
 * through sql.js. Each engine's own knowledge in its folder: `postgres/` (introspection,
 * normalisation), `mysql/`, `sqlite/`.
 *
 * @example
 * const db = await openDatabase(resolveTarget("postgres://localhost/app", process.env, ".dev/app"));
 * await db.apply(renderPostgres(diffSchemas(emptySchema("public"), schema).operations));
 * const live = await db.introspect("public");
 * await db.close();
 */

export { applyStatements, execRaw, execScript, proveStatements, queryRaw, withSession } from "./apply.js";
export { type Backup, type BackupTarget, type RestoreStep, restoreBackups } from "./backups.js";
export { type Database, type DatabaseTarget, openDatabase, redactUrl, resolveTarget } from "./connect.js";
export { type Engine, type EngineTarget, engineTargetOf, openEngine } from "./engine.js";
export {
  type ApplyOptions,
  type ApplyOutcome,
  appliedIterations,
  applyMigration,
  checkChecksums,
  currentIteration,
  DBGEN_SCHEMA,
  ensureHistory,
  type HistoryRow,
  type MigrationScript,
  modulesIn,
  readHistory,
  revertMigration,
  sha256,
} from "./history.js";
export { applyMysql, execMysql, introspectMysql } from "./mysql/engine.js";
export { introspectPostgres, parseDefault, parseFormatType } from "./postgres/introspect.js";
export { printedExpressions } from "./postgres/normalise.js";
export { withScratchDatabase } from "./prove.js";
export { applySqlite, introspectSqlite, openSqlite, type SqlJsDatabase, saveSqlite } from "./sqlite/engine.js";
export { concurrentIndexName, isConcurrentStatement, runsOutsideTransaction, splitStatements } from "./statements.js";
export { embeddedFolderError } from "./template.js";
