/**
 * Hazards: what a person should know before an operation runs on a database holding data.
 */
import { enumChange } from "./enum-change.js";
import type { Operation } from "./operations.js";
import { isWidening } from "./types.js";

/**
 * `destructive`: data is lost (a dropped table or column, a narrowing type change).
 * `data-dependent`: it may fail on the rows present (NOT NULL, UNIQUE, CHECK, a foreign key, a cast).
 */
export type Hazard = "destructive" | "data-dependent";

export interface OperationHazards {
  readonly operation: Operation;
  readonly hazards: readonly Hazard[];
  /** Why, in a sentence, when there is a hazard. */
  readonly reason?: string;
}

function hazardsOf(op: Operation, createdTables: ReadonlySet<string>): { hazards: Hazard[]; reason?: string } {
  const onExisting = (table: string): boolean => !createdTables.has(table);
  switch (op.kind) {
    case "drop_table":
      return { hazards: ["destructive"], reason: `drops table ${op.table.name} and its rows` };
    case "drop_column":
      // A generated column's values are computed from the row: dropping it loses nothing.
      if (op.column.generated !== undefined) return { hazards: [] };
      return { hazards: ["destructive"], reason: `drops column ${op.table}.${op.column.name} and its values` };
    case "alter_column_type":
      return isWidening(op.from, op.to)
        ? { hazards: [] }
        : {
            hazards: ["destructive", "data-dependent"],
            reason: `changes ${op.table}.${op.column} to a type that may not hold every value`,
          };
    case "alter_column_nullable":
      // A backfill value fills every NULL first.
      return op.nullable || op.backfill?.value !== undefined
        ? { hazards: [] }
        : { hazards: ["data-dependent"], reason: `fails if ${op.table}.${op.column} holds NULLs` };
    case "add_column":
      return !op.column.nullable && op.column.default === undefined
        ? {
            hazards: ["data-dependent"],
            reason: `required column ${op.table}.${op.column.name} has no default: fails if the table has rows`,
          }
        : { hazards: [] };
    case "add_primary_key":
    case "add_unique":
    case "add_check":
    case "add_foreign_key":
      return onExisting(op.table)
        ? { hazards: ["data-dependent"], reason: `a new constraint on ${op.table} fails if existing rows break it` }
        : { hazards: [] };
    case "create_index":
      return op.index.unique && onExisting(op.table)
        ? { hazards: ["data-dependent"], reason: `a unique index on ${op.table} fails on duplicates` }
        : { hazards: [] };
    case "alter_enum_type": {
      const change = enumChange(op);
      return change.kind === "replace" && change.removed.length > 0
        ? {
            hazards: ["data-dependent"],
            reason: `removes ${change.removed.join(", ")} from enum type ${op.name}: fails if a row holds one`,
          }
        : { hazards: [] };
    }
    default:
      return { hazards: [] };
  }
}

/** The hazards of every operation of a plan (a created table's own constraints are harmless). */
export function planHazards(ops: readonly Operation[]): OperationHazards[] {
  const created = new Set(ops.flatMap((op) => (op.kind === "create_table" ? [op.table.name] : [])));
  return ops.map((operation) => ({ operation, ...hazardsOf(operation, created) }));
}

/** True when any operation loses data. */
export function isDestructive(ops: readonly Operation[]): boolean {
  return planHazards(ops).some((h) => h.hazards.includes("destructive"));
}
