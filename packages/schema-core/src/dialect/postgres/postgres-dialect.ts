import type { ColumnDefault, SqlType } from "../../ir/types.js";
import type { Dialect } from "../dialect.js";
import { qualifiedName, quoteIdent, quoteLiteral } from "./quote.js";

/** PostgreSQL's spelling of a physical type, as `format_type()` would accept it back. */
export function renderPostgresType(type: SqlType): string {
  switch (type.name) {
    case "varchar":
      return type.length === undefined ? "varchar" : `varchar(${type.length})`;
    case "numeric":
      if (type.precision === undefined) return "numeric";
      return type.scale === undefined ? `numeric(${type.precision})` : `numeric(${type.precision},${type.scale})`;
    default:
      return type.name;
  }
}

function renderPostgresDefault(value: ColumnDefault): string {
  if (value.kind === "expression") return value.sql;
  if (typeof value.value === "string") return quoteLiteral(value.value);
  if (typeof value.value === "boolean") return value.value ? "true" : "false";
  return String(value.value);
}

export const postgresDialect: Dialect = {
  name: "postgres",
  capabilities: { transactionalDdl: true, comments: true, partialIndexes: true, indexMethods: true, schemaScopedIndexes: true },
  quoteIdent,
  quoteLiteral,
  tableName: qualifiedName,
  renderType: renderPostgresType,
  renderDefault: renderPostgresDefault,
};
