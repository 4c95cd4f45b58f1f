/**
 * Expand, then contract (spec §5, production changes): a column renamed on a table that may hold rows
 * is not renamed in place — the app still running reads and writes the old name — nor is its type
 * changed by a rewrite under the table's lock. The **expand** keeps the old column beside the new one
 * (for a type change that keeps the name, a shadow column of the new type), a trigger keeping both
 * equal whichever a request writes, and a batched backfill; the **contract** (`dbgen harden
 * --complete`, after the app moved) drops the old column and the trigger, and gives a shadow its
 * name. The pending changes ride in the production state's meta until then.
 */
import {
  CLIENT_EXECUTE_REVOKE,
  type Column,
  diffSchemas,
  type FunctionDef,
  type Index,
  type Operation,
  postgresDialect,
  quoteIdent,
  type Schema,
  type SqlType,
  shortenIdentifier,
  type Table,
  typeChangeKind,
} from "@dbgen/schema-core";
import { PRIVATE_SCHEMA } from "./functions.js";

/**
 * A column change waiting for its contract: a rename (`from` → `to`), a type change (`type`), or both.
 * A type change without a rename keeps the column's name: its new type lives in a `shadow` column
 * until the contract drops the old one and gives the shadow the name.
 */
export interface PendingChange {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  /** The SQL types before and after, when the type changes. */
  readonly type?: { readonly from: string; readonly to: string };
  /** The column holding the new type until the contract (a type change that keeps the name). */
  readonly shadow?: string;
}

/** What a pending change is, in a phrase: `messages.body → content`, `orders.total: integer → bigint`. */
export function describeChange(p: PendingChange): string {
  const name = p.from === p.to ? `${p.table}.${p.to}` : `${p.table}.${p.from} → ${p.to}`;
  return p.type ? `${name}: ${p.type.from} → ${p.type.to}` : name;
}

/** A column type as PostgreSQL names it, an enum type qualified with the tables' schema. */
function typeSql(schema: string, type: SqlType): string {
  return type.name === "enum"
    ? `${quoteIdent(schema)}.${quoteIdent(type.enumType ?? "")}${type.array ? "[]" : ""}`
    : postgresDialect.renderType(type);
}

const mentionsName = (text: string | undefined, name: string): boolean =>
  text !== undefined && new RegExp(`(^|[^a-z0-9_$])"?${name}"?($|[^a-z0-9_$])`).test(text);

/**
 * A column whose type changes in place even on a table with rows (a rewrite under the table's lock):
 * a key, a reference either way, a unique column, a generated or identity one, or one a policy reads.
 * The expand copies plain columns and their indexes only.
 */
function changesInPlace(schema: Schema, table: Table, column: Column): boolean {
  const name = column.name;
  if (column.generated !== undefined || column.autoIncrement === true) return true;
  if (table.primaryKey?.columns.includes(name)) return true;
  if (table.foreignKeys.some((fk) => fk.columns.includes(name))) return true;
  if (table.uniques.some((u) => u.columns.includes(name))) return true;
  if ((table.policies ?? []).some((p) => mentionsName(p.using, name) || mentionsName(p.withCheck, name))) return true;
  return schema.tables.some((t) =>
    t.foreignKeys.some((fk) => fk.referencedTable === table.name && fk.referencedColumns.includes(name)),
  );
}

/** The name of the column holding a type change's new type until the contract. */
const shadowName = (column: string) => shortenIdentifier(`_dbgen_new_${column}`);
const shadowIndex = (index: string) => shortenIdentifier(`${index}_dbgen_new`);

