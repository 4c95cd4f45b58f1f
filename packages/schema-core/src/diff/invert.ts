/**
 * Inverses: every operation knows how to undo itself, so a rollback is the inverted plan reversed.
 */
import type { Operation } from "./operations.js";

/** `from` and `to` swapped, keeping every other member (the table's schema among them). */
function swap<T extends { readonly from?: unknown; readonly to?: unknown }>(op: T): T {
  const { from, to, ...rest } = op;
  return { ...rest, ...(to !== undefined ? { from: to } : {}), ...(from !== undefined ? { to: from } : {}) } as T;
}

/** The operation that undoes `op`. */
export function invertOperation(op: Operation): Operation {
  switch (op.kind) {
    case "create_table":
      return { ...op, kind: "drop_table" };
    case "drop_table":
      return { ...op, kind: "create_table" };
    case "add_column":
      return { ...op, kind: "drop_column" };
    case "drop_column":
      return { ...op, kind: "add_column" };
    case "alter_column_type": {
      // The model's conversion goes one way: going back, PostgreSQL's own cast.
      const { using: _using, ...rest } = op;
      return swap(rest);
    }
    case "rename_column":
    case "rename_index":
    case "alter_column_default":
    case "set_table_comment":
    case "set_column_comment":
    case "replace_function":
    case "set_grants":
      return swap(op);
    case "alter_column_identity":
      return { ...op, identity: !op.identity };
    case "set_publication":
      return { ...op, member: !op.member };
    case "alter_column_nullable": {
      const { backfill: _backfill, ...rest } = op;
      return { ...rest, nullable: !op.nullable };
    }
    case "add_primary_key":
      return { ...op, kind: "drop_primary_key" };
    case "drop_primary_key":
      return { ...op, kind: "add_primary_key" };
    case "add_foreign_key":
      return { ...op, kind: "drop_foreign_key" };
    case "drop_foreign_key":
      return { ...op, kind: "add_foreign_key" };
    case "add_unique":
      return { ...op, kind: "drop_unique" };
    case "drop_unique":
      return { ...op, kind: "add_unique" };
    case "add_check":
      return { ...op, kind: "drop_check" };
    case "drop_check":
      return { ...op, kind: "add_check" };
    case "create_index":
      return { ...op, kind: "drop_index" };
    case "drop_index":
      return { ...op, kind: "create_index" };
    case "create_enum_type":
      return { ...op, kind: "drop_enum_type" };
    case "drop_enum_type":
      return { ...op, kind: "create_enum_type" };
    case "alter_enum_type":
      return {
        ...swap(op),
        columns: op.columns.map(swap),
        fromDefaults: op.toDefaults,
        toDefaults: op.fromDefaults,
      };
    case "create_extension":
      return { ...op, kind: "drop_extension" };
    case "drop_extension":
      return { ...op, kind: "create_extension" };
    case "create_schema":
      return { ...op, kind: "drop_schema" };
    case "drop_schema":
      return { ...op, kind: "create_schema" };
    case "create_function":
      return { ...op, kind: "drop_function" };
    case "drop_function":
      return { ...op, kind: "create_function" };
    case "set_row_level_security":
      return { ...op, enabled: !op.enabled };
    case "create_policy":
      return { ...op, kind: "drop_policy" };
    case "drop_policy":
      return { ...op, kind: "create_policy" };
    case "create_trigger":
      return { ...op, kind: "drop_trigger" };
    case "modify_column":
      return swap(op);
    case "rebuild_table": {
      const sources: Record<string, string> = {};
      for (const [to, from] of Object.entries(op.sources)) sources[from] = to;
      return { ...op, from: op.to, to: op.from, sources };
    }
    case "drop_trigger":
      return { ...op, kind: "create_trigger" };
    case "validate_constraint": {
      const { undone: _undone, ...rest } = op;
      return op.undone ? rest : { ...rest, undone: true };
    }
  }
}

/**
 * The down migration of an ordered plan: each operation inverted, in reverse order. The phase
 * table is built so that this mirror order is valid too.
 */
export function invertOperations(ops: readonly Operation[]): Operation[] {
  return ops.map(invertOperation).reverse();
}
