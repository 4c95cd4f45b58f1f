/**
 * Seed data for a schema (pure): rows for every table in dependency order, every foreign key pointing
 * at a row that exists (cycles and self-references filled with NULL, then updated), unique columns
 * unique, many-to-many pairs distinct, owner and tenant columns spread over a few seeded users and
 * tenants. The same schema, options and seed give the same bytes.
 */
import {
  type Column,
  creationOrder,
  type ForeignKey,
  foreignKeyId,
  migrationPrologue,
  quoteIdent,
  quoteLiteral,
  renderPostgresType,
  type Schema,
  sqlComment,
  type Table,
  userError,
} from "@dbgen/schema-core";
import { type ColumnOrder, withCheckBounds } from "./checks.js";
import { hash32, keyedUuid } from "./random.js";
import { isNumeric, type SeedValue, valueFor } from "./values.js";

export interface SeedOptions {
  /** Any text: the same seed, the same data. */
  readonly seed?: string;
  /** Rows per table (default 10). */
  readonly rows?: number;
  /** Rows for particular tables, by table or entity name. */
  readonly rowsPer?: Readonly<Record<string, number>>;
  /** How many users owner columns are spread over when no table holds them (default 5). */
  readonly users?: number;
  /** How many tenants tenant columns are spread over (default 3). */
  readonly tenants?: number;
  /** Also create the users in Supabase's `auth.users` where the database has it (production). */
  readonly authUsers?: boolean;
  /** Rows per INSERT statement (default 500). */
  readonly batch?: number;
}

export interface SeedPlan {
  readonly sql: string;
  /** Rows per table, in insert order. */
  readonly counts: Readonly<Record<string, number>>;
  /** `table.check` of each CHECK the seed could not read (its rows may break it; the load then says so). */
  readonly unreadChecks: readonly string[];
}

/** Columns the production triggers keep: left to them. */
const SYSTEM_COLUMNS = new Set(["created_at", "updated_at", "created_by", "updated_by", "deleted_at", "version"]);

type Row = Map<string, SeedValue>;

interface Context {
  readonly seed: string;
  /** Per table, the orders its checks keep between two columns (`end_date > start_date`). */
  readonly orders: ReadonlyMap<string, readonly ColumnOrder[]>;
  readonly tables: readonly Table[];
  readonly counts: Map<string, number>;
  readonly rows: Map<string, Row[]>;
  readonly deferred: ReadonlySet<string>;
  /** How many seeded users owner columns are spread over, and tenant ids tenant columns. */
  readonly users: number;
  readonly tenants: number;
  /** The table an owner column's foreign key points at: its ids are the seeded users'. */
  readonly userTable?: string;
  /**
   * Per table, per row: the rows it reaches (`table` → key) and its scope (`scope:tenant` → value),
   * through every foreign key. A row's references are chosen to agree on all of them.
   */
  readonly lineage: Map<string, Lineage[]>;
  /** Each table's place in the insert order. */
  readonly position: ReadonlyMap<string, number>;
  /** `agreeing`'s indexes: per table and anchor, the rows by the anchor's value. */
  readonly byAnchor: Map<string, Map<string, number[]>>;
}

type Lineage = Map<string, string>;

function refuse(message: string, fix: string): never {
  throw userError("INVALID_CONFIG", message, fix);
}

/** The model's facts (rules, enum values, access) laid over the schema's tables, matched by name. */
function withFacts(schema: Schema, facts?: Schema): Table[] {
  const main = schema.tables.filter((t) => !t.schema || t.schema === schema.name);
  if (!facts) return main;
  return main.map((t) => {
    const known = facts.tables.find((f) => f.name === t.name);
    if (!known) return t;
    const columns = t.columns.map((c) => {
      const k = known.columns.find((x) => x.name === c.name);
      return {
        ...c,
        ...(k?.rules && !c.rules ? { rules: k.rules } : {}),
        ...(k?.enum && !c.enum ? { enum: k.enum } : {}),
      };
    });
    return { ...t, columns, ...(known.access && !t.access ? { access: known.access } : {}) };
  });
}

const userId = (seed: string, k: number) => keyedUuid(seed, "user", k);

/**
 * Supabase's `auth.users`, which the seed does not insert into like a table: references to it name it
 * by this key (no table of the schema has a dot in its name), and its rows are the seeded users.
 */
const AUTH_USERS = "auth.users";

