/**
 * Required columns on tables that may hold rows: one rule for the prototype and production alike.
 * A required column added to an existing table is added nullable, then filled (its default, or a
 * backfill the project gives), then made NOT NULL after a check that names any row left empty; a
 * column becoming required gets the same fill first.
 */
import type { Schema } from "../ir/types.js";
import { orderOperations } from "./diff.js";
import type { AddColumn, AlterColumnNullable, Backfill, Operation } from "./operations.js";

/** How to fill `table.column`, when the project says (a backfill file, a module file), or undefined. */
export type BackfillSource = (table: string, column: string) => Backfill | undefined;

export function withBackfills(ops: readonly Operation[], target: Schema, given: BackfillSource): Operation[] {
  const created = new Set(ops.flatMap((o) => (o.kind === "create_table" ? [o.table.name] : [])));
  const backfillFor = (table: string, column: string): Backfill | undefined => {
    const rule = given(table, column);
    if (rule) return rule;
    const col = target.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
    return col?.default !== undefined ? { value: "DEFAULT" } : undefined;
  };
  const out: Operation[] = [];
  for (const op of ops) {
    if (op.kind === "add_column" && !op.column.nullable && op.column.default === undefined && !created.has(op.table)) {
      const nullable: AddColumn = { ...op, column: { ...op.column, nullable: true } };
      const backfill = backfillFor(op.table, op.column.name);
      const setNotNull: AlterColumnNullable = {
        kind: "alter_column_nullable",
        table: op.table,
        column: op.column.name,
        nullable: false,
        ...(backfill ? { backfill } : {}),
        ...(op.schema ? { schema: op.schema } : {}),
      };
      out.push(nullable, setNotNull);
    } else if (op.kind === "alter_column_nullable" && !op.nullable && !created.has(op.table) && !op.backfill) {
      const backfill = backfillFor(op.table, op.column);
      out.push(backfill ? { ...op, backfill } : op);
    } else out.push(op);
  }
  // NOT NULL moved after the column exists: back into phase order.
  return orderOperations(out);
}
