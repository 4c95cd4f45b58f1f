/**
 * SQLite through sql.js (SQLite compiled to WASM: nothing to build on a fresh machine): open a
 * database file (a missing file is an empty database), run migrations with SQLite's rebuild rules,
 * and introspect into the schema IR from PRAGMA table_info, index_list and foreign_key_list.
 */

import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ForeignKey,
  Index,
  ReferentialAction,
  Schema,
  SqlType,
  Table,
  UniqueConstraint,
} from "@dbgen/schema-core";
import { userError } from "@dbgen/schema-core";
import type { Database as SqlJsDatabase, SqlValue } from "sql.js";

export type { SqlJsDatabase };

let engine: Promise<{ Database: new (data?: ArrayLike<number>) => SqlJsDatabase }> | undefined;

async function sqlJs() {
  engine ??= import("sql.js").then((m) =>
    (
      m.default as unknown as (
        config?: object,
      ) => Promise<{ Database: new (data?: ArrayLike<number>) => SqlJsDatabase }>
    )(),
  );
  return engine;
}

/** Opens a SQLite file, or an empty database when the file does not exist (or no path is given). */
export async function openSqlite(path?: string): Promise<SqlJsDatabase> {
  const { Database } = await sqlJs();
  if (path && existsSync(path)) return new Database(await readFile(path));
  return new Database();
}

export async function saveSqlite(db: SqlJsDatabase, path: string): Promise<void> {
  await writeFile(path, db.export());
}

function rows(db: SqlJsDatabase, sql: string): Record<string, SqlValue>[] {
  const result = db.exec(sql);
  const first = result[0];
  if (!first) return [];
  return first.values.map((values) => Object.fromEntries(first.columns.map((c, i) => [c, values[i] ?? null])));
}

/**
 * Runs statements as SQLite's table-rebuild procedure asks: foreign keys off, one transaction,
 * `PRAGMA foreign_key_check` before the commit (a violation rolls everything back), foreign keys on.
 */
export function applySqlite(db: SqlJsDatabase, statements: readonly string[]): void {
  db.run("PRAGMA foreign_keys = OFF");
  db.run("BEGIN");
  try {
    for (const [i, statement] of statements.entries()) {
      try {
        db.run(statement);
      } catch (error) {
        throw userError(
          "MIGRATION_FAILED",
          `Statement ${i + 1} failed and the transaction was rolled back: ${(error as Error).message}. The statement: ${statement.split("\n")[0]}`,
          "read the reason and fix the spec or the data",
        );
      }
    }
    const violations = rows(db, "PRAGMA foreign_key_check");
    if (violations.length > 0) {
      const first = violations[0] ?? {};
      throw userError(
        "MIGRATION_FAILED",
        `${violations.length} row(s) break a foreign key (first: table ${String(first.table)}, row ${String(first.rowid)}, to ${String(first.parent)})`,
        "fix those rows, then run again",
      );
    }
    db.run("COMMIT");
  } catch (error) {
    db.run("ROLLBACK");
    throw error;
  } finally {
    db.run("PRAGMA foreign_keys = ON");
  }
}

function parseSqliteType(declared: string): SqlType {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return { name: "integer" };
  if (t.includes("CHAR") || t.includes("CLOB") || t.includes("TEXT") || t === "") return { name: "text" };
  if (t.includes("BLOB")) return { name: "blob" };
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return { name: "real" };
  return { name: "numeric" };
}

function parseSqliteDefault(value: string): ColumnDefault {
  const v = value.trim();
  const literal = /^'((?:[^']|'')*)'$/.exec(v);
  if (literal) return { kind: "literal", value: (literal[1] ?? "").replaceAll("''", "'") };
  if (/^-?\d+(\.\d+)?$/.test(v)) return { kind: "literal", value: Number(v) };
  if (/^\(datetime\('now'\)\)$/i.test(v) || /^current_timestamp$/i.test(v)) return { kind: "expression", sql: "now()" };
  if (/^\(lower\(hex\(randomblob\(16\)\)\)\)$/i.test(v)) return { kind: "expression", sql: "gen_random_uuid()" };
  return { kind: "expression", sql: v.replace(/^\((.*)\)$/s, "$1") };
}

const ACTIONS: Record<string, ReferentialAction> = {
  CASCADE: "cascade",
  "SET NULL": "set null",
  RESTRICT: "restrict",
  "NO ACTION": "no action",
};

/** `CONSTRAINT "name" <kind> (…)` clauses of a CREATE TABLE: SQLite's pragmas do not give constraint names. */
function namedClauses(
  sql: string,
  kind: "PRIMARY KEY" | "UNIQUE" | "FOREIGN KEY" | "CHECK",
): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const re = new RegExp(`CONSTRAINT\\s+"((?:[^"]|"")+)"\\s+${kind.replace(" ", "\\s+")}\\s*\\(`, "gi");
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    let depth = 1;
    let i = re.lastIndex;
    for (; i < sql.length && depth > 0; i++) {
      if (sql[i] === "'") {
        i = sql.indexOf("'", i + 1);
        while (sql[i + 1] === "'") i = sql.indexOf("'", i + 2);
      } else if (sql[i] === "(") depth++;
      else if (sql[i] === ")") depth--;
    }
    out.push({ name: (m[1] ?? "").replaceAll('""', '"'), body: sql.slice(re.lastIndex, i - 1) });
  }
  return out;
}

