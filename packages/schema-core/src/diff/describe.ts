/**
 * Operations in words, for plans, progress and drift reports.
 */
import { escapeControl } from "../diagnostics.js";
import type { SqlType } from "../ir/types.js";
import type { Operation } from "./operations.js";

/** `varchar(255)`, `numeric(12,2)`, `text`. */
export function formatSqlType(t: SqlType): string {
  if (t.name === "varchar" || t.name === "char") return t.length === undefined ? t.name : `${t.name}(${t.length})`;
  if (t.name === "numeric") return t.precision === undefined ? "numeric" : `numeric(${t.precision},${t.scale ?? 0})`;
  if (t.name === "enum") return `${t.enumType}${t.array ? "[]" : ""}`;
  return t.name;
}

const columnCount = (n: number): string => `${n} field${n === 1 ? "" : "s"}`;

/** One line: `CREATE TABLE contacts (5 fields)`, `ADD COLUMN accounts.email`. */
export function describeOperation(op: Operation): string {
  switch (op.kind) {
    case "create_table":
      return `CREATE TABLE ${op.table.name} (${columnCount(op.table.columns.length)})`;
    case "drop_table":
      return `DROP TABLE ${op.table.name}`;
    case "add_column":
      return `ADD COLUMN ${op.table}.${op.column.name}`;
    case "drop_column":
      return `DROP COLUMN ${op.table}.${op.column.name}`;
    case "rename_column":
      return `RENAME COLUMN ${op.table}.${op.from} TO ${op.to}`;
    case "rename_index":
      return `RENAME INDEX ${op.from} TO ${op.to} (on ${op.table})`;
    case "alter_column_type":
      return `ALTER COLUMN ${op.table}.${op.column} TYPE ${formatSqlType(op.from)} → ${formatSqlType(op.to)}`;
    case "alter_column_nullable":
      return `ALTER COLUMN ${op.table}.${op.column} ${op.nullable ? "DROP" : "SET"} NOT NULL${op.viaCheck ? ` (${op.viaCheck.step}: ${op.viaCheck.name})` : ""}`;
    case "alter_column_default":
      return `ALTER COLUMN ${op.table}.${op.column} ${op.to ? "SET" : "DROP"} DEFAULT`;
    case "alter_column_identity":
      return `ALTER COLUMN ${op.table}.${op.column} ${op.identity ? "ADD" : "DROP"} IDENTITY`;
    case "add_primary_key":
      return `ADD PRIMARY KEY ${op.table} (${op.primaryKey.columns.join(", ")})`;
    case "drop_primary_key":
      return `DROP PRIMARY KEY ${op.table}`;
    case "add_foreign_key":
      return `ADD FOREIGN KEY ${op.table}.${op.foreignKey.columns.join(", ")} → ${op.foreignKey.referencedTable}${op.notValid ? " NOT VALID" : ""}`;
    case "drop_foreign_key":
      return `DROP FOREIGN KEY ${op.table}.${op.foreignKey.name}`;
    case "add_unique":
      return `ADD UNIQUE ${op.table} (${op.unique.columns.join(", ")})${op.usingIndex ? ` USING INDEX ${op.unique.name}` : ""}`;
    case "drop_unique":
      return `DROP UNIQUE ${op.table}.${op.unique.name}`;
    case "add_check":
      return `ADD CHECK ${op.table}.${op.check.name}${op.notValid ? " NOT VALID" : ""}`;
    case "drop_check":
      return `DROP CHECK ${op.table}.${op.check.name}`;
    case "create_index":
      return `CREATE INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.index.name} ON ${op.table} (${op.index.columns.join(", ")})`;
    case "drop_index":
      return `DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.index.name}`;
    case "validate_constraint":
      return op.undone ? `nothing to undo for VALIDATE ${op.table}.${op.name}` : `VALIDATE ${op.table}.${op.name}`;
    case "set_table_comment":
      return `COMMENT ON TABLE ${op.table}`;
    case "set_column_comment":
      return `COMMENT ON COLUMN ${op.table}.${op.column}`;
    case "create_schema":
      return `CREATE SCHEMA ${op.schema.name}`;
    case "create_enum_type":
      return `CREATE TYPE ${op.type.name} AS ENUM (${op.type.values.join(", ")})`;
    case "drop_enum_type":
      return `DROP TYPE ${op.type.name}`;
    case "alter_enum_type":
      return `ALTER TYPE ${op.name}: (${op.from.join(", ")}) → (${op.to.join(", ")})`;
    case "create_extension":
      return `CREATE EXTENSION ${op.name}`;
    case "drop_extension":
      return `DROP EXTENSION ${op.name}`;
    case "drop_schema":
      return `DROP SCHEMA ${op.schema.name}`;
    case "create_function":
      return `CREATE FUNCTION ${op.fn.schema}.${op.fn.name}()${op.fn.securityDefiner ? " SECURITY DEFINER" : ""}`;
    case "drop_function":
      return `DROP FUNCTION ${op.fn.schema}.${op.fn.name}()`;
    case "replace_function":
      return `REPLACE FUNCTION ${op.to.schema}.${op.to.name}()`;
    case "set_row_level_security":
      return `${op.enabled ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY ${op.table}`;
    case "create_policy":
      return `CREATE POLICY ${op.policy.name} ON ${op.table} (${op.policy.permissive ? "" : "restrictive "}${op.policy.command} to ${op.policy.roles.join(", ")})`;
    case "drop_policy":
      return `DROP POLICY ${op.policy.name} ON ${op.table}`;
    case "create_trigger":
      return `CREATE TRIGGER ${op.trigger.name} ON ${op.schema ? `${op.schema}.` : ""}${op.table}`;
    case "drop_trigger":
      return `DROP TRIGGER ${op.trigger.name} ON ${op.schema ? `${op.schema}.` : ""}${op.table}`;
    case "rebuild_table":
      return `REBUILD TABLE ${op.table} (${op.to.columns.length} fields: create, copy, drop, rename)`;
    case "modify_column":
      return `MODIFY COLUMN ${op.table}.${op.to.name} ${formatSqlType(op.to.type)}${op.to.nullable ? "" : " NOT NULL"}`;
    case "set_publication":
      return `${op.member ? "ADD" : "DROP"} TABLE ${op.table} ${op.member ? "TO" : "FROM"} PUBLICATION ${op.publication}`;
    case "set_grants":
      return `GRANTS ON ${op.table}: ${op.to ? op.to.map((g) => `${g.role} ${g.privileges.join("/") || "nothing"}`).join(", ") : "the database's defaults"}`;
  }
}

