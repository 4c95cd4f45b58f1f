/**
 * MySQL (and MariaDB) through knex's mysql2 client: statements run one by one (MySQL commits DDL
 * implicitly, so a migration cannot be rolled back as a whole: a failure names the statement that
 * stopped), and introspection from information_schema into the schema IR.
 */

import type {
  Column,
  ColumnDefault,
  ForeignKey,
  Index,
  ReferentialAction,
  Schema,
  SqlType,
  Table,
} from "@dbgen/schema-core";
import { userError } from "@dbgen/schema-core";
import type { Knex } from "knex";

interface MysqlConnection {
  query(sql: string, callback: (error: Error | null, rows?: unknown) => void): void;
}

/** Runs one statement on a connection of the pool, bypassing knex's `?` bindings. */
export async function execMysql(knex: Knex, sql: string): Promise<void> {
  const client = knex.client as {
    acquireConnection(): Promise<MysqlConnection>;
    releaseConnection(c: MysqlConnection): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    await new Promise<void>((resolve, reject) => connection.query(sql, (error) => (error ? reject(error) : resolve())));
  } finally {
    await client.releaseConnection(connection);
  }
}

export async function applyMysql(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const [i, statement] of statements.entries()) {
    try {
      await execMysql(knex, statement);
    } catch (error) {
      throw userError(
        "MIGRATION_FAILED",
        `Statement ${i + 1} failed: ${(error as Error).message}. MySQL commits DDL as it goes: statements before it stay applied. The statement: ${statement.split("\n")[0]}`,
        "fix the cause; run the down migration's matching statements to undo the part that ran",
      );
    }
  }
}

interface ColumnRow {
  table_name: string;
  column_name: string;
  column_type: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
}

function parseMysqlType(columnType: string, jsonColumns: boolean): SqlType {
  const t = columnType.toLowerCase();
  const sized = /^(var)?char\((\d+)\)/.exec(t);
  if (sized) {
    if (!sized[1] && sized[2] === "36") return { name: "uuid" };
    return { name: sized[1] ? "varchar" : "char", length: Number(sized[2]) };
  }
  const decimal = /^decimal\((\d+),(\d+)\)/.exec(t);
  if (decimal) return { name: "numeric", precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (t.startsWith("tinyint(1)")) return { name: "boolean" };
  if (t.startsWith("smallint")) return { name: "smallint" };
  if (t.startsWith("bigint")) return { name: "bigint" };
  if (t.startsWith("int")) return { name: "integer" };
  if (t.startsWith("double") || t.startsWith("float")) return { name: "real" };
  if (t === "json" || (t === "longtext" && jsonColumns)) return { name: "jsonb" };
  if (t.endsWith("text")) return { name: "text" };
  if (t.endsWith("blob")) return { name: "blob" };
  if (t === "date") return { name: "date" };
  if (t === "time") return { name: "time" };
  if (t.startsWith("datetime") || t.startsWith("timestamp")) return { name: "timestamptz" };
  return { name: "text" };
}

function parseMysqlDefault(value: string, type: SqlType): ColumnDefault | undefined {
  if (value === "NULL") return undefined;
  if (/^current_timestamp(\(\))?$/i.test(value)) return { kind: "expression", sql: "now()" };
  if (/^uuid\(\)$/i.test(value)) return { kind: "expression", sql: "gen_random_uuid()" };
  const quoted = /^'((?:[^']|'')*)'$/.exec(value);
  const text = quoted ? (quoted[1] ?? "").replaceAll("''", "'").replaceAll("\\\\", "\\") : value;
  if (type.name === "boolean") return { kind: "literal", value: text === "1" };
  if (["smallint", "integer", "bigint", "numeric", "real"].includes(type.name) && /^-?\d+(\.\d+)?$/.test(text))
    return { kind: "literal", value: Number(text) };
  return quoted ? { kind: "literal", value: text } : { kind: "expression", sql: value };
}

const ACTIONS: Record<string, ReferentialAction> = {
  CASCADE: "cascade",
  "SET NULL": "set null",
  RESTRICT: "restrict",
  "NO ACTION": "no action",
};

/** The current database's tables as IR. MariaDB stores JSON as longtext with a json_valid check: both read back as jsonb. */
/** The catalog rows introspection reads, each query once for the whole database. */
interface MysqlCatalog {
  readonly tables: readonly { table_name: string }[];
  readonly columns: readonly ColumnRow[];
  readonly constraints: readonly { table_name: string; constraint_name: string; constraint_type: string }[];
  readonly keys: readonly {
    table_name: string;
    constraint_name: string;
    column_name: string;
    ordinal_position: number;
    referenced_table_name: string | null;
    referenced_column_name: string | null;
  }[];
  readonly refs: readonly { constraint_name: string; table_name: string; delete_rule: string; update_rule: string }[];
  readonly checks: readonly { constraint_name: string; table_name: string; check_clause: string }[];
  readonly stats: readonly {
    table_name: string;
    index_name: string;
    non_unique: number;
    seq_in_index: number;
    column_name: string;
  }[];
}

