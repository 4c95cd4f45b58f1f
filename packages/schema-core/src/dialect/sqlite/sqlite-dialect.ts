import type { ColumnDefault, SqlType } from "../../ir/types.js";
import type { Dialect } from "../dialect.js";
import { quoteLiteral } from "../postgres/quote.js";

/** SQLite: every name double-quoted (its keyword list differs from PostgreSQL's; quoting is always safe). */
export function quoteSqliteIdent(name: string): string {
  if (name.includes("\u0000")) throw new RangeError("identifier contains a NUL character");
  return `"${name.replaceAll('"', '""')}"`;
}

/** SQLite's storage classes: TEXT, INTEGER, NUMERIC, REAL, BLOB. */
export function renderSqliteType(type: SqlType): string {
  // SQLite has no arrays: an array (and a vector, an array of floats) is its JSON text.
  if (type.array) return "TEXT";
  switch (type.name) {
    case "smallint":
    case "integer":
    case "bigint":
    case "boolean":
      return "INTEGER";
    case "numeric":
      return "NUMERIC";
    case "real":
      return "REAL";
    case "blob":
      return "BLOB";
    default:
      return "TEXT";
  }
}

const NOW = /^(now\(\)|current_timestamp|localtimestamp)$/i;

function renderSqliteDefault(value: ColumnDefault): string {
  if (value.kind === "expression") {
    if (NOW.test(value.sql.trim())) return "(datetime('now'))";
    if (/^gen_random_uuid\(\)$/i.test(value.sql.trim())) return "(lower(hex(randomblob(16))))";
    return `(${value.sql})`;
  }
  if (typeof value.value === "boolean") return value.value ? "1" : "0";
  if (typeof value.value === "number") return String(value.value);
  return quoteLiteral(value.value);
}

export const sqliteDialect: Dialect = {
  name: "sqlite",
  capabilities: {
    comments: false,
    partialIndexes: true,
    indexMethods: false,
    schemaScopedIndexes: true,
    ifNotExistsIndexes: true,
    ifNotExists: true,
    alterTable: false,
    modifyColumn: false,
    extensions: false,
    enumTypes: false,
  },
  quoteIdent: quoteSqliteIdent,
  quoteLiteral,
  tableName: (_schema, table) => quoteSqliteIdent(table),
  renderType: renderSqliteType,
  renderDefault: renderSqliteDefault,
};
