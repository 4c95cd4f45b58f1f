/**
 * The world `dbgen test` builds in its transaction (spec §2a): users acting as every kind of actor the
 * rules name, two scopes (A and B) of every table, memberships with each role, and a soft-deleted row.
 * Pure: rows are values, rendered to SQL by plan.ts; expectations are read off the same values.
 */
import {
  ACCESS_OPERATIONS,
  type Column,
  creationOrder,
  type ExpandedAccess,
  expandAccess,
  type ForeignKey,
  parseAudience,
  type Schema,
  type Table,
} from "@dbgen/schema-core";
import { keyedUuid, valueFor } from "@dbgen/seed";

const SEED = "dbgen-access";
const SYSTEM = new Set(["created_at", "created_by", "updated_at", "updated_by", "deleted_at", "version"]);

type World = "A" | "B";

/** Someone a request runs as: PostgREST's role and the JWT's claims. */
export interface Actor {
  readonly name: string;
  readonly role: "anon" | "authenticated";
  readonly uid?: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** Per scope table, the scope it is a member of and with which role. */
  readonly memberships: ReadonlyMap<string, { readonly world: World; readonly role?: string }>;
  /** The tenant id its JWT carries, per tenant claim. */
  readonly world?: World;
}

/** One row of the world: column values as text (NULL as null), and who it belongs to. */
export interface WorldRow {
  readonly table: string;
  readonly world: World;
  readonly values: ReadonlyMap<string, string | null>;
  readonly deleted?: boolean;
  /** True for a row the signed-in user inserted in this transaction (created_by is theirs, created_at now). */
  readonly createdBy?: string;
}

export interface AccessWorld {
  readonly schema: Schema;
  readonly actors: readonly Actor[];
  readonly access: ReadonlyMap<string, ExpandedAccess>;
  /** Per table, its rows: [A, B, (deleted)] first, then the rest (memberships, users). */
  readonly rows: ReadonlyMap<string, readonly WorldRow[]>;
  readonly tables: readonly Table[];
  readonly tenantIds: Readonly<Record<World, string>>;
  /** A user no actor is and no row holds: what a new row's unique user column points at. */
  readonly newcomer: string;
  /** Another value of a column (a unique one, for a row an actor inserts). */
  readonly fresh: (t: Table, column: string, n: number) => string | null;
}

/** The column sets a row must not share with another: the key, unique constraints and unique indexes. */
export function uniqueSets(t: Table): { columns: readonly string[]; liveOnly: boolean }[] {
  return [
    ...(t.primaryKey ? [{ columns: t.primaryKey.columns, liveOnly: false }] : []),
    ...t.uniques.map((u) => ({ columns: u.columns, liveOnly: false })),
    ...t.indexes.filter((i) => i.unique).map((i) => ({ columns: i.columns, liveOnly: i.where !== undefined })),
  ];
}

/** Whether `row` holds the same values as another of `others` in every column of a unique set. */
export function collides(t: Table, row: WorldRow, others: readonly WorldRow[]): boolean {
  return uniqueSets(t).some(({ columns, liveOnly }) =>
    others.some(
      (o) =>
        o !== row &&
        !(liveOnly && (o.deleted || row.deleted)) &&
        columns.every((c) => {
          const value = row.values.get(c);
          return value !== undefined && value !== null && o.values.get(c) === value;
        }),
    ),
  );
}

/** The columns a unique constraint or index holds. */
export function uniqueColumns(t: Table): Set<string> {
  return new Set([...t.uniques, ...t.indexes.filter((i) => i.unique)].flatMap((u) => u.columns));
}

const publicTables = (schema: Schema): Table[] => schema.tables.filter((t) => !t.schema);
export const tableNamed = (schema: Schema, name: string): Table | undefined =>
  schema.tables.find((t) => !t.schema && t.name === name);
export const keyColumns = (t: Table): readonly string[] => t.primaryKey?.columns ?? [];
export const singleFk = (t: Table, column: string): ForeignKey | undefined =>
  t.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === column);

/** A join table (two references making the key, nothing else of the model's): its own policies; not in the world. */
function isJoin(t: Table): boolean {
  const key = keyColumns(t);
  return (
    t.foreignKeys.length === 2 &&
    key.length === 2 &&
    t.foreignKeys.every((fk) => fk.columns.length === 1 && key.includes(fk.columns[0] ?? "")) &&
    t.columns.every((c) => key.includes(c.name) || SYSTEM.has(c.name))
  );
}