async function readMysqlCatalog(knex: Knex): Promise<MysqlCatalog> {
  const q = async <T>(sql: string): Promise<T[]> => {
    const [rowsOut] = (await knex.raw(sql)) as unknown as [T[]];
    return rowsOut;
  };
  return {
    tables: await q(
      "select table_name as table_name from information_schema.tables where table_schema = database() and table_type = 'BASE TABLE' order by table_name",
    ),
    columns: await q(
      "select table_name as table_name, column_name as column_name, column_type as column_type, data_type as data_type, is_nullable as is_nullable, column_default as column_default, extra as extra from information_schema.columns where table_schema = database() order by table_name, ordinal_position",
    ),
    constraints: await q(
      "select table_name as table_name, constraint_name as constraint_name, constraint_type as constraint_type from information_schema.table_constraints where constraint_schema = database()",
    ),
    keys: await q(
      "select table_name as table_name, constraint_name as constraint_name, column_name as column_name, ordinal_position as ordinal_position, referenced_table_name as referenced_table_name, referenced_column_name as referenced_column_name from information_schema.key_column_usage where constraint_schema = database() order by table_name, constraint_name, ordinal_position",
    ),
    refs: await q(
      "select constraint_name as constraint_name, table_name as table_name, delete_rule as delete_rule, update_rule as update_rule from information_schema.referential_constraints where constraint_schema = database()",
    ),
    checks: await q<MysqlCatalog["checks"][number]>(
      "select constraint_name as constraint_name, table_name as table_name, check_clause as check_clause from information_schema.check_constraints where constraint_schema = database()",
    ).catch(() => []),
    stats: await q(
      "select table_name as table_name, index_name as index_name, non_unique as non_unique, seq_in_index as seq_in_index, column_name as column_name from information_schema.statistics where table_schema = database() order by table_name, index_name, seq_in_index",
    ),
  };
}

export async function introspectMysql(knex: Knex, schemaName = "public"): Promise<Schema> {
  const catalog = await readMysqlCatalog(knex);
  return {
    name: schemaName,
    tables: catalog.tables.map(({ table_name }) => mysqlTable(catalog, table_name)),
    enums: [],
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);

function mysqlColumns(catalog: MysqlCatalog, table: string, jsonColumns: ReadonlySet<string>): Column[] {
  return catalog.columns
    .filter((c) => c.table_name === table)
    .map((c) => {
      const type = parseMysqlType(c.column_type, jsonColumns.has(c.column_name));
      const def = c.column_default === null ? undefined : parseMysqlDefault(c.column_default, type);
      return {
        name: c.column_name,
        type,
        nullable: c.is_nullable === "YES",
        ...(def ? { default: def } : {}),
        ...(/auto_increment/i.test(c.extra) ? { autoIncrement: true } : {}),
      };
    });
}

function mysqlForeignKeys(catalog: MysqlCatalog, table: string, names: readonly string[]): ForeignKey[] {
  return names
    .map((name) => {
      const parts = catalog.keys.filter((k) => k.table_name === table && k.constraint_name === name);
      const ref = catalog.refs.find((r) => r.constraint_name === name && r.table_name === table);
      return {
        name,
        columns: parts.map((p) => p.column_name),
        referencedTable: parts[0]?.referenced_table_name ?? "",
        referencedColumns: parts.map((p) => p.referenced_column_name ?? ""),
        onDelete: ACTIONS[ref?.delete_rule ?? ""] ?? "no action",
        onUpdate: ACTIONS[ref?.update_rule ?? ""] ?? "no action",
      };
    })
    .sort(byName);
}

/** Indexes that are not the key, a unique constraint's or a foreign key's own (MySQL makes those). */
function mysqlIndexes(catalog: MysqlCatalog, table: string, owned: ReadonlySet<string>): Index[] {
  const stats = catalog.stats.filter((s) => s.table_name === table);
  return [...new Set(stats.map((s) => s.index_name))]
    .filter((i) => i !== "PRIMARY" && !owned.has(i))
    .map((i) => {
      const parts = stats.filter((s) => s.index_name === i);
      return { name: i, columns: parts.map((p) => p.column_name), unique: Number(parts[0]?.non_unique) === 0 };
    })
    .sort(byName);
}

function mysqlTable(catalog: MysqlCatalog, name: string): Table {
  const checks = catalog.checks.filter((c) => c.table_name === name);
  // MariaDB's JSON: longtext with a CHECK (json_valid(col)) named after the column.
  const jsonColumns = new Set(
    checks.filter((c) => /^json_valid\(`?[^`)]+`?\)$/i.test(c.check_clause.trim())).map((c) => c.constraint_name),
  );
  const own = catalog.constraints.filter((c) => c.table_name === name);
  const named = (type: string) => own.filter((c) => c.constraint_type === type).map((c) => c.constraint_name);
  const columnsOf = (constraint: string) =>
    catalog.keys.filter((k) => k.table_name === name && k.constraint_name === constraint).map((k) => k.column_name);
  const pk = named("PRIMARY KEY")[0];
  const uniqueNames = new Set(named("UNIQUE"));
  const foreignKeys = mysqlForeignKeys(catalog, name, named("FOREIGN KEY"));
  return {
    name,
    columns: mysqlColumns(catalog, name, jsonColumns),
    ...(pk ? { primaryKey: { name: `${name}_pkey`, columns: columnsOf(pk) } } : {}),
    foreignKeys,
    uniques: [...uniqueNames].sort().map((u) => ({ name: u, columns: columnsOf(u) })),
    checks: checks
      .filter((c) => !jsonColumns.has(c.constraint_name))
      .map((c) => ({ name: c.constraint_name, expression: c.check_clause }))
      .sort(byName),
    indexes: mysqlIndexes(catalog, name, new Set([...uniqueNames, ...foreignKeys.map((f) => f.name)])),
  };
}