/**
 * A drift report line: how the database (`live`) differs from the expected state, given an
 * operation of diff(expected → live).
 */
export function describeDrift(op: Operation): string {
  switch (op.kind) {
    case "create_table":
      return `table ${op.table.name} is in the database but not in the state`;
    case "drop_table":
      return `table ${op.table.name} is in the state but missing from the database`;
    case "add_column":
      return `column ${op.table}.${op.column.name} is in the database but not in the state`;
    case "drop_column":
      return `column ${op.table}.${op.column.name} is in the state but missing from the database`;
    case "alter_column_type":
      return `column ${op.table}.${op.column} is ${formatSqlType(op.to)} in the database, ${formatSqlType(op.from)} in the state`;
    case "alter_column_nullable":
      return `column ${op.table}.${op.column} is ${op.nullable ? "nullable" : "NOT NULL"} in the database, the other way in the state`;
    case "alter_column_default":
      return `column ${op.table}.${op.column} has ${op.to ? "a different default" : "no default"} in the database`;
    case "alter_column_identity":
      return `column ${op.table}.${op.column} is ${op.identity ? "" : "not "}an identity in the database, the other way in the state`;
    default:
      return `${describeOperation(op)} would make the state match the database`;
  }
}

/**
 * The comment block every generated migration starts with: a title, facts, and its operations in
 * words. Each line is one SQL comment line whatever the names hold (control characters escaped), so
 * nothing from the input can end the comment and start a statement.
 */
export function migrationHeader(title: string, facts: readonly string[], operations: readonly Operation[]): string {
  return sqlComment([title, ...facts, "Operations:", ...operations.map((o) => `  ${describeOperation(o)}`)]);
}

/**
 * The settings every generated SQL file makes first: literals read the standard way whatever the
 * server's setting (so a backslash in a description is only a backslash), and production's timeouts.
 */
export function migrationPrologue(timeouts?: {
  readonly lockTimeout: string;
  readonly statementTimeout: string;
}): string {
  const lines = ["SET standard_conforming_strings = on;"];
  if (timeouts)
    lines.push(
      `SET lock_timeout = '${timeouts.lockTimeout}';`,
      `SET statement_timeout = '${timeouts.statementTimeout}';`,
    );
  return lines.join("\n");
}

/**
 * The one writer of comment lines in generated SQL: each entry becomes one `-- ` line, its control
 * characters (newlines, carriage returns, …) escaped, because PostgreSQL, SQLite and MySQL all end a
 * `--` comment at a line break and whatever followed would run as a statement.
 */
export function sqlComment(lines: readonly string[]): string {
  return lines.map((line) => `-- ${escapeControl(line)}`).join("\n");
}