/** The scope tables (those declaring members) and the role values of each. */
function scopeRoles(schema: Schema): Map<string, readonly (string | undefined)[]> {
  const out = new Map<string, readonly (string | undefined)[]>();
  for (const t of publicTables(schema)) {
    if (!t.members) continue;
    const membership = tableNamed(schema, t.members.table);
    const role = membership?.columns.find((c) => c.name === t.members?.role);
    out.set(t.name, role?.enum?.values.length ? role.enum.values : [undefined]);
  }
  return out;
}

/** Every `members:` role and `claim:` value the rules name. */
function namedAudiences(access: ReadonlyMap<string, ExpandedAccess>) {
  const roles = new Set<string>();
  const claims = new Map<string, { path: readonly string[]; value: string }>();
  for (const rules of access.values())
    for (const op of ACCESS_OPERATIONS)
      for (const text of rules.operations[op]) {
        const a = parseAudience(text);
        if (typeof a === "string") continue;
        if (a.kind === "members") for (const r of a.roles ?? []) roles.add(r);
        if (a.kind === "claim")
          for (const value of a.values) claims.set(`${a.path.join(".")}=${value}`, { path: a.path, value });
      }
  return { roles, claims };
}

function claimObject(path: readonly string[], value: string): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** The tenant claims of the model's tenant tables, each holding the world's tenant id. */
function tenantClaims(access: ReadonlyMap<string, ExpandedAccess>, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rules of access.values()) if (rules.tenant) out[rules.tenant.claim] = id;
  return out;
}

const uidOf = (name: string) => keyedUuid(SEED, "user", name);

function actorsOf(schema: Schema, access: ReadonlyMap<string, ExpandedAccess>, tenantIds: Record<World, string>) {
  const scopes = scopeRoles(schema);
  const { roles: named, claims } = namedAudiences(access);
  const member = (world: World, pick: (values: readonly (string | undefined)[]) => string | undefined) =>
    new Map([...scopes].map(([scope, values]) => [scope, { world, ...optionalRole(pick(values)) }]));
  const signedIn = (name: string, extra: Partial<Actor> = {}): Actor => ({
    name,
    role: "authenticated",
    uid: uidOf(name),
    claims: {},
    memberships: new Map(),
    ...extra,
  });
  const inA = { world: "A" as const, claims: tenantClaims(access, tenantIds.A) };
  const actors: Actor[] = [
    { name: "anon", role: "anon", claims: {}, memberships: new Map() },
    signedIn("a stranger"),
    // The owner of the rows is a member of their scopes, with a role no rule names where there is one.
    signedIn("the rows' owner", {
      ...inA,
      memberships: member("A", (v) => v.find((r) => r && !named.has(r)) ?? v.at(-1)),
    }),
  ];
  for (const [scope, values] of scopes)
    for (const role of values)
      actors.push(
        signedIn(role ? `a ${scope} member with role ${role}` : `a ${scope} member`, {
          ...inA,
          memberships: new Map([[scope, { world: "A", ...optionalRole(role) }]]),
        }),
      );
  actors.push(
    signedIn("a member of the other scope", {
      world: "B",
      claims: tenantClaims(access, tenantIds.B),
      memberships: member("B", (v) => v[0]),
    }),
  );
  for (const [text, claim] of claims)
    actors.push(signedIn(`a holder of claim ${text}`, { claims: claimObject(claim.path, claim.value) }));
  return actors;
}

const optionalRole = (role: string | undefined) => (role === undefined ? {} : { role });

const OWNER_OF: Readonly<Record<World, string>> = { A: "the rows' owner", B: "a member of the other scope" };
export const actorNamed = (world: AccessWorld, name: string): Actor =>
  world.actors.find((a) => a.name === name) as Actor;

/** The tables an owner column points at (a public users table): one row per signed-in actor, keyed by its id. */
function userTables(schema: Schema, access: ReadonlyMap<string, ExpandedAccess>): Set<string> {
  const out = new Set<string>();
  for (const t of publicTables(schema)) {
    const owner = access.get(t.name)?.owner;
    const fk = owner ? singleFk(t, owner) : undefined;
    if (fk && fk.referencedSchema === undefined && fk.referencedTable !== t.name) out.add(fk.referencedTable);
  }
  return out;
}

