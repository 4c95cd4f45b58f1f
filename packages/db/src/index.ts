/**
 * @dbgen/db — database connections through knex (embedded PGlite or PostgreSQL by URL), running
 * generated statements transactionally, and introspection into the schema IR.
 *
 * @example
 * const db = await openDatabase(resolveTarget("postgres://localhost/app", process.env, ".dev/app"));
 * await applyStatements(db.knex, renderPostgres(diffSchemas(emptySchema("public"), schema).operations));
 * const live = await introspectPostgres(db.knex, "public");
 */

export { type EngineAdapter, type EngineTarget, engineTargetOf, openAdapter } from "./adapter.js";
export { applyStatements, execRaw, execScript, proveStatements, queryRaw, withSession } from "./apply.js";
export { type Backup, type BackupTarget, type RestoreStep, restoreBackups } from "./backups.js";
export { type Database, type DatabaseTarget, openDatabase, redactUrl, resolveTarget } from "./connect.js";
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
export { introspectPostgres, parseDefault, parseFormatType } from "./introspect.js";
export { applyMysql, execMysql, introspectMysql } from "./mysql.js";
export { printedExpressions } from "./normalise.js";
export { withScratchDatabase } from "./prove.js";
export { applySqlite, introspectSqlite, openSqlite, type SqlJsDatabase, saveSqlite } from "./sqlite.js";
export { concurrentIndexName, isConcurrentStatement, runsOutsideTransaction, splitStatements } from "./statements.js";
export { embeddedFolderError } from "./template.js";