/** The tables with every foreign key to `auth.users` pointing at the `AUTH_USERS` key. */
function withAuthUsersKey(tables: readonly Table[]): { tables: Table[]; referenced: boolean } {
  let referenced = false;
  const out = tables.map((t) => {
    if (!t.foreignKeys.some((fk) => fk.referencedSchema === "auth" && fk.referencedTable === "users")) return t;
    referenced = true;
    const foreignKeys = t.foreignKeys.map(({ referencedSchema, ...fk }) =>
      referencedSchema === "auth" && fk.referencedTable === "users" ? { ...fk, referencedTable: AUTH_USERS } : fk,
    );
    return { ...t, foreignKeys };
  });
  return { tables: out, referenced };
}
const tenantId = (seed: string, k: number) => keyedUuid(seed, "tenant", k);

/** Sets of columns whose values must be unique together (keys, uniques, unique indexes). */
function uniqueSets(t: Table): string[][] {
  return [
    ...(t.primaryKey ? [[...t.primaryKey.columns]] : []),
    ...t.uniques.map((u) => [...u.columns]),
    ...t.indexes.filter((i) => i.unique).map((i) => [...i.columns]),
  ];
}

function isOneToOne(t: Table, fk: ForeignKey): boolean {
  return uniqueSets(t).some((set) => set.length === fk.columns.length && set.every((c) => fk.columns.includes(c)));
}

/** The columns a seed writes: not the ones the triggers keep, not defaults nobody needs to vary. */
function writtenColumns(t: Table): Column[] {
  const keyed = new Set([...uniqueSets(t).flat(), ...t.foreignKeys.flatMap((fk) => fk.columns)]);
  const system = (t.triggers ?? []).some((tr) => tr.name === "set_system_columns");
  return t.columns.filter((c) => {
    // The database computes a generated column (and refuses a value for it).
    if (c.generated !== undefined) return false;
    if (keyed.has(c.name) || c.enum?.values.length) return true;
    if (c.name === "deleted_at" || (system && SYSTEM_COLUMNS.has(c.name))) return false;
    return c.default === undefined;
  });
}

function rowCount(t: Table, options: SeedOptions, ctx: Pick<Context, "counts">): number {
  const wanted =
    options.rowsPer?.[t.name] ?? (t.entity ? options.rowsPer?.[t.entity] : undefined) ?? options.rows ?? 10;
  let count = Math.max(0, Math.floor(wanted));
  const parents = (fk: ForeignKey) =>
    fk.referencedTable === t.name ? count : (ctx.counts.get(fk.referencedTable) ?? 0);
  // A required one-to-one reference needs a parent per row; an optional one leaves the rest NULL.
  for (const fk of t.foreignKeys)
    if (isOneToOne(t, fk) && fk.referencedTable !== t.name && requiredReference(t, fk))
      count = Math.min(count, parents(fk));
  const pair = pairKey(t);
  if (pair) count = Math.min(count, parents(pair[0]) * parents(pair[1]));
  return count;
}

/** A join table: its key is exactly two foreign keys' columns. Their pairs are chosen distinct. */
function pairKey(t: Table): [ForeignKey, ForeignKey] | undefined {
  const key = t.primaryKey?.columns ?? [];
  const fks = t.foreignKeys.filter((fk) => fk.columns.every((c) => key.includes(c)));
  if (fks.length !== 2 || fks.flatMap((f) => f.columns).length !== key.length) return undefined;
  return [fks[0] as ForeignKey, fks[1] as ForeignKey];
}

/** Which parent row a foreign key of row `row` points at; undefined when there is none to point at. */
function parentRow(t: Table, fk: ForeignKey, row: number, ctx: Context): number | undefined {
  const n = fk.referencedTable === t.name ? row : (ctx.counts.get(fk.referencedTable) ?? 0);
  if (n === 0) return undefined;
  const pair = pairKey(t);
  if (pair && (pair[0] === fk || pair[1] === fk)) {
    const first = ctx.counts.get(pair[0].referencedTable) ?? 1;
    return fk === pair[0] ? row % first : (Math.floor(row / first) + (row % first)) % n;
  }
  if (isOneToOne(t, fk) && fk.referencedTable !== t.name) return row;
  const owner = t.access?.mode === "owner" && fk.columns[0] === t.access.column;
  return owner ? row % n : hash32(ctx.seed, t.name, row, fk.name) % n;
}