/** Builds the world for a production schema; `facts` (the model's schema) lends each column's value rules. */
export function buildWorld(schema: Schema, facts: Schema | undefined): AccessWorld {
  const tables = creationOrder(publicTables(schema))
    .order.map((name) => tableNamed(schema, name))
    .filter((t): t is Table => t !== undefined && !isJoin(t));
  const access = new Map(
    tables.map((t) => [t.name, expandAccess((facts ? tableNamed(facts, t.name) : undefined)?.access ?? t.access)]),
  );
  const membersOf = new Map(
    publicTables(facts ?? schema).flatMap((t) =>
      t.members ? [[t.members.table, { scope: t.name, ...t.members }]] : [],
    ),
  );
  const scopeMembers = new Map(publicTables(facts ?? schema).flatMap((t) => (t.members ? [[t.name, t.members]] : [])));
  const schemaWithMembers: Schema = {
    ...schema,
    tables: schema.tables.map((t) => {
      const members = scopeMembers.get(t.name);
      return members && !t.members ? { ...t, members } : t;
    }),
  };
  const tenantIds = { A: keyedUuid(SEED, "tenant", "A"), B: keyedUuid(SEED, "tenant", "B") };
  const actors = actorsOf(schemaWithMembers, access, tenantIds);
  const users = userTables(schema, access);
  const rows = new Map<string, WorldRow[]>();
  const builder = new RowBuilder(facts, access, rows, actors, tenantIds);
  for (const t of tables) {
    const membership = membersOf.get(t.name);
    const list: WorldRow[] = membership
      ? builder.memberships(t, membership)
      : users.has(t.name)
        ? builder.users(t)
        : builder.plain(t);
    rows.set(t.name, list);
  }
  const fresh = (t: Table, column: string, n: number) => builder.generated(t, column, 1000 + n);
  const newcomer = uidOf("a newcomer");
  return { schema: schemaWithMembers, actors, access, rows, tables, tenantIds, fresh, newcomer };
}

/** Makes the world's rows table by table, each reference pointing at the same world's row. */
class RowBuilder {
  private index = 0;
  /** Per `table.column` that holds a unique user id, the users it already holds. */
  private readonly usedUsers = new Map<string, Set<string>>();
  constructor(
    private readonly facts: Schema | undefined,
    private readonly access: ReadonlyMap<string, ExpandedAccess>,
    private readonly rows: Map<string, WorldRow[]>,
    private readonly actors: readonly Actor[],
    private readonly tenantIds: Readonly<Record<World, string>>,
  ) {}

  plain(t: Table): WorldRow[] {
    const out = [this.row(t, "A"), this.row(t, "B")];
    if (t.columns.some((c) => c.name === "deleted_at")) {
      // A soft-deleted row of scope A, unless it could only repeat A's unique values (a row per user).
      const deleted = { ...this.row(t, "A"), deleted: true };
      if (!collides(t, deleted, out)) out.push(deleted);
    }
    return out;
  }

  /** One row per signed-in actor, keyed by its user id: the owner's first, the other scope's owner second. */
  users(t: Table): WorldRow[] {
    const key = keyColumns(t)[0] ?? "id";
    const signedIn = this.actors.filter((a) => a.uid);
    const first = [OWNER_OF.A, OWNER_OF.B].map((n) => signedIn.find((a) => a.name === n) as Actor);
    const rest = signedIn.filter((a) => !first.includes(a));
    return [...first, ...rest].map((a, i) => this.row(t, i === 1 ? "B" : "A", { [key]: a.uid ?? null }));
  }

  /** One membership per actor and scope it belongs to: the owner's in A first, the other scope's in B second. */
  memberships(t: Table, members: { scope: string; scopeColumn: string; user: string; role?: string }): WorldRow[] {
    const held = this.actors.flatMap((a) => {
      const m = a.memberships.get(members.scope);
      return m ? [{ actor: a, ...m }] : [];
    });
    const order = [OWNER_OF.A, OWNER_OF.B];
    held.sort((x, y) => rank(order, x.actor.name) - rank(order, y.actor.name));
    return held.map(({ actor, world, role }) =>
      this.row(t, world, {
        [members.user]: actor.uid ?? null,
        ...(members.role && role !== undefined ? { [members.role]: role } : {}),
      }),
    );
  }

