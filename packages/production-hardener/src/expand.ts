/**
 * Expand, then contract (spec §5, production changes): a column renamed on a table that may hold rows
 * is not renamed in place — the app still running reads and writes the old name. The **expand** keeps
 * the old column beside the new one, a trigger keeping both equal whichever a request writes, and a
 * batched backfill; the **contract** (`dbgen harden --complete`, after the app moved) drops the old
 * column and the trigger. The pending renames ride in the production state's meta until then.
 */
import {
  type Column,
  diffSchemas,
  type FunctionDef,
  postgresDialect,
  quoteIdent,
  type Schema,
  shortenIdentifier,
  type Table,
} from "@dbgen/schema-core";
import { PRIVATE_SCHEMA } from "./functions.js";

/** A renamed column waiting for its contract. */
export interface PendingRename {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/** The renames from `previous` to `target` on tables `previous` has (tables that may hold rows). */
export function renamesBetween(previous: Schema, target: Schema): PendingRename[] {
  return diffSchemas(previous, target).operations.flatMap((op) =>
    op.kind === "rename_column" && previous.tables.some((t) => t.name === op.table)
      ? [{ table: op.table, from: op.from, to: op.to }]
      : [],
  );
}

/** The pending renames a state's meta holds (`expand`: their JSON). */
export function pendingRenames(meta: Readonly<Record<string, unknown>> | undefined): PendingRename[] {
  let list: unknown;
  try {
    list = typeof meta?.expand === "string" ? JSON.parse(meta.expand) : undefined;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is PendingRename =>
      typeof p === "object" &&
      p !== null &&
      typeof (p as PendingRename).table === "string" &&
      typeof (p as PendingRename).from === "string" &&
      typeof (p as PendingRename).to === "string",
  );
}

const syncFunctionName = (table: string) => shortenIdentifier(`expand_sync_${table}`);
const SYNC_TRIGGER = "expand_sync";

const mentions = (columns: readonly string[], name: string) => columns.includes(name);

/**
 * The function keeping each pair equal: on insert the missing one from the other (the default when
 * both are missing: the columns go without defaults during the expand, so a default never hides which
 * one a request wrote); on update the one a request changed wins.
 */
function syncFunction(table: Table, pairs: readonly { from: Column; to: Column; fallback?: string }[]): FunctionDef {
  const insert = pairs.flatMap(({ from, to, fallback }) => {
    const [o, n] = [`NEW.${quoteIdent(from.name)}`, `NEW.${quoteIdent(to.name)}`];
    return [`    ${n} := coalesce(${n}, ${o}${fallback ? `, ${fallback}` : ""});`, `    ${o} := coalesce(${o}, ${n});`];
  });
  const update = pairs.flatMap(({ from, to }) => {
    const [o, n] = [quoteIdent(from.name), quoteIdent(to.name)];
    return [
      `    IF NEW.${n} IS DISTINCT FROM OLD.${n} THEN`,
      `      NEW.${o} := NEW.${n};`,
      `    ELSIF NEW.${o} IS DISTINCT FROM OLD.${o} THEN`,
      `      NEW.${n} := NEW.${o};`,
      "    END IF;",
    ];
  });
  return {
    schema: PRIVATE_SCHEMA,
    name: syncFunctionName(table.name),
    language: "plpgsql",
    returns: "trigger",
    securityDefiner: false,
    revokeExecuteFrom: ["PUBLIC", "anon", "authenticated"],
    comment: `dbgen: keeps the renamed columns of ${table.name} equal until dbgen harden --complete drops the old ones.`,
    body: `
BEGIN
  IF TG_OP = 'INSERT' THEN
${insert.join("\n")}
  ELSE
${update.join("\n")}
  END IF;
  RETURN NEW;
END;`,
  };
}

/** `target`'s table with the old columns of its pending renames back, and the trigger keeping them equal. */
function expandTable(t: Table, before: Table, pending: readonly PendingRename[]): { table: Table; fn: FunctionDef } {
  const pairs = pending.map((p) => {
    const to = t.columns.find((c) => c.name === p.to) as Column;
    const from = before.columns.find((c) => c.name === p.from) as Column;
    const fallback = to.default ? postgresDialect.renderDefault(to.default, to.type) : undefined;
    return { from, to, ...(fallback ? { fallback } : {}) };
  });
  const bare = ({ renamedFrom: _r, default: _d, ...rest }: Column): Column => rest;
  const columns: Column[] = [];
  for (const c of t.columns) {
    const pair = pairs.find((p) => p.to.name === c.name);
    if (pair)
      columns.push(
        { ...bare(pair.from), expand: { role: "old", partner: c.name } },
        { ...bare(c), expand: { role: "new", partner: pair.from.name } },
      );
    else columns.push(c);
  }
  const old = (cols: readonly string[]) => pending.some((p) => mentions(cols, p.from));
  const keep = <T extends { name: string; columns: readonly string[] }>(now: readonly T[], then: readonly T[]) => [
    ...now,
    ...then.filter((x) => old(x.columns) && !now.some((y) => y.name === x.name)),
  ];
  const fn = syncFunction(t, pairs);
  return {
    table: {
      ...t,
      columns,
      indexes: keep(t.indexes, before.indexes),
      uniques: keep(t.uniques, before.uniques),
      foreignKeys: keep(t.foreignKeys, before.foreignKeys),
      triggers: [
        ...(t.triggers ?? []),
        { name: SYNC_TRIGGER, timing: "before", events: ["insert", "update"], function: `${fn.schema}.${fn.name}` },
      ],
    },
    fn,
  };
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
  pending: readonly PendingRename[],
  options: { readonly required?: boolean } = {},
): Schema {
  if (pending.length === 0) return target;
  const functions = [...(target.functions ?? [])];
  const tables = target.tables.map((t) => {
    const mine = pending.filter((p) => p.table === t.name);
    const before = previous.tables.find((x) => x.name === t.name);
    if (mine.length === 0 || !before) return t;
    const { table, fn } = expandTable(t, before, mine);
    functions.push(fn);
    if (options.required !== false) return table;
    const later = new Set(mine.map((p) => p.to));
    return { ...table, columns: table.columns.map((c) => (later.has(c.name) ? { ...c, nullable: true } : c)) };
  });
  return { ...target, tables, functions };
}

/** The contract step's target: the model's schema, its renamed columns already there under the new name. */
export function contractSchema(target: Schema, pending: readonly PendingRename[]): Schema {
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
 * The batched backfill of the new columns from the old ones: a DO block that commits every 1,000 rows
 * (so no lock is held longer than one batch, and a kill loses at most the batch it was in: a rerun
 * goes on where it stopped, as it only touches rows whose new column is still NULL). It runs outside a
 * transaction, like a concurrent index build.
 */
export function backfillSql(schema: Schema, pending: readonly PendingRename[], batch = 1000): string {
  const blocks = [...new Set(pending.map((p) => p.table))].map((name) => {
    const t = schema.tables.find((x) => x.name === name);
    const key = (t?.primaryKey?.columns ?? ["id"]).map(quoteIdent);
    const mine = pending.filter((p) => p.table === name);
    const table = `${quoteIdent(schema.name)}.${quoteIdent(name)}`;
    const set = mine.map((p) => `${quoteIdent(p.to)} = ${quoteIdent(p.from)}`).join(", ");
    const missing = mine.map((p) => `(${quoteIdent(p.to)} IS NULL AND ${quoteIdent(p.from)} IS NOT NULL)`).join(" OR ");
    const keys = key.length === 1 ? key[0] : `(${key.join(", ")})`;
    return `DO $dbgen_backfill$
DECLARE
  done bigint;
BEGIN
  LOOP
    UPDATE ${table} SET ${set}
    WHERE ${keys} IN (SELECT ${key.join(", ")} FROM ${table} WHERE ${missing} LIMIT ${batch});
    GET DIAGNOSTICS done = ROW_COUNT;
    EXIT WHEN done = 0;
    COMMIT;
  END LOOP;
END
$dbgen_backfill$;`;
  });
  return blocks.join("\n\n");
}