function agrees(lineage: Lineage | undefined, own: Lineage): boolean {
  for (const [anchor, value] of lineage ?? []) if (own.has(anchor) && own.get(anchor) !== value) return false;
  return true;
}

/**
 * The rows of `table` that agree with what the row reaches already (every anchor both know, equal):
 * looked up in an index of the table's rows by the anchors they share with it, built once per set.
 */
function agreeing(table: string, own: Lineage, ctx: Context): number[] {
  const parents = ctx.lineage.get(table) ?? [];
  const shared = [...own.keys()].filter((a) => parents[0]?.has(a)).sort();
  if (shared.length === 0) return parents.map((_, i) => i);
  const id = `${table}\u0000${shared.join("\u0000")}`;
  let index = ctx.byAnchor.get(id);
  if (!index) {
    index = new Map();
    for (const [i, lineage] of parents.entries()) {
      const value = shared.map((a) => lineage.get(a) ?? "").join("\u0000");
      const bucket = index.get(value);
      if (bucket) bucket.push(i);
      else index.set(value, [i]);
    }
    ctx.byAnchor.set(id, index);
  }
  const wanted = shared.map((a) => own.get(a) ?? "").join("\u0000");
  return (index.get(wanted) ?? []).filter((i) => agrees(parents[i], own));
}

/**
 * The parent row `fk` points at, agreeing with `own`: the usual pick when it agrees, else one of the
 * rows that do (a lease's unit in the lease's company), else the usual pick (none can agree).
 */
function agreeingParent(t: Table, fk: ForeignKey, row: number, ctx: Context, own: Lineage): number | undefined {
  const usual = parentRow(t, fk, row, ctx);
  const pair = pairKey(t);
  const free = (pair && (pair[0] === fk || pair[1] === fk)) || isOneToOne(t, fk);
  const parents = ctx.lineage.get(fk.referencedTable);
  if (usual === undefined || free || !parents || own.size === 0) return usual;
  if (agrees(parents[usual], own)) return usual;
  const candidates = agreeing(fk.referencedTable, own, ctx);
  return candidates.length > 0
    ? candidates[hash32(ctx.seed, t.name, row, fk.name, "agree") % candidates.length]
    : usual;
}

/** A row's own anchor: its table and key, as the rows below it reach it. */
const identity = (table: string) => `#${table}`;

/** The scope a table's rows carry (`scope:tenant`, `scope:owner`) and the column that holds it. */
function scopeOf(t: Table): { readonly anchor: string; readonly column: string } | undefined {
  const access = t.access;
  if ((access?.mode !== "tenant" && access?.mode !== "owner") || !access.column) return undefined;
  return { anchor: `scope:${access.mode}`, column: access.column };
}

/**
 * What a row takes from the row it points at: that row's scope and the rows it belongs to. Through
 * its access parent (`via`) also that row itself; through any other reference not (two references to
 * the users table need not agree).
 */
function inherit(own: Lineage, t: Table, fk: ForeignKey, lineage: Lineage | undefined): void {
  const via = t.access?.mode === "parent" && fk.columns.length === 1 && fk.columns[0] === t.access.via;
  for (const [anchor, value] of lineage ?? [])
    if (!own.has(anchor) && (via || anchor !== identity(fk.referencedTable))) own.set(anchor, value);
}

/** What the parent row of `fk` must agree with: the row's lineage, and its scope when `fk` holds the scope column. */
function requirement(t: Table, fk: ForeignKey, own: Lineage): Lineage {
  const scope = scopeOf(t);
  const reached = scope && own.get(scope.anchor);
  if (!scope || reached === undefined || fk.columns.length !== 1 || fk.columns[0] !== scope.column) return own;
  return new Map([...own, [identity(fk.referencedTable), JSON.stringify([JSON.parse(reached)])]]);
}