/** Each column of `target` on a table `previous` has, with the column it was (by name or renamed). */
function columnsBefore(previous: Schema, target: Schema) {
  const renames = diffSchemas(previous, target).operations.flatMap((op) =>
    op.kind === "rename_column" && previous.tables.some((t) => t.name === op.table) ? [op] : [],
  );
  return target.tables.flatMap((t) => {
    const before = previous.tables.find((x) => x.name === t.name);
    if (!before) return [];
    return t.columns.flatMap((c) => {
      const rename = renames.find((r) => r.table === t.name && r.to === c.name);
      const old = before.columns.find((x) => x.name === (rename ? rename.from : c.name));
      return old ? [{ table: t, before, column: c, old, renamed: rename !== undefined }] : [];
    });
  });
}

/**
 * The renames and type changes from `previous` to `target` on tables `previous` has (tables that may
 * hold rows). A type change that only touches the catalog (a longer varchar, text) is not expanded,
 * nor one `changesInPlace` keeps in place.
 */
export function changesBetween(previous: Schema, target: Schema): PendingChange[] {
  return columnsBefore(previous, target).flatMap(({ table, before, column, old, renamed }): PendingChange[] => {
    const kind = typeChangeKind(old.type, column.type);
    const type =
      kind === "in-place"
        ? undefined
        : { from: typeSql(previous.name, old.type), to: typeSql(target.name, column.type) };
    const change = { table: table.name, from: old.name, to: column.name, ...(type ? { type } : {}) };
    if (renamed) return [change];
    if (!type || changesInPlace(target, table, column) || changesInPlace(previous, before, old)) return [];
    return [{ ...change, shadow: shadowName(column.name) }];
  });
}

/** A type change PostgreSQL cannot cast implicitly, with no conversion in the model. */
export interface MissingConversion {
  readonly table: string;
  /** The BUSM entity of the table, when known. */
  readonly entity?: string;
  readonly column: string;
  readonly from: string;
  readonly to: string;
}

/** The type changes from `previous` to `target` that need the model's `using` and lack it. */
export function missingConversions(previous: Schema, target: Schema): MissingConversion[] {
  return columnsBefore(previous, target).flatMap(({ table, column, old }) =>
    column.using === undefined && typeChangeKind(old.type, column.type) === "conversion"
      ? [
          {
            table: table.name,
            ...(table.entity !== undefined ? { entity: table.entity } : {}),
            column: column.name,
            from: typeSql(previous.name, old.type),
            to: typeSql(target.name, column.type),
          },
        ]
      : [],
  );
}

