/**
 * Fitting a plan to what a dialect's ALTER TABLE can do, using its capability flags:
 * - no ALTER for columns and constraints (SQLite): every table changed beyond adding a nullable
 *   column, renaming one or touching indexes is rebuilt in one `rebuild_table` (SQLite's documented
 *   procedure), and the foreign keys of new tables stay inline (SQLite allows forward references);
 * - columns restated whole (MySQL): a column's type, nullability and default changes become one
 *   `modify_column`.
 */
import type { Dialect } from "../dialect/dialect.js";
import type { Column, Schema, Table } from "../ir/types.js";
import { orderOperations } from "./diff.js";
import type { Operation, RenameColumn } from "./operations.js";

/** What SQLite's ALTER TABLE does natively. */
function sqliteNative(op: Operation): boolean {
  switch (op.kind) {
    case "rename_column":
    case "create_index":
    case "drop_index":
    case "set_table_comment":
    case "set_column_comment":
      return true;
    case "add_column":
      // ADD COLUMN takes neither a key nor NOT NULL without a default.
      return (op.column.nullable || op.column.default !== undefined) && !op.column.autoIncrement;
    default:
      return false;
  }
}

const ENUM_TYPE_KINDS: ReadonlySet<Operation["kind"]> = new Set([
  "create_enum_type",
  "drop_enum_type",
  "alter_enum_type",
]);

const tableOf = (op: Operation): string | undefined =>
  "table" in op && typeof op.table === "string" ? op.table : undefined;

export function adaptOperations(ops: readonly Operation[], from: Schema, to: Schema, dialect: Dialect): Operation[] {
  let out: Operation[] = [...ops];
  if (!dialect.capabilities.alterTable) out = rebuildWhereNeeded(out, from, to);
  if (dialect.capabilities.modifyColumn) out = modifyColumns(out, from, to);
  if (!dialect.capabilities.extensions)
    out = out.filter((op) => op.kind !== "create_extension" && op.kind !== "drop_extension");
  if (!dialect.capabilities.enumTypes) out = out.filter((op) => !ENUM_TYPE_KINDS.has(op.kind));
  if (!dialect.capabilities.comments)
    out = out.filter((op) => op.kind !== "set_table_comment" && op.kind !== "set_column_comment");
  return orderOperations(out);
}

function rebuildWhereNeeded(ops: Operation[], from: Schema, to: Schema): Operation[] {
  const created = new Map(ops.flatMap((op) => (op.kind === "create_table" ? [[op.table.name, op] as const] : [])));
  const rebuild = new Set<string>();
  for (const op of ops) {
    const table = tableOf(op);
    if (op.kind === "create_table" || op.kind === "drop_table" || !table) continue;
    if (op.kind === "add_foreign_key" && created.has(table)) continue;
    if (!sqliteNative(op)) rebuild.add(table);
  }
  const out: Operation[] = [];
  for (const op of ops) {
    const table = tableOf(op);
    if (op.kind === "create_table") {
      // Forward references are allowed: a new table's deferred foreign keys go back inline.
      const deferred = ops.filter(
        (o): o is Extract<Operation, { kind: "add_foreign_key" }> =>
          o.kind === "add_foreign_key" && o.table === op.table.name,
      );
      out.push({
        ...op,
        table: { ...op.table, foreignKeys: [...op.table.foreignKeys, ...deferred.map((d) => d.foreignKey)] },
      });
    } else if (op.kind === "add_foreign_key" && table && created.has(table)) {
      // moved into its CREATE TABLE above
    } else if (op.kind !== "drop_table" && table && rebuild.has(table)) {
      // replaced by the rebuild below
    } else out.push(op);
  }
  for (const name of rebuild) {
    const before = from.tables.find((t) => t.name === name && !t.schema);
    const after = to.tables.find((t) => t.name === name && !t.schema);
    if (!before || !after) continue;
    const renames = ops.filter((o): o is RenameColumn => o.kind === "rename_column" && o.table === name);
    const sources: Record<string, string> = {};
    for (const column of after.columns) {
      const renamed = renames.find((r) => r.to === column.name);
      const source = renamed
        ? renamed.from
        : before.columns.some((c) => c.name === column.name)
          ? column.name
          : undefined;
      if (source) sources[column.name] = source;
    }
    out.push({ kind: "rebuild_table", table: name, from: before, to: after, sources });
  }
  return out;
}

function modifyColumns(ops: Operation[], from: Schema, to: Schema): Operation[] {
  const columnOf = (schema: Schema, table: string, column: string): Column | undefined =>
    schema.tables.find((t: Table) => t.name === table)?.columns.find((c) => c.name === column);
  const done = new Set<string>();
  const out: Operation[] = [];
  for (const op of ops) {
    if (
      op.kind !== "alter_column_type" &&
      op.kind !== "alter_column_nullable" &&
      op.kind !== "alter_column_default" &&
      op.kind !== "alter_column_identity"
    ) {
      out.push(op);
      continue;
    }
    const key = `${op.table}\u0000${op.column}`;
    if (done.has(key)) continue;
    done.add(key);
    const before = columnOf(from, op.table, op.column);
    const after = columnOf(to, op.table, op.column);
    if (before && after) out.push({ kind: "modify_column", table: op.table, from: before, to: after });
    else out.push(op);
  }
  return out;
}