function setReference(t: Table, fk: ForeignKey, values: Row, row: number, ctx: Context, own: Lineage): void {
  const deferred = ctx.deferred.has(foreignKeyId(t.name, fk)) || fk.referencedTable === t.name;
  const required = requiredReference(t, fk);
  if (deferred && !required) {
    for (const c of fk.columns) values.set(c, null);
    return;
  }
  const self = fk.referencedTable === t.name;
  const at =
    self && required
      ? row
      : self
        ? parentRow(t, fk, row, ctx)
        : agreeingParent(t, fk, row, ctx, requirement(t, fk, own));
  const parent = at === undefined ? undefined : self ? values : ctx.rows.get(fk.referencedTable)?.[at];
  if (!parent) {
    if (required)
      refuse(
        `Cannot seed ${t.name}: its required reference ${fk.name} has no ${fk.referencedTable} row to point at`,
        `give ${fk.referencedTable} rows (--rows-per ${fk.referencedTable}=N), or fewer ${t.name}`,
      );
    for (const c of fk.columns) values.set(c, null);
    return;
  }
  for (const [i, c] of fk.columns.entries()) values.set(c, parent.get(fk.referencedColumns[i] ?? "") ?? null);
  if (self || at === undefined) return;
  inherit(own, t, fk, ctx.lineage.get(fk.referencedTable)?.[at]);
  const scope = scopeOf(t);
  if (scope && fk.columns.length === 1 && fk.columns[0] === scope.column)
    own.set(scope.anchor, JSON.stringify(values.get(scope.column) ?? null));
}

/**
 * Foreign keys to the tables inserted last first: a deeper row decides what its ancestors must be
 * (a lease's unit first; its company is then the unit's, which always exists).
 */
function referenceOrder(t: Table, ctx: Context): ForeignKey[] {
  const at = (fk: ForeignKey) => ctx.position.get(fk.referencedTable) ?? -1;
  return [...t.foreignKeys].sort((a, b) => at(b) - at(a));
}

/** The value of a key or scoped column that is not a foreign key, or undefined to generate one. */
function specialValue(t: Table, c: Column, row: number, ctx: Context): SeedValue | undefined {
  const key = t.primaryKey?.columns ?? [];
  if (key.length === 1 && key[0] === c.name) {
    if (c.type.name === "uuid")
      return t.name === ctx.userTable ? userId(ctx.seed, row) : keyedUuid(ctx.seed, t.name, row);
    if (isNumeric(c)) return row + 1;
  }
  // A number unique on its own (an order number): counted up, so it never runs out.
  if (isNumeric(c) && uniqueSets(t).some((set) => set.length === 1 && set[0] === c.name)) {
    const start = Math.ceil(c.rules?.min ?? 1);
    if (c.rules?.max === undefined || start + row <= c.rules.max) return start + row;
  }
  if (t.access?.mode === "owner" && t.access.column === c.name) return userId(ctx.seed, row % ctx.users);
  if (t.access?.mode === "tenant" && t.access.column === c.name)
    return c.type.name === "uuid" ? tenantId(ctx.seed, row % ctx.tenants) : `tenant-${(row % ctx.tenants) + 1}`;
  return undefined;
}

function uniqueFix(value: SeedValue, c: Column, row: number): SeedValue {
  if (typeof value === "string" && !isNumeric(c) && c.rules?.pattern === undefined && !c.enum) {
    const suffix = `-${row + 1}`;
    const room = c.type.length !== undefined ? c.type.length - suffix.length : value.length;
    return `${value.slice(0, Math.max(0, room))}${suffix}`;
  }
  return value;
}

/** Swaps two values a check orders (`end_date > start_date`) when the row has them the wrong way round. */
function keepOrders(values: Row, orders: readonly ColumnOrder[]): void {
  for (const { greater, lesser } of orders) {
    const a = values.get(greater);
    const b = values.get(lesser);
    if (a === null || b === null || a === undefined || b === undefined) continue;
    const numeric = typeof a === "number" && typeof b === "number";
    const wrong = numeric ? a <= b : String(a) <= String(b);
    if (!wrong) continue;
    if (a === b && numeric) values.set(greater, a + 1);
    else {
      values.set(greater, b);
      values.set(lesser, a);
    }
  }
}

