/**
 * From a spec to the schema IR, with validation (seed 004's codes, with table, column and a
 * suggestion), and the additive merge with what the database already holds.
 */

import { renderedExpression, sqlExpressionProblem } from "@dbgen/busm-reader";
import {
  type Column,
  type ColumnDefault,
  type ErrorCode,
  isReservedWord,
  type ReferentialAction,
  type Schema,
  type SqlType,
  shortenIdentifier,
  type Table,
  type WarningCode,
} from "@dbgen/schema-core";
import type {
  ColumnDefinition,
  DatabaseType,
  MigrationSpec,
  ReferentialActionName,
  TableDefinition,
  ValidationError,
} from "./spec.js";

export type DialectName = "postgres" | "sqlite" | "mysql";
export const DIALECT_OF: Readonly<Record<DatabaseType, DialectName>> = {
  postgresql: "postgres",
  sqlite: "sqlite",
  mysql: "mysql",
};

const NAME = /^[a-z_][a-z0-9_]*$/;
const NATIVE: Readonly<Record<DialectName, readonly string[]>> = {
  sqlite: ["TEXT", "INTEGER", "REAL", "BLOB", "NUMERIC"],
  postgres: [
    "VARCHAR",
    "TEXT",
    "INT",
    "INTEGER",
    "BIGINT",
    "DECIMAL",
    "NUMERIC",
    "BOOLEAN",
    "TIMESTAMP",
    "DATE",
    "UUID",
    "JSONB",
    "REAL",
  ],
  mysql: [
    "VARCHAR",
    "TEXT",
    "INT",
    "INTEGER",
    "BIGINT",
    "DECIMAL",
    "TINYINT",
    "DATETIME",
    "JSON",
    "CHAR",
    "DATE",
    "BOOLEAN",
    "TIMESTAMP",
  ],
};

/** `VARCHAR(100)` → its IR type; undefined for a type no dialect knows. */
export function parseColumnType(text: string): SqlType | undefined {
  const m = /^([A-Za-z]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(text.trim());
  if (!m) return undefined;
  const base = (m[1] ?? "").toUpperCase();
  const a = m[2] !== undefined ? Number(m[2]) : undefined;
  const b = m[3] !== undefined ? Number(m[3]) : undefined;
  switch (base) {
    case "TEXT":
      return { name: "text" };
    case "INTEGER":
    case "INT":
      return { name: "integer" };
    case "BIGINT":
      return { name: "bigint" };
    case "TINYINT":
      return a === 1 ? { name: "boolean" } : { name: "smallint" };
    case "REAL":
      return { name: "real" };
    case "BLOB":
      return { name: "blob" };
    case "NUMERIC":
    case "DECIMAL":
      return a === undefined ? { name: "numeric" } : { name: "numeric", precision: a, scale: b ?? 0 };
    case "VARCHAR":
      return { name: "varchar", length: a ?? 255 };
    case "CHAR":
      return a === 36 || a === undefined ? { name: "uuid" } : { name: "char", length: a };
    case "BOOLEAN":
      return { name: "boolean" };
    case "TIMESTAMP":
    case "DATETIME":
      return { name: "timestamptz" };
    case "DATE":
      return { name: "date" };
    case "UUID":
      return { name: "uuid" };
    case "JSONB":
    case "JSON":
      return { name: "jsonb" };
    default:
      return undefined;
  }
}

const NOW = /^(current_timestamp|now\(\)|datetime\('now'\))$/i;

function defaultOf(value: ColumnDefinition["default"], type: SqlType): ColumnDefault | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && NOW.test(value.trim())) return { kind: "expression", sql: "now()" };
  if (type.name === "boolean")
    return { kind: "literal", value: value === true || value === 1 || value === "1" || value === "true" };
  if (typeof value === "number" || typeof value === "boolean") return { kind: "literal", value };
  if (["smallint", "integer", "bigint", "numeric", "real"].includes(type.name) && /^-?\d+(\.\d+)?$/.test(value))
    return { kind: "literal", value: Number(value) };
  return { kind: "literal", value };
}

const action = (a: ReferentialActionName | undefined): ReferentialAction =>
  a ? (a.toLowerCase() as ReferentialAction) : "no action";

export interface BuildResult {
  readonly tables: Table[];
  readonly errors: ValidationError[];
  readonly warnings: ValidationError[];
}

/** The spec's tables as IR, validated. `existing` names the tables the database already has. */
type Report = (
  code: ErrorCode | WarningCode,
  message: string,
  suggestion: string,
  table?: string,
  column?: string,
) => void;

/** What every table's checks share: the spec, the database, and where errors and warnings go. */
interface SpecContext {
  readonly spec: MigrationSpec;
  readonly existing: Schema;
  readonly dialect: DialectName;
  /** Tables of the spec and of the database, by name. */
  readonly known: ReadonlySet<string>;
  readonly err: Report;
  readonly warn: Report;
}

