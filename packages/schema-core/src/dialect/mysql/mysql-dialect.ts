import type { ColumnDefault, SqlType } from "../../ir/types.js";
import type { Dialect } from "../dialect.js";

/** MySQL quotes names with backticks; a backtick inside is doubled. */
export function quoteMysqlIdent(name: string): string {
  if (name.includes("\u0000")) throw new RangeError("identifier contains a NUL character");
  return `\`${name.replaceAll("`", "``")}\``;
}

/**
 * A MySQL string literal. Backslashes are escape characters in MySQL's default SQL mode, so they
 * are doubled as well as quotes.
 */
export function quoteMysqlLiteral(value: string): string {
  if (value.includes("\u0000")) throw new RangeError("literal contains a NUL character");
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

export function renderMysqlType(type: SqlType): string {
  // MySQL has no arrays: an array is a JSON array.
  if (type.array) return "JSON";
  switch (type.name) {
    case "uuid":
      return "CHAR(36)";
    case "varchar":
      return `VARCHAR(${type.length ?? 255})`;
    case "char":
      return `CHAR(${type.length ?? 1})`;
    case "text":
      return "TEXT";
    case "smallint":
      return "SMALLINT";
    case "integer":
      return "INT";
    case "bigint":
      return "BIGINT";
    case "numeric":
      return type.precision === undefined ? "DECIMAL(18,4)" : `DECIMAL(${type.precision},${type.scale ?? 0})`;
    case "real":
      return "DOUBLE";
    case "boolean":
      return "TINYINT(1)";
    case "date":
      return "DATE";
    case "time":
      return "TIME";
    case "timestamp":
    case "timestamptz":
      return "DATETIME";
    case "jsonb":
      return "JSON";
    case "blob":
      return "LONGBLOB";
    // MySQL has neither: an interval as PostgreSQL prints it ('1 day 02:00:00'), an address as text.
    case "interval":
      return "VARCHAR(64)";
    case "inet":
      return "VARCHAR(45)";
    // A case-insensitive text is MySQL's default collation already; a full-text document is its text.
    case "citext":
      return "VARCHAR(255)";
    case "tsvector":
      return "LONGTEXT";
    case "vector":
      return "JSON";
    // An enum type's values are checked where the model says so; MySQL keeps the text.
    case "enum":
      return "VARCHAR(255)";
  }
}

const NOW = /^(now\(\)|current_timestamp|localtimestamp)$/i;

function renderMysqlDefault(value: ColumnDefault): string {
  if (value.kind === "expression") {
    if (NOW.test(value.sql.trim())) return "CURRENT_TIMESTAMP";
    if (/^gen_random_uuid\(\)$/i.test(value.sql.trim())) return "(UUID())";
    return `(${value.sql})`;
  }
  if (typeof value.value === "boolean") return value.value ? "1" : "0";
  if (typeof value.value === "number") return String(value.value);
  return quoteMysqlLiteral(value.value);
}

export const mysqlDialect: Dialect = {
  name: "mysql",
  capabilities: {
    comments: false,
    partialIndexes: false,
    indexMethods: false,
    schemaScopedIndexes: false,
    ifNotExistsIndexes: false,
    ifNotExists: true,
    alterTable: true,
    modifyColumn: true,
    extensions: false,
    enumTypes: false,
  },
  quoteIdent: quoteMysqlIdent,
  quoteLiteral: quoteMysqlLiteral,
  tableName: (_schema, table) => quoteMysqlIdent(table),
  renderType: renderMysqlType,
  renderDefault: renderMysqlDefault,
  autoIncrement: () => " AUTO_INCREMENT",
  tableOptions: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
  dropConstraint: (kind, name) =>
    kind === "foreign_key"
      ? `DROP FOREIGN KEY ${quoteMysqlIdent(name)}`
      : kind === "unique"
        ? `DROP INDEX ${quoteMysqlIdent(name)}`
        : kind === "primary_key"
          ? "DROP PRIMARY KEY"
          : `DROP CONSTRAINT ${quoteMysqlIdent(name)}`,
};