function generateRow(t: Table, row: number, ctx: Context, taken: Map<string, Set<string>>): Row {
  const values: Row = new Map();
  const own: Lineage = new Map();
  for (const fk of referenceOrder(t, ctx)) setReference(t, fk, values, row, ctx, own);
  // A scope column that is no foreign key (a JWT claim): the scope its references reach, if any.
  const scope = scopeOf(t);
  const scopeColumn = t.columns.find((c) => c.name === scope?.column);
  if (scope && scopeColumn && !values.has(scopeColumn.name)) {
    const reached = own.get(scope.anchor);
    const value = reached !== undefined ? (JSON.parse(reached) as SeedValue) : specialValue(t, scopeColumn, row, ctx);
    values.set(scopeColumn.name, value ?? null);
    own.set(scope.anchor, JSON.stringify(value ?? null));
  }
  const columns = writtenColumns(t);
  for (const c of columns) {
    if (values.has(c.name)) continue;
    values.set(c.name, specialValue(t, c, row, ctx) ?? valueFor(c, { seed: ctx.seed, table: t.name, row }));
  }
  for (const set of uniqueSets(t)) {
    const free = set.filter(
      (c) => columns.some((x) => x.name === c) && !t.foreignKeys.some((fk) => fk.columns.includes(c)),
    );
    const seen = taken.get(set.join(",")) ?? new Set<string>();
    taken.set(set.join(","), seen);
    const tuple = () => JSON.stringify(set.map((c) => values.get(c) ?? null));
    for (let attempt = 1; seen.has(tuple()) && attempt <= 60; attempt++)
      for (const name of free) {
        const c = t.columns.find((x) => x.name === name) as Column;
        const next = valueFor(c, { seed: ctx.seed, table: t.name, row, attempt });
        values.set(name, attempt > 40 ? uniqueFix(next, c, row) : next);
      }
    if (seen.has(tuple()) && set.some((c) => values.get(c) !== null))
      refuse(
        `Cannot seed ${t.name}: no unique value left for (${set.join(", ")}) at row ${row + 1}`,
        "seed fewer rows",
      );
    seen.add(tuple());
  }
  keepOrders(values, ctx.orders.get(t.name) ?? []);
  // The row itself, for the rows that will point at it.
  own.set(identity(t.name), JSON.stringify((t.primaryKey?.columns ?? []).map((c) => values.get(c) ?? null)));
  const lineage = ctx.lineage.get(t.name);
  if (lineage) lineage.push(own);
  else ctx.lineage.set(t.name, [own]);
  return values;
}

function literal(value: SeedValue, c: Column): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || (isNumeric(c) && /^-?\d+(\.\d+)?$/.test(value))) return String(value);
  return quoteLiteral(value);
}

/**
 * A table keyed by the user's id (a profile) may already hold a row per seeded user, made by its
 * signup trigger when the users were seeded: the seed's row then takes its place.
 */