  /** A row of `world`, owned by that world's owner; `fixed` values win. */
  row(t: Table, world: World, fixed: Record<string, string | null> = {}, owner = OWNER_OF[world]): WorldRow {
    const n = this.index++;
    const values = new Map<string, string | null>();
    for (const c of t.columns) {
      if (c.name in fixed) values.set(c.name, fixed[c.name] ?? null);
      else {
        const value = this.valueOf(t, c, world, n, owner, values);
        if (value !== undefined) values.set(c.name, value);
      }
    }
    return { table: t.name, world, values };
  }

  /** A column's value, or undefined to leave it to the database (defaults, identities, system columns). */
  private valueOf(
    t: Table,
    c: Column,
    world: World,
    n: number,
    owner: string,
    values: ReadonlyMap<string, string | null>,
  ): string | null | undefined {
    const isKey = keyColumns(t).includes(c.name);
    if (SYSTEM.has(c.name) || c.generated !== undefined) return undefined;
    const rules = this.access.get(t.name);
    const ownerUid = this.actors.find((a) => a.name === owner)?.uid ?? null;
    if (rules?.tenant?.column === c.name) return this.tenantIds[world];
    // An owner column holds the user's id, in auth.users or in a users table keyed by it (see users()).
    if (rules?.owner === c.name) return ownerUid;
    const fk = t.foreignKeys.find((f) => f.columns.includes(c.name));
    if (fk) return this.reference(t, fk, c, world, values);
    if (isKey) return keyValue(t, c, n);
    // A unique column gets a value of its own even where a default would do (two rows, one default).
    if (uniqueColumns(t).has(c.name)) return this.generated(t, c.name, n);
    if (c.default !== undefined || c.autoIncrement) return undefined;
    if (c.nullable) return null;
    return this.generated(t, c.name, n);
  }

  private userFor(t: Table, column: string, world: World): string | null {
    const owner = this.actors.find((a) => a.name === OWNER_OF[world])?.uid ?? null;
    if (!uniqueSets(t).some((u) => u.columns.length === 1 && u.columns[0] === column)) return owner;
    const key = `${t.name}.${column}`;
    const used = this.usedUsers.get(key) ?? new Set<string>();
    this.usedUsers.set(key, used);
    const candidates = [owner, ...this.actors.map((a) => a.uid)].filter(
      (u): u is string => u !== undefined && u !== null,
    );
    const free = candidates.find((u) => !used.has(u)) ?? owner;
    if (free) used.add(free);
    return free;
  }

  /** A value by the column's rules and name (the seed's), the model's column lending its rules. */
  generated(t: Table, column: string, n: number): string | null {
    const c = t.columns.find((x) => x.name === column);
    if (!c) return null;
    if (keyColumns(t).includes(column)) return keyValue(t, c, n);
    const fact = this.facts ? tableNamed(this.facts, t.name)?.columns.find((x) => x.name === c.name) : undefined;
    const value = valueFor(fact ?? c, { seed: SEED, table: t.name, row: n });
    return value === null ? null : String(value);
  }

  /** A reference: the same world's row of the referenced table (NULL where it is optional and not made yet). */
  private reference(
    t: Table,
    fk: ForeignKey,
    c: Column,
    world: World,
    values: ReadonlyMap<string, string | null>,
  ): string | null {
    // Another schema's row (auth.users): the world's owner, a user that exists — another user for
    // each row where the column is unique on its own.
    if (fk.referencedSchema !== undefined) return this.userFor(t, c.name, world);
    const at = fk.columns.indexOf(c.name);
    const referenced = fk.referencedColumns[at] ?? "id";
    if (fk.referencedTable === t.name) {
      if (c.nullable) return null;
      return values.get(referenced) ?? null;
    }
    const target = (this.rows.get(fk.referencedTable) ?? []).find((r) => r.world === world && !r.deleted);
    return target?.values.get(referenced) ?? null;
  }
}

const rank = (order: readonly string[], name: string) => {
  const at = order.indexOf(name);
  return at < 0 ? order.length : at;
};

/** A key value of its type that no generated key takes (identities start at 1). */
function keyValue(t: Table, c: Column, n: number): string {
  const type = c.type.name;
  if (type === "uuid") return keyedUuid(SEED, t.name, c.name, n);
  if (type === "smallint" || type === "integer" || type === "bigint" || type === "numeric") return String(30000 - n);
  return `dbgen-${t.name}-${n}`;
}
