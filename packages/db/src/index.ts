/**
 * @dbgen/db — database connections through knex (embedded PGlite or PostgreSQL by URL), running
 * generated statements transactionally, and introspection into the schema IR.
 */

export { applyStatements, execRaw } from "./apply.js";
export { type Database, type DatabaseTarget, openDatabase, redactUrl, resolveTarget } from "./connect.js";
export { introspectPostgres, parseDefault, parseFormatType } from "./introspect.js";