function upsertClause(t: Table, columns: readonly Column[]): string {
  const key = t.primaryKey?.columns ?? [];
  const byUser = t.foreignKeys.some((fk) => fk.referencedTable === AUTH_USERS && fk.columns.join() === key.join());
  if (!byUser || key.length === 0) return "";
  const rest = columns
    .filter((c) => !key.includes(c.name))
    .map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`);
  const keyList = key.map(quoteIdent).join(", ");
  return rest.length
    ? `\nON CONFLICT (${keyList}) DO UPDATE SET ${rest.join(", ")}`
    : `\nON CONFLICT (${keyList}) DO NOTHING`;
}

function insertStatements(t: Table, rows: readonly Row[], batch: number): string[] {
  if (rows.length === 0) return [];
  const columns = t.columns.filter((c) => rows[0]?.has(c.name));
  const target = `${quoteIdent(t.schema ?? "public")}.${quoteIdent(t.name)} (${columns.map((c) => quoteIdent(c.name)).join(", ")})`;
  const upsert = upsertClause(t, columns);
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const values = rows
      .slice(i, i + batch)
      .map((r) => `  (${columns.map((c) => literal(r.get(c.name) ?? null, c)).join(", ")})`);
    out.push(`INSERT INTO ${target} VALUES\n${values.join(",\n")}${upsert};`);
  }
  const identity = columns.filter((c) => c.autoIncrement);
  for (const c of identity)
    out.push(
      `SELECT setval(pg_get_serial_sequence(${quoteLiteral(`${t.schema ?? "public"}.${t.name}`)}, ${quoteLiteral(c.name)}), ${rows.length});`,
    );
  return out;
}

/** Fills the references left NULL on insert (cycles, self-references) once every row exists. */
function deferredUpdates(t: Table, ctx: Context): string[] {
  const rows = ctx.rows.get(t.name) ?? [];
  const key = t.primaryKey?.columns ?? [];
  const out: string[] = [];
  for (const fk of t.foreignKeys) {
    const deferred = ctx.deferred.has(foreignKeyId(t.name, fk)) || fk.referencedTable === t.name;
    const required = fk.columns.some((c) => !t.columns.find((x) => x.name === c)?.nullable);
    if (!deferred || required || key.length === 0 || rows.length === 0) continue;
    const pairs = rows.flatMap((r, row) => {
      const at =
        fk.referencedTable === t.name
          ? row === 0
            ? undefined
            : hash32(ctx.seed, t.name, row, fk.name) % row
          : parentRow(t, fk, row, ctx);
      const parent = at === undefined ? undefined : ctx.rows.get(fk.referencedTable)?.[at];
      return parent
        ? [[...key.map((k) => r.get(k) ?? null), ...fk.referencedColumns.map((c) => parent.get(c) ?? null)]]
        : [];
    });
    if (pairs.length === 0) continue;
    const cast = (name: string, table: Table) =>
      renderPostgresType(table.columns.find((c) => c.name === name)?.type ?? { name: "text" });
    const parentTable = ctx.tables.find((x) => x.name === fk.referencedTable) ?? t;
    const names = [...key.map((_, i) => `k${i}`), ...fk.columns.map((_, i) => `r${i}`)];
    const types = [...key.map((k) => cast(k, t)), ...fk.referencedColumns.map((c) => cast(c, parentTable))];
    const values = pairs.map(
      (p) => `  (${p.map((v, i) => `${v === null ? "NULL" : quoteLiteral(String(v))}::${types[i]}`).join(", ")})`,
    );
    out.push(
      `UPDATE ${quoteIdent(t.schema ?? "public")}.${quoteIdent(t.name)} AS t SET ${fk.columns.map((c, i) => `${quoteIdent(c)} = v.r${i}`).join(", ")}\nFROM (VALUES\n${values.join(",\n")}\n) AS v(${names.join(", ")})\nWHERE ${key.map((k, i) => `t.${quoteIdent(k)} = v.k${i}`).join(" AND ")};`,
    );
  }
  return out;
}

/**
 * Supabase's own users for the seeded ids, the way its auth schema holds them (confirmed, email
 * provider), where the database has that schema; a lesser `auth.users` (a local shim) gets id and
 * email only; no `auth.users`, nothing.
 */
function authUsersBlock(ids: readonly string[]): string {
  const email = (k: number) => quoteLiteral(`seed-user-${k + 1}@example.test`);
  const full = ids.map(
    (id, k) =>
      `      ('00000000-0000-0000-0000-000000000000', ${quoteLiteral(id)}, 'authenticated', 'authenticated', ${email(k)}, '', now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
  );
  const bare = ids.map((id, k) => `      (${quoteLiteral(id)}, ${email(k)})`);
  return [
    "DO $seed$",
    "BEGIN",
    "  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users' AND column_name = 'instance_id') THEN",
    "    INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)",
    "    VALUES",
    `${full.join(",\n")}`,
    "    ON CONFLICT (id) DO NOTHING;",
    "  ELSIF to_regclass('auth.users') IS NOT NULL THEN",
    "    INSERT INTO auth.users (id, email)",
    "    VALUES",
    `${bare.join(",\n")}`,
    "    ON CONFLICT (id) DO NOTHING;",
    "  END IF;",
    "END",
    "$seed$;",
  ].join("\n");
}

/** The table an owner column's foreign key points at (its ids become the seeded users'). */
function userTableOf(tables: readonly Table[]): string | undefined {
  for (const t of tables) {
    if (t.access?.mode !== "owner") continue;
    const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === t.access?.column);
    if (fk) return fk.referencedTable;
  }
  return undefined;
}

const requiredReference = (t: Table, fk: ForeignKey): boolean =>
  fk.columns.some((c) => !t.columns.find((x) => x.name === c)?.nullable);

/**
 * The tables of one reference cycle in an order where each required reference points at a table
 * inserted before it, so the cycle's nullable references are the ones left NULL and filled by UPDATE
 * afterwards. Kahn's algorithm, ties by name; a cycle of required references alone has no such order.
 */