export function buildSpecTables(spec: MigrationSpec, existing: Schema): BuildResult {
  const errors: ValidationError[] = [];
  const warnings: ValidationError[] = [];
  const report =
    (type: "error" | "warning"): Report =>
    (code, message, suggestion, table, column) =>
      (type === "error" ? errors : warnings).push({
        type,
        code,
        message,
        suggestion,
        ...(table ? { table } : {}),
        ...(column ? { column } : {}),
      });
  const ctx: SpecContext = {
    spec,
    existing,
    dialect: DIALECT_OF[spec.databaseType],
    known: new Set([...existing.tables.map((t) => t.name), ...spec.tables.map((t) => t.name)]),
    err: report("error"),
    warn: report("warning"),
  };
  const seenTables = new Set<string>();
  const tables: Table[] = [];
  for (const def of spec.tables) {
    checkTableName(ctx, def, seenTables);
    seenTables.add(def.name);
    const columns = specColumns(ctx, def);
    checkKey(ctx, def);
    checkChecks(ctx, def);
    checkForeignKeys(ctx, def);
    tables.push(tableOf(def, columns, ctx.dialect));
  }
  return { tables, errors, warnings };
}

/** A table's or column's name: snake_case (`fix` says how), and warned about when it is a SQL keyword. */
function checkName(ctx: SpecContext, kind: "Table" | "Column", fix: string, table: string, column?: string): void {
  const name = column ?? table;
  if (!NAME.test(name))
    ctx.err("INVALID_TABLE_NAME", `${kind} name "${name}" must be lower-case snake_case`, fix, table, column);
  else if (isReservedWord(name))
    ctx.warn(
      "RESERVED_KEYWORD",
      `${kind} name "${name}" is a SQL keyword; it is quoted everywhere`,
      "rename it if hand-written SQL will use it",
      table,
      column,
    );
}

function checkTableName(ctx: SpecContext, def: TableDefinition, seenTables: ReadonlySet<string>): void {
  checkName(ctx, "Table", "use lower-case letters, digits and _, starting with a letter or _", def.name);
  if (seenTables.has(def.name))
    ctx.err("DUPLICATE_TABLE", `Table "${def.name}" is specified twice`, "merge the two definitions", def.name);
}

/** The table's columns as the IR has them; a column whose type seed 004 lacks is reported and left out. */
function specColumns(ctx: SpecContext, def: TableDefinition): Column[] {
  const seen = new Set<string>();
  const columns: Column[] = [];
  for (const c of def.columns) {
    if (seen.has(c.name))
      ctx.err(
        "DUPLICATE_COLUMN",
        `Column "${c.name}" appears twice in "${def.name}"`,
        "remove or rename one of them",
        def.name,
        c.name,
      );
    seen.add(c.name);
    checkName(ctx, "Column", "use lower-case letters, digits and _", def.name, c.name);
    const column = specColumn(ctx, def, c);
    if (column) columns.push(column);
  }
  return columns;
}

