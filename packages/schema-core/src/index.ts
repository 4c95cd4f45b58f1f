/**
 * @dbgen/schema-core — the schema IR and everything pure that works on it: validation, names,
 * snapshots, the diff engine, and the PostgreSQL and TypeScript renderers. No file or network I/O.
 */

export * from "./diagnostics.js";
export { createRenderer, type RenderOptions } from "./dialect/default-renderer.js";
export type { Dialect, DialectCapabilities } from "./dialect/dialect.js";
export { mysqlDialect, quoteMysqlIdent, quoteMysqlLiteral, renderMysqlType } from "./dialect/mysql/mysql-dialect.js";
export * from "./dialect/postgres/index.js";
export { quoteSqliteIdent, renderSqliteType, sqliteDialect } from "./dialect/sqlite/sqlite-dialect.js";
export { adaptOperations } from "./diff/adapt.js";
export * from "./diff/describe.js";
export * from "./diff/diff.js";
export * from "./diff/hazards.js";
export * from "./diff/invert.js";
export * from "./diff/operations.js";
export * from "./diff/order.js";
export { isWidening, sameType } from "./diff/types.js";
export * from "./ir/names.js";
export { PG_KEYWORDS } from "./ir/pg-keywords.js";
export * from "./ir/shape.js";
export * from "./ir/types.js";
export * from "./ir/validate.js";
export * from "./snapshot/snapshot.js";
export * from "./typescript/typegen.js";

import type { Dialect } from "./dialect/dialect.js";
import { mysqlDialect } from "./dialect/mysql/mysql-dialect.js";
import { postgresDialect } from "./dialect/postgres/postgres-dialect.js";
import { sqliteDialect } from "./dialect/sqlite/sqlite-dialect.js";

/** The dialects by name. */
export const DIALECTS: Readonly<Record<Dialect["name"], Dialect>> = { postgres: postgresDialect, sqlite: sqliteDialect, mysql: mysqlDialect };