function cycleInsertOrder(members: readonly string[], tables: readonly Table[]): string[] {
  const inCycle = new Set(members);
  const needs = new Map<string, Set<string>>();
  for (const name of members) {
    const t = tables.find((x) => x.name === name) as Table;
    const parents = t.foreignKeys
      .filter((fk) => fk.referencedTable !== name && inCycle.has(fk.referencedTable) && requiredReference(t, fk))
      .map((fk) => fk.referencedTable);
    needs.set(name, new Set(parents));
  }
  const order: string[] = [];
  while (order.length < members.length) {
    const next = members.find((m) => !order.includes(m) && [...(needs.get(m) ?? [])].every((p) => order.includes(p)));
    if (!next)
      refuse(
        `Cannot seed ${members.filter((m) => !order.includes(m)).join(", ")}: their required references form a circle, so no row can be inserted first`,
        "make one reference of the circle nullable (it is then filled after every row exists)",
      );
    order.push(next);
  }
  return order;
}

/** creationOrder's order, each cycle's tables put in an order their required references allow. */
function insertOrder(tables: readonly Table[]): { order: string[]; deferred: ReadonlySet<string> } {
  const { order, deferred, cycles } = creationOrder(tables);
  let result = [...order];
  for (const members of cycles) {
    const start = Math.min(...members.map((m) => result.indexOf(m)));
    const reordered = cycleInsertOrder(members, tables);
    result = [...result.slice(0, start), ...reordered, ...result.slice(start + members.length)];
  }
  return { order: result, deferred };
}

export function planSeed(schema: Schema, facts: Schema | undefined, options: SeedOptions = {}): SeedPlan {
  const auth = withAuthUsersKey(withFacts(schema, facts));
  const read = auth.tables.map(withCheckBounds);
  const tables = read.map((r) => r.table);
  const orders = new Map(read.map((r) => [r.table.name, r.orders]));
  const unreadChecks = read.flatMap((r) => r.unread.map((name) => `${r.table.name}.${name}`));
  const { order, deferred } = insertOrder(tables);
  const seed = options.seed ?? "dbgen";
  const userTable = userTableOf(tables);
  const counts = new Map<string, number>();
  const authCount = Math.max(1, options.users ?? 5);
  if (auth.referenced) counts.set(AUTH_USERS, authCount);
  for (const name of order) {
    const t = tables.find((x) => x.name === name);
    if (t) counts.set(name, rowCount(t, options, { counts }));
  }
  const users =
    userTable && userTable !== AUTH_USERS ? Math.max(1, counts.get(userTable) ?? 0) : Math.max(1, options.users ?? 5);
  const ctx: Context = {
    seed,
    orders,
    tables,
    counts,
    rows: new Map(),
    deferred,
    users,
    tenants: Math.max(1, options.tenants ?? 3),
    ...(userTable ? { userTable } : {}),
    lineage: new Map(),
    position: new Map(order.map((name, i) => [name, i])),
    byAnchor: new Map(),
  };
  const seededUsers = Math.max(users, auth.referenced ? authCount : 0);
  if (auth.referenced)
    ctx.rows.set(
      AUTH_USERS,
      Array.from({ length: authCount }, (_, k) => new Map([["id", userId(seed, k)]])),
    );
  const statements: string[] = [];
  for (const name of order) {
    const t = tables.find((x) => x.name === name) as Table;
    const taken = new Map<string, Set<string>>();
    const rows = Array.from({ length: counts.get(name) ?? 0 }, (_, row) => generateRow(t, row, ctx, taken));
    ctx.rows.set(name, rows);
    statements.push(...insertStatements(t, rows, options.batch ?? 500));
  }
  for (const name of order) statements.push(...deferredUpdates(tables.find((x) => x.name === name) as Table, ctx));
  const scoped = tables.some((t) => t.access?.mode === "owner");
  const ids =
    scoped || userTable || auth.referenced ? Array.from({ length: seededUsers }, (_, k) => userId(seed, k)) : [];
  const header = [
    sqlComment([
      `Seed data generated by dbgen seed (seed "${seed.replace(/[^\w .:-]/g, "?")}"): ${order.map((n) => `${n} ${counts.get(n) ?? 0}`).join(", ")}`,
      "Load it as the migrator (RLS does not apply; triggers fill system columns and the audit log). Do not edit: seed again.",
    ]),
    migrationPrologue(),
  ];
  const authBlock = options.authUsers && ids.length ? [authUsersBlock(ids)] : [];
  return {
    sql: `${[...header, "", ...authBlock, ...statements].join("\n\n").replace(/\n\n\n/g, "\n\n")}\n`,
    counts: Object.fromEntries(order.map((n) => [n, counts.get(n) ?? 0])),
    unreadChecks,
  };
}