function specColumn(ctx: SpecContext, def: TableDefinition, c: ColumnDefinition): Column | undefined {
  const type = parseColumnType(c.type);
  if (!type) {
    ctx.err(
      "TYPE_MISMATCH",
      `Column type "${c.type}" is not one of seed 004's types`,
      "use TEXT, INTEGER, REAL, BLOB, NUMERIC, VARCHAR, INT, BIGINT, DECIMAL, BOOLEAN, TIMESTAMP, DATE, UUID, JSONB, CHAR, TINYINT, DATETIME or JSON",
      def.name,
      c.name,
    );
    return undefined;
  }
  const base = c.type.trim().toUpperCase().replace(/\(.*$/, "");
  if (!NATIVE[ctx.dialect].includes(base))
    ctx.warn(
      "TYPE_MISMATCH",
      `${c.type} is not a ${ctx.spec.databaseType} type; it is stored as the nearest one`,
      "use the database's own type if the difference matters",
      def.name,
      c.name,
    );
  const isPk = def.primaryKey?.includes(c.name) === true;
  const d = defaultOf(c.default, type);
  return {
    name: shortenIdentifier(c.name),
    type,
    nullable: c.nullable && !isPk,
    ...(d ? { default: d } : {}),
    ...(c.description !== undefined ? { comment: c.description } : {}),
    ...(c.autoIncrement ? { autoIncrement: true } : {}),
  };
}

/** A new table needs a key of its own columns; a table the database has keeps the key it has. */
function checkKey(ctx: SpecContext, def: TableDefinition): void {
  if (ctx.existing.tables.some((t) => t.name === def.name)) return;
  if (!def.primaryKey || def.primaryKey.length === 0)
    ctx.err(
      "MISSING_PRIMARY_KEY",
      `Table "${def.name}" has no primary key`,
      "list its key columns in primaryKey",
      def.name,
    );
  for (const k of def.primaryKey ?? [])
    if (!def.columns.some((c) => c.name === k))
      ctx.err(
        "MISSING_PRIMARY_KEY",
        `Primary key column "${k}" is not a column of "${def.name}"`,
        "list the table's own columns",
        def.name,
        k,
      );
}

function checkChecks(ctx: SpecContext, def: TableDefinition): void {
  for (const check of def.checkConstraints ?? []) {
    const problem = sqlExpressionProblem(check.expression);
    if (problem)
      ctx.err(
        "INVALID_EXPRESSION",
        `Check ${check.name} is refused: ${problem}`,
        "write one boolean SQL expression over the table's columns",
        def.name,
      );
  }
}

/** Each reference reaches a table of the spec or of the database, and columns it has. */
function checkForeignKeys(ctx: SpecContext, def: TableDefinition): void {
  for (const fk of def.foreignKeys ?? []) {
    if (!ctx.known.has(fk.referencedTable)) {
      ctx.err(
        "INVALID_FOREIGN_KEY",
        `"${def.name}" references table "${fk.referencedTable}", which is neither in the spec nor in the database`,
        `add ${fk.referencedTable} to the spec, or fix the name`,
        def.name,
        fk.columns.join(", "),
      );
      continue;
    }
    const target =
      ctx.spec.tables.find((t) => t.name === fk.referencedTable)?.columns.map((c) => c.name) ??
      ctx.existing.tables.find((t) => t.name === fk.referencedTable)?.columns.map((c) => c.name) ??
      [];
    const missing = fk.referencedColumns.filter((c) => !target.includes(c));
    if (missing.length)
      ctx.err(
        "INVALID_FOREIGN_KEY",
        `"${def.name}" references ${fk.referencedTable}(${missing.join(", ")}), which does not exist`,
        "reference existing columns (usually the key)",
        def.name,
        fk.columns.join(", "),
      );
  }
}

function tableOf(def: TableDefinition, columns: Column[], dialect: DialectName): Table {
  const n = (base: string) => shortenIdentifier(base);
  const uniques = [
    ...def.columns.filter((c) => c.unique).map((c) => ({ name: n(`${def.name}_${c.name}_key`), columns: [c.name] })),
    ...(def.uniqueConstraints ?? []).map((u) => ({ name: n(u.name), columns: u.columns })),
  ];
  const table: Table = {
    name: def.name,
    ...(def.description !== undefined ? { comment: def.description } : {}),
    columns,
    ...(def.primaryKey?.length ? { primaryKey: { name: n(`${def.name}_pkey`), columns: def.primaryKey } } : {}),
    foreignKeys: (def.foreignKeys ?? []).map((fk) => ({
      name: n(`${def.name}_${fk.columns.join("_")}_fkey`),
      columns: fk.columns,
      referencedTable: fk.referencedTable,
      referencedColumns: fk.referencedColumns,
      onDelete: action(fk.onDelete),
      onUpdate: action(fk.onUpdate),
    })),
    uniques,
    checks: (def.checkConstraints ?? []).map((c) => ({
      name: n(c.name),
      expression: renderedExpression(c.expression),
    })),
    indexes: (def.indexes ?? []).map((i) => ({ name: n(i.name), columns: i.columns, unique: i.unique })),
  };
  return dialect === "mysql" ? mysqlKeys(table) : table;
}

/** MySQL cannot key a TEXT column without a length: a TEXT column in a key becomes VARCHAR(255). */
function mysqlKeys(table: Table): Table {
  const keyed = new Set([
    ...(table.primaryKey?.columns ?? []),
    ...table.uniques.flatMap((u) => u.columns),
    ...table.indexes.flatMap((i) => i.columns),
    ...table.foreignKeys.flatMap((f) => f.columns),
  ]);
  return {
    ...table,
    columns: table.columns.map((c) =>
      c.type.name === "text" && keyed.has(c.name) ? { ...c, type: { name: "varchar", length: 255 } } : c,
    ),
  };
}

const byName = <T extends { readonly name: string }>(items: readonly T[], extra: readonly T[]): T[] => [
  ...items.filter((i) => !extra.some((e) => e.name === i.name)),
  ...extra,
];

/** Additive: the existing table with the spec's columns and constraints laid over it; with `prune`, the spec alone. */
export function mergeTable(existing: Table | undefined, spec: Table, prune: boolean): Table {
  if (!existing || prune)
    return existing && !spec.primaryKey && existing.primaryKey ? { ...spec, primaryKey: existing.primaryKey } : spec;
  const columns = existing.columns.map((c) => spec.columns.find((s) => s.name === c.name) ?? c);
  for (const c of spec.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
  return {
    ...existing,
    ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
    columns,
    ...(spec.primaryKey ? { primaryKey: spec.primaryKey } : {}),
    foreignKeys: byName(existing.foreignKeys, spec.foreignKeys),
    uniques: byName(existing.uniques, spec.uniques),
    checks: byName(existing.checks, spec.checks),
    indexes: byName(existing.indexes, spec.indexes),
  };
}
