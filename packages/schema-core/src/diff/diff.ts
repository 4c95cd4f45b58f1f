/**
 * The diff engine: (from, to, renames) → an ordered, typed list of operations, with the warnings
 * and hazards a person should see before applying it.
 */

import type { Diagnostic } from "../diagnostics.js";
import { indexShape } from "../ir/index-shape.js";
import { SUPABASE_ROLES } from "../ir/roles.js";
import type {
  Column,
  ColumnDefault,
  ForeignKey,
  ForeignTrigger,
  FunctionDef,
  Grant,
  Policy,
  Schema,
  Table,
  Trigger,
} from "../ir/types.js";
import { canonicalize } from "../snapshot/snapshot.js";
import type { EnumColumn, Operation } from "./operations.js";
import { creationOrder, foreignKeyId } from "./order.js";
import { requiredExtensions, sameType } from "./types.js";

/** A column rename: in table `table`, `from` (old name) becomes `to`. */
export interface ColumnRename {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Decides renames the model did not declare with `renamedFrom`: given a table's dropped and added
 * columns, it returns the pairs that are renames (a prompt, or a CI answer file). Never a guess.
 */
export type RenameResolver = (
  table: string,
  dropped: readonly Column[],
  added: readonly Column[],
) => readonly ColumnRename[];

export interface DiffOptions {
  readonly renames?: RenameResolver;
}

export interface MigrationPlan {
  /** Operations in the order they must run. */
  readonly operations: readonly Operation[];
  readonly warnings: readonly Diagnostic[];
}

function sameDefault(a: ColumnDefault | undefined, b: ColumnDefault | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === "literal" && b.kind === "literal") return a.value === b.value;
  if (a.kind === "expression" && b.kind === "expression") return a.sql === b.sql;
  return false;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function sameForeignKey(a: ForeignKey, b: ForeignKey): boolean {
  return (
    a.referencedTable === b.referencedTable &&
    a.referencedSchema === b.referencedSchema &&
    sameList(a.columns, b.columns) &&
    sameList(a.referencedColumns, b.referencedColumns) &&
    a.onDelete === b.onDelete &&
    a.onUpdate === b.onUpdate
  );
}

/** Renames declared by `renamedFrom` or decided by the resolver, for tables present in both schemas. */
function resolveRenames(from: Schema, to: Schema, resolver: RenameResolver | undefined): ColumnRename[] {
  const renames: ColumnRename[] = [];
  const fromTables = new Map(from.tables.map((t) => [t.name, t]));
  for (const toTable of to.tables) {
    const fromTable = fromTables.get(toTable.name);
    if (!fromTable) continue;
    const fromNames = new Set(fromTable.columns.map((c) => c.name));
    const toNames = new Set(toTable.columns.map((c) => c.name));
    const claimed = new Set<string>();
    for (const column of toTable.columns) {
      const old = column.renamedFrom;
      if (old && !fromNames.has(column.name) && fromNames.has(old) && !toNames.has(old) && !claimed.has(old)) {
        renames.push({ table: toTable.name, from: old, to: column.name });
        claimed.add(old);
      }
    }
    if (resolver) {
      const renamedTo = new Set(renames.filter((r) => r.table === toTable.name).map((r) => r.to));
      const dropped = fromTable.columns.filter((c) => !toNames.has(c.name) && !claimed.has(c.name));
      const added = toTable.columns.filter((c) => !fromNames.has(c.name) && !renamedTo.has(c.name));
      if (dropped.length > 0 && added.length > 0) {
        for (const r of resolver(toTable.name, dropped, added)) {
          if (dropped.some((c) => c.name === r.from) && added.some((c) => c.name === r.to))
            renames.push({ ...r, table: toTable.name });
        }
      }
    }
  }
  return renames;
}

/** `schema` as it is after the renames ran: columns and every reference to them renamed. */
function applyRenames(schema: Schema, renames: readonly ColumnRename[]): Schema {
  if (renames.length === 0) return schema;
  const rename = (table: string, column: string): string =>
    renames.find((r) => r.table === table && r.from === column)?.to ?? column;
  const tables = schema.tables.map((t): Table => {
    const own = (c: string): string => rename(t.name, c);
    return {
      ...t,
      columns: t.columns.map((c) => ({ ...c, name: own(c.name) })),
      ...(t.primaryKey ? { primaryKey: { ...t.primaryKey, columns: t.primaryKey.columns.map(own) } } : {}),
      foreignKeys: t.foreignKeys.map((fk) => ({
        ...fk,
        columns: fk.columns.map(own),
        referencedColumns: fk.referencedSchema
          ? fk.referencedColumns
          : fk.referencedColumns.map((c) => rename(fk.referencedTable, c)),
      })),
      uniques: t.uniques.map((u) => ({ ...u, columns: u.columns.map(own) })),
      indexes: t.indexes.map((i) => ({ ...i, columns: i.columns.map(own) })),
    };
  });
  return { ...schema, tables };
}

/** Diffs the named constraints or indexes of one table: same name and same shape is kept. */
function diffNamed<T extends { readonly name: string }>(
  from: readonly T[],
  to: readonly T[],
  same: (a: T, b: T) => boolean,
  drop: (item: T) => Operation,
  add: (item: T) => Operation,
): Operation[] {
  const ops: Operation[] = [];
  const toByName = new Map(to.map((x) => [x.name, x]));
  const fromByName = new Map(from.map((x) => [x.name, x]));
  for (const item of from) {
    const next = toByName.get(item.name);
    if (!next || !same(item, next)) ops.push(drop(item));
  }
  for (const item of to) {
    const prev = fromByName.get(item.name);
    if (!prev || !same(prev, item)) ops.push(add(item));
  }
  return ops;
}

function diffColumns(from: Table, to: Table): Operation[] {
  const ops: Operation[] = [];
  const fromColumns = new Map(from.columns.map((c) => [c.name, c]));
  const toNames = new Set(to.columns.map((c) => c.name));
  for (const column of to.columns) {
    const prev = fromColumns.get(column.name);
    if (!prev) {
      ops.push({ kind: "add_column", table: to.name, column });
      continue;
    }
    // PostgreSQL 15 cannot change a generation expression, nor make a column generated or plain:
    // the column is made again (its values are computed, so nothing is lost).
    if (prev.generated !== column.generated) {
      ops.push(
        { kind: "drop_column", table: to.name, column: prev, remade: true },
        { kind: "add_column", table: to.name, column, remade: true },
      );
      continue;
    }
    if (!sameType(prev.type, column.type)) {
      // A default is an expression of the old type: it goes before the type changes, and the new
      // one comes after (PostgreSQL would cast the old default, or refuse the new one, otherwise).
      if (prev.default)
        ops.push({ kind: "alter_column_default", table: to.name, column: column.name, from: prev.default });
      ops.push({
        kind: "alter_column_type",
        table: to.name,
        column: column.name,
        from: prev.type,
        to: column.type,
        ...(column.using !== undefined ? { using: column.using } : {}),
      });
      if (column.default)
        ops.push({ kind: "alter_column_default", table: to.name, column: column.name, to: column.default });
    } else if (!sameDefault(prev.default, column.default)) {
      ops.push({
        kind: "alter_column_default",
        table: to.name,
        column: column.name,
        ...(prev.default ? { from: prev.default } : {}),
        ...(column.default ? { to: column.default } : {}),
      });
    }
    if (prev.nullable !== column.nullable) {
      ops.push({ kind: "alter_column_nullable", table: to.name, column: column.name, nullable: column.nullable });
    }
    if ((prev.autoIncrement === true) !== (column.autoIncrement === true))
      ops.push({
        kind: "alter_column_identity",
        table: to.name,
        column: column.name,
        identity: column.autoIncrement === true,
      });
    if (prev.comment !== column.comment) {
      ops.push({
        kind: "set_column_comment",
        table: to.name,
        column: column.name,
        ...(prev.comment !== undefined ? { from: prev.comment } : {}),
        ...(column.comment !== undefined ? { to: column.comment } : {}),
      });
    }
  }
  for (const column of from.columns) {
    if (!toNames.has(column.name)) ops.push({ kind: "drop_column", table: to.name, column });
  }
  return ops;
}

function diffTable(from: Table, to: Table): Operation[] {
  const ops: Operation[] = [...diffColumns(from, to)];
  const t = to.name;
  const fromPk = from.primaryKey ? [from.primaryKey] : [];
  const toPk = to.primaryKey ? [to.primaryKey] : [];
  ops.push(
    ...diffNamed(
      fromPk,
      toPk,
      (a, b) => sameList(a.columns, b.columns),
      (primaryKey) => ({ kind: "drop_primary_key", table: t, primaryKey }),
      (primaryKey) => ({ kind: "add_primary_key", table: t, primaryKey }),
    ),
    ...diffNamed(
      from.foreignKeys,
      to.foreignKeys,
      sameForeignKey,
      (foreignKey) => ({ kind: "drop_foreign_key", table: t, foreignKey }),
      (foreignKey) => ({ kind: "add_foreign_key", table: t, foreignKey }),
    ),
    ...diffNamed(
      from.uniques,
      to.uniques,
      (a, b) => sameList(a.columns, b.columns),
      (unique) => ({ kind: "drop_unique", table: t, unique }),
      (unique) => ({ kind: "add_unique", table: t, unique }),
    ),
    ...diffNamed(
      from.checks,
      to.checks,
      (a, b) => a.expression === b.expression,
      (check) => ({ kind: "drop_check", table: t, check }),
      (check) => ({ kind: "add_check", table: t, check }),
    ),
    ...diffNamed(
      from.indexes,
      to.indexes,
      (a, b) => indexShape(a) === indexShape(b),
      (index) => ({ kind: "drop_index", table: t, index }),
      (index) => ({ kind: "create_index", table: t, index }),
    ),
  );
  if (from.comment !== to.comment) {
    ops.push({
      kind: "set_table_comment",
      table: t,
      ...(from.comment !== undefined ? { from: from.comment } : {}),
      ...(to.comment !== undefined ? { to: to.comment } : {}),
    });
  }
  return ops;
}

/**
 * The explicit phase table: what must go before what. Triggers, policies and foreign keys are
 * dropped first, then constraints, tables, functions and schemas; then everything is created in the
 * opposite order, security last. Its mirror image is also valid, which is what makes a reversed,
 * inverted plan a correct down migration.
 */
export const PHASES: Readonly<Record<Operation["kind"], number>> = {
  drop_trigger: 0,
  drop_policy: 0,
  drop_foreign_key: 2,
  drop_index: 3,
  drop_unique: 3,
  drop_check: 3,
  drop_primary_key: 4,
  drop_table: 5,
  drop_extension: 5.5,
  // After the columns of a type are dropped (drop_column); its mirror, creation, before any is added.
  drop_enum_type: 16.5,
  drop_function: 6,
  drop_schema: 7,
  rename_column: 8,
  create_schema: 9,
  create_extension: 9.5,
  create_enum_type: 9.6,
  alter_enum_type: 9.7,
  create_function: 10,
  replace_function: 10,
  create_table: 11,
  add_column: 12,
  alter_column_default: 13,
  alter_column_type: 14,
  modify_column: 14,
  rebuild_table: 14,
  alter_column_nullable: 15,
  alter_column_identity: 15.5,
  drop_column: 16,
  add_primary_key: 17,
  add_unique: 18,
  add_check: 18,
  create_index: 19,
  rename_index: 19,
  add_foreign_key: 20,
  validate_constraint: 20,
  set_grants: 21,
  set_row_level_security: 22,
  create_policy: 23,
  create_trigger: 24,
  set_publication: 24.5,
  set_table_comment: 25,
  set_column_comment: 25,
};

/**
 * An operation's phase. Turning row-level security off, and handing a table's privileges back to the
 * database's defaults, happen early (before the table may be dropped); their opposites happen late.
 */
export function phaseOf(op: Operation): number {
  if (op.kind === "set_row_level_security" && !op.enabled) return 1;
  // Setting a default where there was none comes after a type change of the same column.
  if (op.kind === "alter_column_default" && op.from === undefined && op.to !== undefined)
    return PHASES.alter_column_type + 0.5;
  if (op.kind === "set_grants" && op.to === undefined) return 1;
  if (op.kind === "set_publication" && !op.member) return 1;
  if (op.kind === "drop_column" && op.remade) return PHASES.add_column - 0.1;
  // An identity needs NOT NULL and no default: it is added after both, and dropped before a
  // default or another type may take its place.
  if (op.kind === "alter_column_identity" && !op.identity) return PHASES.add_column + 0.5;
  return PHASES[op.kind];
}

function samePolicy(a: Policy, b: Policy): boolean {
  return (
    a.command === b.command &&
    a.permissive === b.permissive &&
    sameList(a.roles, b.roles) &&
    a.using === b.using &&
    a.withCheck === b.withCheck
  );
}
function sameTrigger(a: Trigger, b: Trigger): boolean {
  return (
    a.timing === b.timing &&
    a.function === b.function &&
    sameList(a.events, b.events) &&
    sameList(a.args ?? [], b.args ?? [])
  );
}
function grantsKey(grants: readonly Grant[] | undefined): string {
  return grants === undefined ? "" : JSON.stringify([...grants].map((g) => [g.role, [...g.privileges].sort()]).sort());
}

/** Row-level security, policies, triggers and grants of one table (either side may be absent). */
function securityOps(from: Table | undefined, to: Table | undefined, roles: readonly string[]): Operation[] {
  const table = (to ?? from) as Table;
  const t = { table: table.name, ...(table.schema ? { schema: table.schema } : {}) };
  const ops: Operation[] = [];
  const before = from?.rowLevelSecurity === true;
  const after = to?.rowLevelSecurity === true;
  if (before !== after) ops.push({ kind: "set_row_level_security", ...t, enabled: after });
  ops.push(
    ...diffNamed(
      from?.policies ?? [],
      to?.policies ?? [],
      samePolicy,
      (policy) => ({ kind: "drop_policy", ...t, policy }),
      (policy) => ({ kind: "create_policy", ...t, policy }),
    ),
    ...diffNamed(
      from?.triggers ?? [],
      to?.triggers ?? [],
      sameTrigger,
      (trigger) => ({ kind: "drop_trigger", ...t, trigger }),
      (trigger) => ({ kind: "create_trigger", ...t, trigger }),
    ),
  );
  const fromPublications = new Set(from?.publications ?? []);
  const toPublications = new Set(to?.publications ?? []);
  for (const publication of fromPublications)
    if (!toPublications.has(publication)) ops.push({ kind: "set_publication", ...t, publication, member: false });
  for (const publication of toPublications)
    if (!fromPublications.has(publication)) ops.push({ kind: "set_publication", ...t, publication, member: true });
  if (grantsKey(from?.grants) !== grantsKey(to?.grants)) {
    ops.push({
      kind: "set_grants",
      ...t,
      roles,
      ...(from?.grants ? { from: from.grants } : {}),
      ...(to?.grants ? { to: to.grants } : {}),
    });
  }
  return ops;
}

/** Adds the table's schema to every operation on it, for tables outside the plan's own schema. */
function inSchema(ops: readonly Operation[], schema: string | undefined): Operation[] {
  if (!schema) return [...ops];
  return ops.map((op) =>
    op.kind === "create_table" || op.kind === "drop_table" || !("table" in op) ? op : ({ ...op, schema } as Operation),
  );
}

// The signature: a function whose parameters or result change is another one (dropped, created).
const functionKey = (f: FunctionDef): string =>
  `${f.schema}.${f.name}(${(f.parameters ?? []).map((p) => p.type).join(",")})${f.returns}`;

/** Triggers on tables the schema does not own: dropped and created like a table's own. */
function foreignTriggerOps(from: Schema, to: Schema): Operation[] {
  const key = (x: ForeignTrigger) => `${x.schema}.${x.table}.${x.trigger.name}`;
  const before = new Map((from.foreignTriggers ?? []).map((x) => [key(x), x]));
  const after = new Map((to.foreignTriggers ?? []).map((x) => [key(x), x]));
  const ops: Operation[] = [];
  const on = (x: ForeignTrigger) => ({ table: x.table, schema: x.schema, trigger: x.trigger });
  for (const [k, x] of before) {
    const next = after.get(k);
    if (!next || !sameTrigger(x.trigger, next.trigger)) ops.push({ kind: "drop_trigger", ...on(x) });
  }
  for (const [k, x] of after) {
    const prev = before.get(k);
    if (!prev || !sameTrigger(prev.trigger, x.trigger)) ops.push({ kind: "create_trigger", ...on(x) });
  }
  return ops;
}

/** Extra schemas, extensions and functions: created, dropped, or replaced when their definition changed. */
function schemaLevelOps(from: Schema, to: Schema): Operation[] {
  const ops: Operation[] = [];
  const fromExtensions = requiredExtensions(from);
  const toExtensions = requiredExtensions(to);
  for (const name of fromExtensions) if (!toExtensions.includes(name)) ops.push({ kind: "drop_extension", name });
  for (const name of toExtensions) if (!fromExtensions.includes(name)) ops.push({ kind: "create_extension", name });
  ops.push(...enumTypeOps(from, to));
  const fromSchemas = new Map((from.extraSchemas ?? []).map((x) => [x.name, x]));
  const toSchemas = new Map((to.extraSchemas ?? []).map((x) => [x.name, x]));
  for (const [name, schema] of fromSchemas) if (!toSchemas.has(name)) ops.push({ kind: "drop_schema", schema });
  for (const [name, schema] of toSchemas) if (!fromSchemas.has(name)) ops.push({ kind: "create_schema", schema });
  const fromFns = new Map((from.functions ?? []).map((f) => [functionKey(f), f]));
  const toFns = new Map((to.functions ?? []).map((f) => [functionKey(f), f]));
  for (const [key, fn] of fromFns) if (!toFns.has(key)) ops.push({ kind: "drop_function", fn });
  ops.push(...foreignTriggerOps(from, to));
  for (const [key, fn] of toFns) {
    const prev = fromFns.get(key);
    if (!prev) ops.push({ kind: "create_function", fn });
    // Compared key-order-free: a function read back from a state file has its keys sorted.
    else if (JSON.stringify(canonicalize(prev)) !== JSON.stringify(canonicalize(fn)))
      ops.push({ kind: "replace_function", from: prev, to: fn });
  }
  return ops;
}

/** Enum types created, dropped, or changed in their values (with the columns a change converts). */
function enumTypeOps(from: Schema, to: Schema): Operation[] {
  const ops: Operation[] = [];
  const toTypes = new Map((to.enumTypes ?? []).map((e) => [e.name, e]));
  const fromTypes = new Map((from.enumTypes ?? []).map((e) => [e.name, e]));
  for (const [name, type] of fromTypes) if (!toTypes.has(name)) ops.push({ kind: "drop_enum_type", type });
  for (const [name, type] of toTypes) {
    const prev = fromTypes.get(name);
    if (!prev) ops.push({ kind: "create_enum_type", type });
    else if (!sameList(prev.values, type.values))
      ops.push({
        kind: "alter_enum_type",
        name,
        from: prev.values,
        to: type.values,
        columns: enumColumns(from, to, name),
        fromDefaults: enumDefaults(from, name),
        toDefaults: enumDefaults(to, name),
      });
  }
  return ops;
}

/** The literal defaults of the columns of enum type `name`, sorted. */
function enumDefaults(schema: Schema, name: string): string[] {
  const values = schema.tables.flatMap((t) =>
    t.columns.flatMap((c) =>
      c.type.name === "enum" && c.type.enumType === name && c.default?.kind === "literal"
        ? [String(c.default.value)]
        : [],
    ),
  );
  return [...new Set(values)].sort();
}

/** The columns of `name` that stay through the plan (on tables in both schemas), with their defaults. */
function enumColumns(from: Schema, to: Schema, name: string): EnumColumn[] {
  const of = (c: Column) => c.type.name === "enum" && c.type.enumType === name;
  const toTables = new Map(to.tables.filter((t) => !t.schema).map((t) => [t.name, t]));
  return from.tables
    .filter((t) => !t.schema && toTables.has(t.name))
    .flatMap((t) =>
      t.columns.filter(of).map((c): EnumColumn => {
        const after = toTables.get(t.name)?.columns.find((x) => x.name === c.name && of(x)) ?? c;
        return {
          table: t.name,
          column: c.name,
          ...(c.type.array ? { array: true as const } : {}),
          ...(c.default ? { from: c.default } : {}),
          ...(after.default ? { to: after.default } : {}),
        };
      }),
    );
}

/**
 * Diffs two schemas. Renames come only from `renamedFrom` on a `to` column or from the injected
 * resolver; anything else missing is dropped and anything new is added.
 *
 * @example
 * const plan = diffSchemas(emptySchema(), schema);
 * const up = renderPostgres(plan.operations);
 * const down = renderPostgres(invertOperations(plan.operations));
 */
export function diffSchemas(from: Schema, to: Schema, options: DiffOptions = {}): MigrationPlan {
  const renames = resolveRenames(from, to, options.renames);
  const start = applyRenames(from, renames);
  const roles = to.managedRoles ?? from.managedRoles ?? SUPABASE_ROLES;
  // Tables in other database schemas (production's audit log) stand apart: no foreign keys, no order.
  const main = (s: Schema) => s.tables.filter((t) => !t.schema);
  const aux = (s: Schema) => new Map(s.tables.filter((t) => t.schema).map((t) => [`${t.schema}.${t.name}`, t]));
  const fromTables = new Map(main(start).map((t) => [t.name, t]));
  const toTables = new Map(main(to).map((t) => [t.name, t]));
  const warnings: Diagnostic[] = [];
  const ops: Operation[] = [
    ...renames.map((r): Operation => ({ kind: "rename_column", table: r.table, from: r.from, to: r.to })),
    ...schemaLevelOps(start, to),
  ];

  // Dropped tables: their triggers, policies and foreign keys go first (so cycles among them untie),
  // then the tables in the reverse of their creation order.
  const dropped = main(start).filter((t) => !toTables.has(t.name));
  const dropOrder = creationOrder(dropped).order.slice().reverse();
  for (const name of dropOrder) {
    const table = fromTables.get(name);
    if (!table) continue;
    ops.push(...securityOps(table, undefined, roles));
    const own = (fk: ForeignKey) => fk.referencedTable === name && fk.referencedSchema === undefined;
    const external = table.foreignKeys.filter((fk) => !own(fk));
    for (const foreignKey of external) ops.push({ kind: "drop_foreign_key", table: name, foreignKey });
    ops.push({ kind: "drop_table", table: { ...table, foreignKeys: table.foreignKeys.filter(own) } });
  }

  // Created tables: in creation order, each with the foreign keys it can hold inline; the rest
  // (cycles) are added after every table exists; then their security.
  const created = main(to).filter((t) => !fromTables.has(t.name));
  const creation = creationOrder(created);
  for (const cycle of creation.cycles) {
    warnings.push({
      severity: "warning",
      code: "CIRCULAR_REFERENCE",
      path: cycle.join(" ↔ "),
      message: `Tables ${cycle.join(", ")} reference each other`,
      fix: "nothing to do: those foreign keys are added after the tables are created",
    });
  }
  const deferredFks: Operation[] = [];
  for (const name of creation.order) {
    const table = toTables.get(name);
    if (!table) continue;
    const inline: ForeignKey[] = [];
    for (const foreignKey of table.foreignKeys) {
      if (creation.deferred.has(foreignKeyId(name, foreignKey)))
        deferredFks.push({ kind: "add_foreign_key", table: name, foreignKey });
      else inline.push(foreignKey);
    }
    ops.push(
      { kind: "create_table", table: { ...table, foreignKeys: inline } },
      ...securityOps(undefined, table, roles),
    );
  }
  ops.push(...deferredFks);

  for (const toTable of main(to)) {
    const fromTable = fromTables.get(toTable.name);
    if (fromTable) ops.push(...diffTable(fromTable, toTable), ...securityOps(fromTable, toTable, roles));
  }

  const fromAux = aux(start);
  const toAux = aux(to);
  for (const [key, table] of fromAux)
    if (!toAux.has(key)) ops.push(...securityOps(table, undefined, roles), { kind: "drop_table", table });
  for (const [key, table] of toAux) {
    const prev = fromAux.get(key);
    if (!prev) ops.push({ kind: "create_table", table }, ...securityOps(undefined, table, roles));
    else ops.push(...inSchema(diffTable(prev, table), table.schema), ...securityOps(prev, table, roles));
  }
  return { operations: orderOperations(ops), warnings };
}

/** Stable sort by phase; within a phase the diff's own order (tables by name, creation order) stays. */
export function orderOperations(ops: readonly Operation[]): Operation[] {
  return ops
    .map((op, index) => ({ op, index }))
    .sort((a, b) => phaseOf(a.op) - phaseOf(b.op) || a.index - b.index)
    .map((x) => x.op);
}
