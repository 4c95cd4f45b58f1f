/**
 * The default SQL renderer: one function per operation kind, typed as a `Record` so that a new
 * operation does not compile until it is rendered. Dialects change spelling, not structure.
 */

import type { Operation } from "../diff/operations.js";
import type { Column, ForeignKey, Index, ReferentialAction, SqlType, Table } from "../ir/types.js";
import type { Dialect } from "./dialect.js";

export interface RenderOptions {
  /** The database schema the tables live in. */
  readonly schema?: string;
}

const STRING_TYPES = new Set(["varchar", "text"]);
const NUMBER_TYPES = new Set(["integer", "bigint", "numeric"]);

/** True when the database converts `from` to `to` on assignment (within a family, or to text). */
function hasAssignmentCast(from: SqlType, to: SqlType): boolean {
  if (STRING_TYPES.has(to.name)) return true;
  if (NUMBER_TYPES.has(from.name) && NUMBER_TYPES.has(to.name)) return true;
  return from.name === to.name;
}

type Visitor = { readonly [K in Operation["kind"]]: (op: Extract<Operation, { kind: K }>) => string[] };

function action(clause: "DELETE" | "UPDATE", value: ReferentialAction): string {
  return value === "no action" ? "" : ` ON ${clause} ${value.toUpperCase()}`;
}

export function createRenderer(dialect: Dialect, options: RenderOptions = {}) {
  const schema = options.schema ?? "public";
  const q = (name: string): string => dialect.quoteIdent(name);
  const t = (table: string): string => dialect.tableName(schema, table);
  const list = (names: readonly string[]): string => names.map(q).join(", ");

  const columnDefinition = (column: Column): string => {
    const parts = [q(column.name), dialect.renderType(column.type)];
    if (column.default !== undefined) parts.push(`DEFAULT ${dialect.renderDefault(column.default, column.type)}`);
    if (!column.nullable) parts.push("NOT NULL");
    return parts.join(" ");
  };
  const foreignKeyClause = (fk: ForeignKey): string =>
    `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${list(fk.columns)}) REFERENCES ${t(fk.referencedTable)} (${list(fk.referencedColumns)})${action("DELETE", fk.onDelete)}${action("UPDATE", fk.onUpdate)}`;
  const createIndex = (table: string, index: Index): string => {
    const using = dialect.capabilities.indexMethods ? " USING btree" : "";
    const where = index.where && dialect.capabilities.partialIndexes ? ` WHERE ${index.where}` : "";
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${q(index.name)} ON ${t(table)}${using} (${list(index.columns)})${where};`;
  };
  const comment = (target: string, text: string | undefined): string[] =>
    dialect.capabilities.comments ? [`COMMENT ON ${target} IS ${text === undefined ? "NULL" : dialect.quoteLiteral(text)};`] : [];
  const alter = (table: string, clause: string): string => `ALTER TABLE ${t(table)} ${clause};`;
  const createTable = (table: Table): string[] => {
    const lines = table.columns.map(columnDefinition);
    if (table.primaryKey) lines.push(`CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${list(table.primaryKey.columns)})`);
    for (const u of table.uniques) lines.push(`CONSTRAINT ${q(u.name)} UNIQUE (${list(u.columns)})`);
    for (const c of table.checks) lines.push(`CONSTRAINT ${q(c.name)} CHECK (${c.expression})`);
    for (const fk of table.foreignKeys) lines.push(foreignKeyClause(fk));
    const out = [`CREATE TABLE ${t(table.name)} (\n  ${lines.join(",\n  ")}\n);`];
    for (const index of table.indexes) out.push(createIndex(table.name, index));
    if (table.comment !== undefined) out.push(...comment(`TABLE ${t(table.name)}`, table.comment));
    for (const column of table.columns) {
      if (column.comment !== undefined) out.push(...comment(`COLUMN ${t(table.name)}.${q(column.name)}`, column.comment));
    }
    return out;
  };

  const visitor: Visitor = {
    create_table: (op) => createTable(op.table),
    drop_table: (op) => [`DROP TABLE ${t(op.table.name)};`],
    add_column: (op) => [
      alter(op.table, `ADD COLUMN ${columnDefinition(op.column)}`),
      ...(op.column.comment !== undefined ? comment(`COLUMN ${t(op.table)}.${q(op.column.name)}`, op.column.comment) : []),
    ],
    drop_column: (op) => [alter(op.table, `DROP COLUMN ${q(op.column.name)}`)],
    rename_column: (op) => [alter(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`)],
    alter_column_type: (op) => {
      const type = dialect.renderType(op.to);
      // NOTE: an explicit cast (USING) silently truncates a narrowed varchar; the assignment cast
      // that ALTER uses without USING refuses to. So USING only where no assignment cast exists.
      const using = hasAssignmentCast(op.from, op.to) ? "" : ` USING ${q(op.column)}::${type}`;
      return [alter(op.table, `ALTER COLUMN ${q(op.column)} TYPE ${type}${using}`)];
    },
    alter_column_nullable: (op) => [alter(op.table, `ALTER COLUMN ${q(op.column)} ${op.nullable ? "DROP" : "SET"} NOT NULL`)],
    alter_column_default: (op) => [
      alter(op.table, op.to === undefined ? `ALTER COLUMN ${q(op.column)} DROP DEFAULT` : `ALTER COLUMN ${q(op.column)} SET DEFAULT ${dialect.renderDefault(op.to, { name: "text" })}`),
    ],
    add_primary_key: (op) => [alter(op.table, `ADD CONSTRAINT ${q(op.primaryKey.name)} PRIMARY KEY (${list(op.primaryKey.columns)})`)],
    drop_primary_key: (op) => [alter(op.table, `DROP CONSTRAINT ${q(op.primaryKey.name)}`)],
    add_foreign_key: (op) => [alter(op.table, `ADD ${foreignKeyClause(op.foreignKey)}`)],
    drop_foreign_key: (op) => [alter(op.table, `DROP CONSTRAINT ${q(op.foreignKey.name)}`)],
    add_unique: (op) => [alter(op.table, `ADD CONSTRAINT ${q(op.unique.name)} UNIQUE (${list(op.unique.columns)})`)],
    drop_unique: (op) => [alter(op.table, `DROP CONSTRAINT ${q(op.unique.name)}`)],
    add_check: (op) => [alter(op.table, `ADD CONSTRAINT ${q(op.check.name)} CHECK (${op.check.expression})`)],
    drop_check: (op) => [alter(op.table, `DROP CONSTRAINT ${q(op.check.name)}`)],
    create_index: (op) => [createIndex(op.table, op.index)],
    drop_index: (op) => [dialect.capabilities.schemaScopedIndexes ? `DROP INDEX ${dialect.tableName(schema, op.index.name)};` : `DROP INDEX ${q(op.index.name)} ON ${t(op.table)};`],
    set_table_comment: (op) => comment(`TABLE ${t(op.table)}`, op.to),
    set_column_comment: (op) => comment(`COLUMN ${t(op.table)}.${q(op.column)}`, op.to),
  };

  /** The statements of `ops`, in order, each ending with `;`. */
  return function renderOperations(ops: readonly Operation[]): string[] {
    return ops.flatMap((op) => (visitor[op.kind] as (o: Operation) => string[])(op));
  };
}