const columnsOf = (body: string): string[] =>
  body.split(",").map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .replaceAll('""', '"'),
  );

/** The database's tables as IR (SQLite has one schema: `main`). */
export function introspectSqlite(db: SqlJsDatabase, schemaName = "main"): Schema {
  const tables = rows(
    db,
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
  );
  return {
    name: schemaName,
    tables: tables.map((t) => sqliteTable(db, String(t.name), String(t.sql ?? ""))),
    enums: [],
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
const quoted = (name: string) => `'${name.replaceAll("'", "''")}'`;

function sqliteTable(db: SqlJsDatabase, name: string, sql: string): Table {
  const info = rows(db, `PRAGMA table_info(${quoted(name)})`);
  const pkColumns = info
    .filter((c) => Number(c.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((c) => String(c.name));
  // An AUTOINCREMENT key is the rowid: never NULL, whatever table_info says.
  const rowid = /AUTOINCREMENT/i.test(sql) && pkColumns.length === 1 ? pkColumns[0] : undefined;
  const columns: Column[] = info.map((c) => ({
    name: String(c.name),
    type: parseSqliteType(String(c.type ?? "")),
    nullable: Number(c.notnull) === 0 && c.name !== rowid,
    ...(c.dflt_value !== null ? { default: parseSqliteDefault(String(c.dflt_value)) } : {}),
    ...(c.name === rowid ? { autoIncrement: true } : {}),
  }));
  const pkName = namedClauses(sql, "PRIMARY KEY")[0]?.name ?? `${name}_pkey`;
  const { uniques, indexes } = sqliteIndexes(db, name, sql);
  const checks: CheckConstraint[] = namedClauses(sql, "CHECK").map((c) => ({
    name: c.name,
    expression: c.body.trim(),
  }));
  return {
    name,
    columns,
    ...(pkColumns.length ? { primaryKey: { name: pkName, columns: pkColumns } } : {}),
    foreignKeys: sqliteForeignKeys(db, name, sql).sort(byName),
    uniques: uniques.sort(byName),
    checks: checks.sort(byName),
    indexes: indexes.sort(byName),
  };
}

/** The table's foreign keys, named as its CREATE TABLE names them (else `{table}_{columns}_fkey`). */
function sqliteForeignKeys(db: SqlJsDatabase, table: string, sql: string): ForeignKey[] {
  const fkNames = namedClauses(sql, "FOREIGN KEY");
  const fkRows = rows(db, `PRAGMA foreign_key_list(${quoted(table)})`);
  return [...new Set(fkRows.map((r) => Number(r.id)))].map((id) => {
    const parts = fkRows.filter((r) => Number(r.id) === id).sort((a, b) => Number(a.seq) - Number(b.seq));
    const cols = parts.map((p) => String(p.from));
    const named = fkNames.find((n) => columnsOf(n.body).join() === cols.join());
    return {
      name: named?.name ?? `${table}_${cols.join("_")}_fkey`,
      columns: cols,
      referencedTable: String(parts[0]?.table),
      referencedColumns: parts.map((p) => String(p.to)),
      onDelete: ACTIONS[String(parts[0]?.on_delete).toUpperCase()] ?? "no action",
      onUpdate: ACTIONS[String(parts[0]?.on_update).toUpperCase()] ?? "no action",
    };
  });
}

/** A partial index's WHERE, from the index's own CREATE INDEX. */
function partialWhere(db: SqlJsDatabase, index: string): string | undefined {
  const sql = rows(db, `select sql from sqlite_master where type = 'index' and name = ${quoted(index)}`)[0]?.sql;
  return /\bWHERE\s+(.+)$/is.exec(String(sql ?? ""))?.[1]?.trim();
}

/** The table's unique constraints (indexes of origin `u`) and its other indexes; the key's index is neither. */
function sqliteIndexes(
  db: SqlJsDatabase,
  table: string,
  sql: string,
): { uniques: UniqueConstraint[]; indexes: Index[] } {
  const uniqueNames = namedClauses(sql, "UNIQUE");
  const uniques: UniqueConstraint[] = [];
  const indexes: Index[] = [];
  for (const idx of rows(db, `PRAGMA index_list(${quoted(table)})`)) {
    if (idx.origin === "pk") continue;
    const cols = rows(db, `PRAGMA index_info(${quoted(String(idx.name))})`)
      .sort((a, b) => Number(a.seqno) - Number(b.seqno))
      .map((c) => String(c.name));
    if (idx.origin === "u") {
      const named = uniqueNames.find((u) => columnsOf(u.body).join() === cols.join())?.name;
      uniques.push({ name: named ?? `${table}_${cols.join("_")}_key`, columns: cols });
      continue;
    }
    const where = Number(idx.partial) === 1 ? partialWhere(db, String(idx.name)) : undefined;
    indexes.push({
      name: String(idx.name),
      columns: cols,
      unique: Number(idx.unique) === 1,
      ...(where ? { where } : {}),
    });
  }
  return { uniques, indexes };
}
