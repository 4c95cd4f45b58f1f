/**
 * Inverses: every operation knows how to undo itself, so a rollback is the inverted plan reversed.
 */
import type { Operation } from "./operations.js";

/** The operation that undoes `op`. */
export function invertOperation(op: Operation): Operation {
  switch (op.kind) {
    case "create_table":
      return { kind: "drop_table", table: op.table };
    case "drop_table":
      return { kind: "create_table", table: op.table };
    case "add_column":
      return { kind: "drop_column", table: op.table, column: op.column };
    case "drop_column":
      return { kind: "add_column", table: op.table, column: op.column };
    case "rename_column":
      return { kind: "rename_column", table: op.table, from: op.to, to: op.from };
    case "alter_column_type":
      return { kind: "alter_column_type", table: op.table, column: op.column, from: op.to, to: op.from };
    case "alter_column_nullable":
      return { kind: "alter_column_nullable", table: op.table, column: op.column, nullable: !op.nullable };
    case "alter_column_default":
      return { kind: "alter_column_default", table: op.table, column: op.column, ...(op.to ? { from: op.to } : {}), ...(op.from ? { to: op.from } : {}) };
    case "add_primary_key":
      return { kind: "drop_primary_key", table: op.table, primaryKey: op.primaryKey };
    case "drop_primary_key":
      return { kind: "add_primary_key", table: op.table, primaryKey: op.primaryKey };
    case "add_foreign_key":
      return { kind: "drop_foreign_key", table: op.table, foreignKey: op.foreignKey };
    case "drop_foreign_key":
      return { kind: "add_foreign_key", table: op.table, foreignKey: op.foreignKey };
    case "add_unique":
      return { kind: "drop_unique", table: op.table, unique: op.unique };
    case "drop_unique":
      return { kind: "add_unique", table: op.table, unique: op.unique };
    case "add_check":
      return { kind: "drop_check", table: op.table, check: op.check };
    case "drop_check":
      return { kind: "add_check", table: op.table, check: op.check };
    case "create_index":
      return { kind: "drop_index", table: op.table, index: op.index };
    case "drop_index":
      return { kind: "create_index", table: op.table, index: op.index };
    case "set_table_comment":
      return { kind: "set_table_comment", table: op.table, ...(op.to !== undefined ? { from: op.to } : {}), ...(op.from !== undefined ? { to: op.from } : {}) };
    case "set_column_comment":
      return { kind: "set_column_comment", table: op.table, column: op.column, ...(op.to !== undefined ? { from: op.to } : {}), ...(op.from !== undefined ? { to: op.from } : {}) };
  }
}

/**
 * The down migration of an ordered plan: each operation inverted, in reverse order. The phase
 * table is built so that this mirror order is valid too.
 */
export function invertOperations(ops: readonly Operation[]): Operation[] {
  return ops.map(invertOperation).reverse();
}
