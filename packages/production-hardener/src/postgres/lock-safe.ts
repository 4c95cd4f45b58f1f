/**
 * A production upgrade split into migrations that are safe on a live database (the rules squawk and
 * postgrestools check): nothing holds a lock that blocks reads or writes while it scans or builds.
 *
 * 1. `main` (one transaction): everything quick. New constraints on existing tables are added
 *    `NOT VALID` (new rows are checked at once, old ones later); a column that becomes NOT NULL is
 *    filled, guarded and given `CHECK (column IS NOT NULL) NOT VALID`.
 * 2. `concurrent`: each index built or dropped `CONCURRENTLY`, alone in its migration (no
 *    transaction); a new UNIQUE constraint is built as its unique index here. New indexes are built
 *    before old ones are dropped, so a replaced index is never missing: one that keeps its name is
 *    built under a temporary name, and takes the name once the old one is gone.
 * 3. `attach` (one transaction): each UNIQUE constraint takes over its index (`USING INDEX`), and
 *    the foreign keys that reference it are added.
 * 4. `validate` (one transaction): the old rows are checked (`VALIDATE CONSTRAINT`: no write lock),
 *    and NOT NULL is set through the validated check (no scan), which is then dropped.
 *
 * Tables the plan creates hold no rows: their operations stay in `main`, unchanged.
 */
import type {
  AddForeignKey,
  AlterColumnNullable,
  Operation,
  UniqueConstraint,
  ValidateConstraint,
} from "@dbgen/schema-core";
import { shortenIdentifier } from "@dbgen/schema-core";

export interface LockSafeSteps {
  readonly main: readonly Operation[];
  /** Each one its own migration: builds first, then drops, then the renames of same-name replacements. */
  readonly concurrent: readonly Operation[];
  readonly attach: readonly Operation[];
  readonly validate: readonly Operation[];
}

/** The name of the temporary `CHECK (column IS NOT NULL)` that makes SET NOT NULL need no scan. */
function notNullCheckName(table: string, column: string): string {
  return shortenIdentifier(`${table}_${column}_not_null`);
}

const key = (table: string, columns: readonly string[]): string => `${table}(${columns.join(",")})`;

function validation(op: { table: string; schema?: string }, name: string): ValidateConstraint {
  return { kind: "validate_constraint", table: op.table, name, ...(op.schema ? { schema: op.schema } : {}) };
}

function notNullInTwoSteps(op: AlterColumnNullable): [AlterColumnNullable, AlterColumnNullable] {
  const name = notNullCheckName(op.table, op.column);
  const { backfill: _backfill, ...rest } = op;
  return [
    { ...op, viaCheck: { name, step: "guard" } },
    { ...rest, viaCheck: { name, step: "enforce" } },
  ];
}

export function lockSafeSteps(ops: readonly Operation[]): LockSafeSteps {
  const created = new Set(ops.flatMap((op) => (op.kind === "create_table" ? [op.table.name] : [])));
  const existing = (table: string): boolean => !created.has(table);
  const deferredUniques = new Set(
    ops.flatMap((op) => (op.kind === "add_unique" && existing(op.table) ? [key(op.table, op.unique.columns)] : [])),
  );
  const referencesDeferred = (op: AddForeignKey): boolean =>
    op.foreignKey.referencedSchema === undefined &&
    deferredUniques.has(key(op.foreignKey.referencedTable, op.foreignKey.referencedColumns));
  const main: Operation[] = [];
  const drops: Operation[] = [];
  const builds: Operation[] = [];
  const attach: Operation[] = [];
  const checks: Operation[] = [];
  const notNulls: Operation[] = [];
  const uniqueIndex = (table: string, unique: UniqueConstraint, schema?: string): Operation => ({
    kind: "create_index",
    table,
    index: { name: unique.name, columns: unique.columns, unique: true },
    concurrently: true,
    ...(schema ? { schema } : {}),
  });
  const renames: Operation[] = [];
  const replaced = new Set(
    ops.flatMap((op) => (op.kind === "drop_index" && existing(op.table) ? [key(op.table, [op.index.name])] : [])),
  );
  for (const op of ops) {
    if (op.kind === "create_index" && existing(op.table) && replaced.has(key(op.table, [op.index.name]))) {
      const temporary = shortenIdentifier(`${op.index.name}_new`);
      builds.push({ ...op, index: { ...op.index, name: temporary }, concurrently: true });
      renames.push({
        kind: "rename_index",
        table: op.table,
        from: temporary,
        to: op.index.name,
        ...(op.schema ? { schema: op.schema } : {}),
      });
    } else if (op.kind === "create_index" && existing(op.table)) builds.push({ ...op, concurrently: true });
    else if (op.kind === "drop_index" && existing(op.table)) drops.push({ ...op, concurrently: true });
    else if (op.kind === "add_unique" && existing(op.table)) {
      builds.push(uniqueIndex(op.table, op.unique, op.schema));
      attach.push({ ...op, usingIndex: true });
    } else if (op.kind === "add_foreign_key" && referencesDeferred(op)) {
      attach.push(existing(op.table) ? { ...op, notValid: true } : op);
      if (existing(op.table)) checks.push(validation(op, op.foreignKey.name));
    } else if ((op.kind === "add_foreign_key" || op.kind === "add_check") && existing(op.table)) {
      main.push({ ...op, notValid: true });
      checks.push(validation(op, op.kind === "add_check" ? op.check.name : op.foreignKey.name));
    } else if (op.kind === "alter_column_nullable" && !op.nullable && existing(op.table)) {
      const [guard, enforce] = notNullInTwoSteps(op);
      main.push(guard);
      notNulls.push(enforce);
    } else main.push(op);
  }
  return { main, concurrent: [...builds, ...drops, ...renames], attach, validate: [...checks, ...notNulls] };
}