/** The pending changes a state's meta holds (`expand`: their JSON). */
export function pendingChanges(meta: Readonly<Record<string, unknown>> | undefined): PendingChange[] {
  let list: unknown;
  try {
    list = typeof meta?.expand === "string" ? JSON.parse(meta.expand) : undefined;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const text = (v: unknown) => typeof v === "string";
  return list.filter(
    (p): p is PendingChange =>
      typeof p === "object" &&
      p !== null &&
      text(p.table) &&
      text(p.from) &&
      text(p.to) &&
      (p.shadow === undefined || text(p.shadow)) &&
      (p.type === undefined || (typeof p.type === "object" && text(p.type?.from) && text(p.type?.to))),
  );
}

/**
 * The new value from the old one: the model's conversion (`using`, an expression over the column by
 * its new name, meaning its value before) evaluated on `source`, or `source` itself (PostgreSQL's
 * implicit cast on assignment).
 */
function converted(schema: string, column: Column, source: string): string {
  if (column.using === undefined) return source;
  return `(SELECT (${column.using})::${typeSql(schema, column.type)} FROM (SELECT ${source} AS ${quoteIdent(column.name)}) AS dbgen_before)`;
}

const syncFunctionName = (table: string) => shortenIdentifier(`expand_sync_${table}`);
const SYNC_TRIGGER = "expand_sync";

const mentions = (columns: readonly string[], name: string) => columns.includes(name);

/** One pending change of a table with its columns: the old one, and the new (the model's) one. */
interface Pair {
  readonly change: PendingChange;
  readonly from: Column;
  readonly to: Column;
  /** The new column's default, rendered (the trigger applies it: the columns go without defaults). */
  readonly fallback?: string;
}

/**
 * A rename keeps both columns equal: on insert the missing one from the other (the default when both
 * are missing: the columns go without defaults during the expand, so a default never hides which
 * one a request wrote); on update the one a request changed wins. A type change converts the old
 * value into the new type; going back, PostgreSQL's assignment cast.
 */
function renameLines(schema: string, { from, to, fallback }: Pair): { insert: string[]; update: string[] } {
  const [o, n] = [quoteIdent(from.name), quoteIdent(to.name)];
  const fromOld = converted(schema, to, `NEW.${o}`);
  return {
    insert: [
      `    NEW.${n} := coalesce(NEW.${n}, ${fromOld}${fallback ? `, ${fallback}` : ""});`,
      `    NEW.${o} := coalesce(NEW.${o}, NEW.${n});`,
    ],
    update: [
      `    IF NEW.${n} IS DISTINCT FROM OLD.${n} THEN`,
      `      NEW.${o} := NEW.${n};`,
      `    ELSIF NEW.${o} IS DISTINCT FROM OLD.${o} THEN`,
      `      NEW.${n} := ${fromOld};`,
      "    END IF;",
    ],
  };
}

/** A type change's shadow is the old column converted, whatever a request wrote: only the old one is the app's. */
function shadowLines(schema: string, { change, from, to }: Pair): { insert: string[]; update: string[] } {
  const line = `    NEW.${quoteIdent(change.shadow ?? "")} := ${converted(schema, to, `NEW.${quoteIdent(from.name)}`)};`;
  return { insert: [line], update: [line] };
}

function syncFunction(schema: string, table: Table, pairs: readonly Pair[]): FunctionDef {
  const lines = pairs.map((p) => (p.change.shadow ? shadowLines(schema, p) : renameLines(schema, p)));
  return {
    schema: PRIVATE_SCHEMA,
    name: syncFunctionName(table.name),
    language: "plpgsql",
    returns: "trigger",
    securityDefiner: false,
    revokeExecuteFrom: CLIENT_EXECUTE_REVOKE,
    comment: `dbgen: keeps the expanded columns of ${table.name} equal until dbgen harden --complete drops the old ones.`,
    body: `
BEGIN
  IF TG_OP = 'INSERT' THEN
${lines.flatMap((l) => l.insert).join("\n")}
  ELSE
${lines.flatMap((l) => l.update).join("\n")}
  END IF;
  RETURN NEW;
END;`,
  };
}

const bare = ({ renamedFrom: _r, default: _d, using: _u, ...rest }: Column): Column => rest;

/** The table's columns during the expand: each pending change's old column beside the new one. */
function expandColumns(t: Table, pairs: readonly Pair[]): Column[] {
  return t.columns.flatMap((c): Column[] => {
    const pair = pairs.find((p) => p.change.to === c.name);
    if (!pair) return [c];
    if (pair.change.shadow)
      return [pair.from, { ...bare(c), name: pair.change.shadow, expand: { role: "shadow", partner: c.name } }];
    return [
      { ...bare(pair.from), expand: { role: "old", partner: c.name } },
      { ...bare(c), expand: { role: "new", partner: pair.from.name } },
    ];
  });
}

/** A type change's indexes, copied onto its shadow under a name of their own (the contract renames them). */
function shadowIndexes(t: Table, pairs: readonly Pair[]): Index[] {
  return pairs.flatMap(({ change }) =>
    change.shadow
      ? t.indexes
          .filter((i) => mentions(i.columns, change.to))
          .map((i) => ({
            ...i,
            name: shadowIndex(i.name),
            columns: i.columns.map((c) => (c === change.to ? (change.shadow as string) : c)),
          }))
      : [],
  );
}

/** `target`'s table with the old columns of its pending changes back, and the trigger keeping them equal. */
function expandTable(schema: string, t: Table, before: Table, pending: readonly PendingChange[]) {
  const pairs: Pair[] = pending.map((change) => {
    const to = t.columns.find((c) => c.name === change.to) as Column;
    const from = before.columns.find((c) => c.name === change.from) as Column;
    const fallback = to.default && !change.shadow ? postgresDialect.renderDefault(to.default, to.type) : undefined;
    return { change, from, to, ...(fallback ? { fallback } : {}) };
  });
  const renamed = pending.filter((p) => !p.shadow);
  const old = (cols: readonly string[]) => renamed.some((p) => mentions(cols, p.from));
  const keep = <T extends { name: string; columns: readonly string[] }>(now: readonly T[], then: readonly T[]) => [
    ...now,
    ...then.filter((x) => old(x.columns) && !now.some((y) => y.name === x.name)),
  ];
  const fn = syncFunction(schema, t, pairs);
  const table: Table = {
    ...t,
    columns: expandColumns(t, pairs),
    indexes: [...keep(t.indexes, before.indexes), ...shadowIndexes(t, pairs)],
    uniques: keep(t.uniques, before.uniques),
    foreignKeys: keep(t.foreignKeys, before.foreignKeys),
    triggers: [
      ...(t.triggers ?? []),
      { name: SYNC_TRIGGER, timing: "before", events: ["insert", "update"], function: `${fn.schema}.${fn.name}` },
    ],
  };
  return { table, fn };
}

/**
 * The expand step's schema: `target` with every pending rename's old column kept as it was (the
 * trigger fills it from the new one), the new one without `renamedFrom` (it is added, not renamed), both without defaults
 * (the trigger applies the new one's), what pointed at the old column kept, and the sync trigger.
 * `required: false` also leaves the new columns nullable: the NOT NULL comes after the backfill.
 */
export function expandSchema(
  target: Schema,
  previous: Schema,
  pending: readonly PendingChange[],
  options: { readonly required?: boolean } = {},
): Schema {
  if (pending.length === 0) return target;
  const functions = [...(target.functions ?? [])];
  const tables = target.tables.map((t) => {
    const mine = pending.filter((p) => p.table === t.name);
    const before = previous.tables.find((x) => x.name === t.name);
    if (mine.length === 0 || !before) return t;
    const { table, fn } = expandTable(target.name, t, before, mine);
    functions.push(fn);
    if (options.required !== false) return table;
    const later = new Set(mine.map((p) => p.shadow ?? p.to));
    return { ...table, columns: table.columns.map((c) => (later.has(c.name) ? { ...c, nullable: true } : c)) };
  });
  return { ...target, tables, functions };
}

/** The contract step's target: the model's schema, its renamed columns already there under the new name. */
export function contractSchema(target: Schema, pending: readonly PendingChange[]): Schema {
  if (pending.length === 0) return target;
  const strip = (t: Table): Table => ({
    ...t,
    columns: t.columns.map((c) => {
      if (!pending.some((p) => p.table === t.name && p.to === c.name)) return c;
      const { renamedFrom: _r, ...rest } = c;
      return rest;
    }),
  });
  return { ...target, tables: target.tables.map(strip) };
}

/**
 * The batched backfill of the new columns from the old ones (converted as the model says): a DO block
 * that commits every 1,000 rows (so no lock is held longer than one batch, and a kill loses at most
 * the batch it was in: a rerun goes on where it stopped, as it only touches rows whose new column is
 * still NULL while the old one converts to a value). It runs outside a transaction, like a concurrent
 * index build. `model` is the model's schema: the new columns' types and conversions.
 */
export function backfillSql(model: Schema, pending: readonly PendingChange[], batch = 1000): string {
  const blocks = [...new Set(pending.map((p) => p.table))].map((name) => {
    const t = model.tables.find((x) => x.name === name);
    const key = (t?.primaryKey?.columns ?? ["id"]).map(quoteIdent);
    const mine = pending.flatMap((p) => {
      const column = t?.columns.find((c) => c.name === p.to);
      if (!column) return [];
      const value = converted(model.name, column, quoteIdent(p.from));
      const [target, source] = [quoteIdent(p.shadow ?? p.to), quoteIdent(p.from)];
      const converts = column.using === undefined ? "" : ` AND ${value} IS NOT NULL`;
      return [{ set: `${target} = ${value}`, missing: `(${target} IS NULL AND ${source} IS NOT NULL${converts})` }];
    });
    const table = `${quoteIdent(model.name)}.${quoteIdent(name)}`;
    const keys = key.length === 1 ? key[0] : `(${key.join(", ")})`;
    return `DO $dbgen_backfill$
DECLARE
  done bigint;
BEGIN
  LOOP
    UPDATE ${table} SET ${mine.map((m) => m.set).join(", ")}
    WHERE ${keys} IN (SELECT ${key.join(", ")} FROM ${table} WHERE ${mine.map((m) => m.missing).join(" OR ")} LIMIT ${batch});
    GET DIAGNOSTICS done = ROW_COUNT;
    EXIT WHEN done = 0;
    COMMIT;
  END LOOP;
END
$dbgen_backfill$;`;
  });
  return blocks.join("\n\n");
}

/** What fills each new column where the expand makes it required: the old column, converted. */
export function requiredFills(model: Schema, pending: readonly PendingChange[]) {
  return pending.flatMap((p) => {
    const column = model.tables.find((t) => t.name === p.table)?.columns.find((c) => c.name === p.to);
    return column
      ? [{ table: p.table, column: p.shadow ?? p.to, value: converted(model.name, column, quoteIdent(p.from)) }]
      : [];
  });
}

/**
 * The contract of the type changes that kept their name, run first: the checks that read the old
 * column go (the rest of the contract makes them again, NOT VALID then validated), the old column goes,
 * the shadow takes its name and the shadow's indexes theirs. Returns those operations and the schema
 * they leave, which the rest of the contract diffs from.
 */
export function contractSwap(
  expanded: Schema,
  pending: readonly PendingChange[],
): { operations: Operation[]; schema: Schema } {
  const operations: Operation[] = [];
  const tables = expanded.tables.map((t) => {
    let table = t;
    for (const p of pending.filter((x) => x.table === t.name && x.shadow)) {
      const [col, shadow] = [p.to, p.shadow as string];
      const old = table.columns.find((c) => c.name === col);
      if (!old || !table.columns.some((c) => c.name === shadow)) continue;
      const checks = table.checks.filter((c) => mentionsName(c.expression, col));
      operations.push(...checks.map((check): Operation => ({ kind: "drop_check", table: t.name, check })));
      operations.push({ kind: "drop_column", table: t.name, column: old });
      operations.push({ kind: "rename_column", table: t.name, from: shadow, to: col });
      const renamed = table.indexes.flatMap((i) => {
        const copy = mentions(i.columns, col) ? table.indexes.find((x) => x.name === shadowIndex(i.name)) : undefined;
        return copy ? [{ from: copy.name, index: { ...copy, name: i.name, columns: i.columns } }] : [];
      });
      operations.push(
        ...renamed.map((r): Operation => ({ kind: "rename_index", table: t.name, from: r.from, to: r.index.name })),
      );
      table = {
        ...table,
        checks: table.checks.filter((c) => !checks.includes(c)),
        columns: table.columns.flatMap((c) => {
          if (c.name === col) return [];
          if (c.name !== shadow) return [c];
          const { expand: _e, ...rest } = c;
          return [{ ...rest, name: col }];
        }),
        indexes: [
          ...table.indexes.filter((i) => !mentions(i.columns, col) && !renamed.some((r) => r.from === i.name)),
          ...renamed.map((r) => r.index),
        ],
      };
    }
    return table;
  });
  return { operations, schema: { ...expanded, tables } };
}
