/**
 * `dbgen test` (spec §2a): a pgTAP file that builds its own world (world.ts) and checks every
 * table × operation × actor with the outcome the model predicts — rows seen, rows changed, `42501`
 * refusals. The expectations come from the rules read here, independently of the policies the
 * hardener writes: a wider policy in the database makes a check fail.
 */
import {
  ACCESS_OPERATIONS,
  type AccessOperation,
  type ForeignKey,
  parseAudience,
  quoteIdent,
  quoteLiteral,
  type Schema,
  type Table,
} from "@dbgen/schema-core";
import {
  type AccessWorld,
  type Actor,
  actorNamed,
  buildWorld,
  collides,
  keyColumns,
  singleFk,
  tableNamed,
  uniqueColumns,
  uniqueSets,
  type WorldRow,
} from "./world.js";

export interface AccessTestPlan {
  /** The pgTAP file: `begin; select plan(n); … select * from finish(); rollback;`. */
  readonly sql: string;
  /** The same file, statement by statement (what `dbgen test --run` executes). */
  readonly statements: readonly string[];
  readonly tests: number;
  readonly actors: readonly string[];
  readonly tables: readonly string[];
}

/** What a request gets: rows (and, for a delete, how many of the row stay live), or an error code. */
type Outcome = string;
const rows = (n: number) => `rows: ${n}`;
const DENIED = "error 42501";

const rowOf = (w: AccessWorld, table: string, column: string, value: string | null): WorldRow | undefined =>
  value === null ? undefined : (w.rows.get(table) ?? []).find((r) => r.values.get(column) === value);

const tableOf = (w: AccessWorld, name: string): Table => tableNamed(w.schema, name) as Table;
const softDeletable = (t: Table) => t.columns.some((c) => c.name === "deleted_at");

/** The operations a role is granted on a table: anon those open to `public`, signed-in users any with an audience. */
function granted(w: AccessWorld, actor: Actor, table: string, op: AccessOperation): boolean {
  const audiences = w.access.get(table)?.operations[op] ?? [];
  return actor.role === "anon" ? audiences.includes("public") : audiences.length > 0;
}

/** The row a reference points at. */
function referenced(w: AccessWorld, fk: ForeignKey, row: WorldRow): WorldRow | undefined {
  return rowOf(w, fk.referencedTable, fk.referencedColumns[0] ?? "id", row.values.get(fk.columns[0] ?? "") ?? null);
}

/** The scope row a row reaches through its scope chain (itself on the scope table), live all the way. */
function scopeRow(w: AccessWorld, t: Table, row: WorldRow): { table: Table; row: WorldRow } | undefined {
  let at: { table: Table; row: WorldRow } = { table: t, row };
  for (const column of w.access.get(t.name)?.scope ?? []) {
    const fk = singleFk(at.table, column);
    const next = fk ? referenced(w, fk, at.row) : undefined;
    if (!fk || !next || next.deleted) return undefined;
    at = { table: tableOf(w, fk.referencedTable), row: next };
  }
  return at;
}

/** Whether the actor holds a live membership of the row's scope, with one of `roles` (any when absent). */
function isMember(w: AccessWorld, actor: Actor, t: Table, row: WorldRow, roles?: readonly string[]): boolean {
  const scope = scopeRow(w, t, row);
  const members = scope?.table.members;
  if (!scope || !members || !actor.uid) return false;
  const key = scope.row.values.get(keyColumns(scope.table)[0] ?? "id");
  return (w.rows.get(members.table) ?? []).some(
    (m) =>
      !m.deleted &&
      m.values.get(members.scopeColumn) === key &&
      m.values.get(members.user) === actor.uid &&
      (!roles || (members.role !== undefined && roles.includes(m.values.get(members.role) ?? ""))),
  );
}

function claimAt(claims: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (at, key) => (at && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined),
    claims,
  );
}

/** Whether one audience of `t` admits the actor to `row`. */
function admits(w: AccessWorld, actor: Actor, t: Table, row: WorldRow, text: string, depth: number): boolean {
  const rules = w.access.get(t.name);
  if (text === "tenant")
    return rules?.tenant !== undefined && actor.claims[rules.tenant.claim] === row.values.get(rules.tenant.column);
  const audience = parseAudience(text);
  if (typeof audience === "string") return false;
  switch (audience.kind) {
    case "public":
      return true;
    case "authenticated":
      return actor.uid !== undefined;
    case "owner":
      return actor.uid !== undefined && rules?.owner !== undefined && row.values.get(rules.owner) === actor.uid;
    case "self": {
      const members = w.schema.tables.find((s) => s.members?.table === t.name)?.members;
      return actor.uid !== undefined && members !== undefined && row.values.get(members.user) === actor.uid;
    }
    case "members":
      return isMember(w, actor, t, row, audience.roles);
    case "claim":
      return audience.values.includes(String(claimAt(actor.claims, audience.path)));
    case "via": {
      const fk = singleFk(t, audience.field);
      const parent = fk ? referenced(w, fk, row) : undefined;
      return (
        fk !== undefined && parent !== undefined && visible(w, actor, tableOf(w, fk.referencedTable), parent, depth + 1)
      );
    }
  }
}

const anyAdmits = (w: AccessWorld, a: Actor, t: Table, row: WorldRow, op: AccessOperation, depth: number) =>
  (w.access.get(t.name)?.operations[op] ?? []).some((text) => admits(w, a, t, row, text, depth));

/**
 * Whether the actor's select reaches the row: granted, live, and admitted — or inserted by the actor in
 * this transaction, on a table with access rules (its insert … returning).
 */
function visible(w: AccessWorld, actor: Actor, t: Table, row: WorldRow, depth = 0): boolean {
  if (depth > w.tables.length || !granted(w, actor, t.name, "select")) return false;
  if (row.deleted) return false;
  if (anyAdmits(w, actor, t, row, "select", depth)) return true;
  const rules = w.access.get(t.name);
  const ownInsert =
    rules?.mode === "rules" && rules.operations.insert.length > 0 && t.columns.some((c) => c.name === "created_by");
  return ownInsert && actor.uid !== undefined && row.createdBy === actor.uid;
}

/** The tables whose visibility follows `name` along parent access (their references back are not checked). */
function parentChain(w: AccessWorld, name: string): string[] {
  const chain: string[] = [];
  let rules = w.access.get(name);
  let at = tableNamed(w.schema, name);
  while (at && rules?.mode === "parent" && chain.length < w.tables.length) {
    const via = (rules.operations.select[0] ?? "").replace(/^via:/, "");
    const parent = singleFk(at, via)?.referencedTable;
    if (!parent) break;
    chain.push(parent);
    at = tableNamed(w.schema, parent);
    rules = w.access.get(parent);
  }
  return chain;
}

/** A table whose rows not every signed-in user sees: a row written elsewhere may only point at visible ones. */
function scoped(w: AccessWorld, name: string): boolean {
  const rules = w.access.get(name);
  if (!rules) return false;
  if (rules.mode === "rules") return !rules.operations.select.some((a) => a === "public" || a === "authenticated");
  return rules.mode === "owner" || rules.mode === "tenant" || rules.mode === "parent";
}

/** Whether every row the new row points at in a scoped table is one the writer sees. */
function attachable(w: AccessWorld, actor: Actor, t: Table, row: WorldRow): boolean {
  const rules = w.access.get(t.name);
  const via = rules?.mode === "parent" ? (rules.operations.select[0] ?? "").replace(/^via:/, "") : undefined;
  return t.foreignKeys.every((fk) => {
    if (fk.referencedSchema !== undefined || fk.referencedTable === t.name || !scoped(w, fk.referencedTable))
      return true;
    if (via !== undefined && fk.columns.length === 1 && fk.columns[0] === via) return true;
    if (parentChain(w, fk.referencedTable).includes(t.name)) return true;
    const target = referenced(w, fk, row);
    if (row.values.get(fk.columns[0] ?? "") == null) return true;
    return target !== undefined && visible(w, actor, tableOf(w, fk.referencedTable), target);
  });
}

const DUPLICATE = "error 23505";

/** An insert: the grant, then the policies (the new row, and for `returning` its read back), then unique keys. */
function insertOutcome(w: AccessWorld, actor: Actor, t: Table, row: WorldRow, returning: boolean): Outcome {
  if (!granted(w, actor, t.name, "insert")) return DENIED;
  if (!anyAdmits(w, actor, t, row, "insert", 0) || !attachable(w, actor, t, row)) return DENIED;
  const inserted = { ...row, ...(actor.uid ? { createdBy: actor.uid } : {}) };
  if (returning && !(granted(w, actor, t.name, "select") && visible(w, actor, t, inserted))) return DENIED;
  return collides(t, row, w.rows.get(t.name) ?? []) ? DUPLICATE : rows(1);
}

/** An update of row `before` into `after`; its WHERE reads the row, so SELECT's grant and policy apply to both. */
function updateOutcome(w: AccessWorld, actor: Actor, t: Table, before: WorldRow, after: WorldRow): Outcome {
  if (!granted(w, actor, t.name, "update") || !granted(w, actor, t.name, "select")) return DENIED;
  if (!anyAdmits(w, actor, t, before, "update", 0) || !visible(w, actor, t, before)) return rows(0);
  const ok =
    anyAdmits(w, actor, t, after, "update", 0) && attachable(w, actor, t, after) && visible(w, actor, t, after);
  return ok ? rows(1) : DENIED;
}

function deleteOutcome(w: AccessWorld, actor: Actor, t: Table, row: WorldRow): Outcome {
  if (!granted(w, actor, t.name, "delete") || !granted(w, actor, t.name, "select")) return DENIED;
  if (!anyAdmits(w, actor, t, row, "delete", 0) || !visible(w, actor, t, row)) return `${rows(0)}, left: 1`;
  if (softDeletable(t)) return `${rows(0)}, left: 0`;
  return referencedWithoutCascade(w, t, row) ? "error 23503" : `${rows(1)}, left: 0`;
}

/** Whether a row of the world points at `row` through a reference that neither cascades nor clears. */
function referencedWithoutCascade(w: AccessWorld, t: Table, row: WorldRow): boolean {
  return w.tables.some((other) =>
    other.foreignKeys.some(
      (fk) =>
        fk.referencedSchema === undefined &&
        fk.referencedTable === t.name &&
        fk.onDelete !== "cascade" &&
        fk.onDelete !== "set null" &&
        (w.rows.get(other.name) ?? []).some((r) => r !== row && referenced(w, fk, r) === row),
    ),
  );
}

// ---- SQL ----------------------------------------------------------------------------------------

const qualified = (t: Table) => `${quoteIdent(t.schema ?? "public")}.${quoteIdent(t.name)}`;

/**
 * A value as an untyped literal: PostgreSQL gives it the column's type, as it does PostgREST's values
 * (a cast would name the type's schema — `extensions.citext` — which clients may not use).
 */
function literal(value: string | null | undefined): string {
  return value === null || value === undefined ? "NULL" : quoteLiteral(value);
}

const keyMatch = (t: Table, row: WorldRow) =>
  keyColumns(t)
    .map((k) => `${quoteIdent(k)} = ${literal(row.values.get(k))}`)
    .join(" AND ");

/** Rows as one INSERT; a table keyed by the user (a profile its signup trigger made) takes them over. */
function insertSql(t: Table, list: readonly WorldRow[], returning = false): string {
  const columns = t.columns.filter((c) => list[0]?.values.has(c.name)).map((c) => c.name);
  const values = list.map((r) => `(${columns.map((c) => literal(r.values.get(c))).join(", ")})`);
  const key = keyColumns(t);
  const byUser = key.length > 0 && key.every((k) => singleFk(t, k)?.referencedSchema !== undefined);
  const rest = columns.filter((c) => !key.includes(c));
  const upsert = byUser
    ? ` ON CONFLICT (${key.map(quoteIdent).join(", ")}) DO ${rest.length ? `UPDATE SET ${rest.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(", ")}` : "NOTHING"}`
    : "";
  return `INSERT INTO ${qualified(t)} (${columns.map(quoteIdent).join(", ")}) VALUES ${values.join(", ")}${upsert}${returning ? ` RETURNING ${key.map(quoteIdent).join(", ") || "1"}` : ""}`;
}

function claimsOf(actor: Actor): string {
  return JSON.stringify({ role: actor.role, ...(actor.uid ? { sub: actor.uid } : {}), ...actor.claims });
}

/** The helper every check calls: runs one statement as the actor and undoes it, returning what it got. */
const TRY_FUNCTION = `CREATE FUNCTION pg_temp.dbgen_try(actor_role text, claims text, statement text, probe text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql AS $dbgen_try$
DECLARE
  outcome text;
  n bigint;
  left_live bigint;
BEGIN
  BEGIN
    PERFORM pg_catalog.set_config('role', actor_role, true);
    PERFORM pg_catalog.set_config('request.jwt.claims', claims, true);
    EXECUTE statement;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM pg_catalog.set_config('role', 'none', true);
    outcome := 'rows: ' || n;
    IF probe IS NOT NULL THEN
      EXECUTE probe INTO left_live;
      outcome := outcome || ', left: ' || left_live;
    END IF;
    -- Undo whatever the statement did: the block's subtransaction rolls back on this error.
    RAISE EXCEPTION USING ERRCODE = 'DBT01', MESSAGE = outcome;
  EXCEPTION
    WHEN SQLSTATE 'DBT01' THEN
      RETURN SQLERRM;
    WHEN OTHERS THEN
      RETURN 'error ' || SQLSTATE;
  END;
END;
$dbgen_try$`;

interface Check {
  readonly actor: Actor;
  readonly statement: string;
  readonly probe?: string;
  readonly expected: Outcome;
  readonly description: string;
}

function checkSql(check: Check): string {
  const args = [check.actor.role, claimsOf(check.actor), check.statement, ...(check.probe ? [check.probe] : [])];
  return `SELECT is(pg_temp.dbgen_try(${args.map(quoteLiteral).join(", ")}), ${quoteLiteral(check.expected)}, ${quoteLiteral(check.description)});`;
}

// ---- the checks ---------------------------------------------------------------------------------

/** A column an update can set to itself: the first that is not generated (a key as the last resort). */
function touchColumn(t: Table): string {
  const key = keyColumns(t);
  const plain = t.columns.find((c) => c.generated === undefined && !key.includes(c.name) && !c.autoIncrement);
  return (plain ?? t.columns.find((c) => key.includes(c.name)) ?? t.columns[0])?.name ?? "id";
}

/** The columns whose value decides who reaches a row: moving a row there is checked too. */
function decidingColumns(w: AccessWorld, t: Table): string[] {
  const rules = w.access.get(t.name);
  const key = keyColumns(t);
  const via = ACCESS_OPERATIONS.flatMap((op) => rules?.operations[op] ?? [])
    .filter((a) => a.startsWith("via:"))
    .map((a) => a.slice(4));
  const members = w.schema.tables.find((s) => s.members?.table === t.name)?.members;
  const columns = [rules?.scope[0], rules?.owner, rules?.tenant?.column, ...via, members?.user];
  return [...new Set(columns.filter((c): c is string => c !== undefined && !key.includes(c)))];
}

/** The row an actor inserts: world A's, in the actor's own name; a membership for someone not yet a member. */
function newRow(w: AccessWorld, t: Table, actor: Actor, index: number): WorldRow {
  const template = (w.rows.get(t.name) ?? [])[0] as WorldRow;
  const values = new Map(template.values);
  const key = keyColumns(t);
  // Its own key and unique values; references, owner and scope stay world A's.
  const deciding = new Set(decidingColumns(w, t));
  for (const column of new Set([...key, ...uniqueColumns(t)])) {
    const value = values.get(column);
    if (value === undefined || value === null || deciding.has(column)) continue;
    if (t.foreignKeys.some((fk) => fk.columns.includes(column))) continue;
    values.set(column, w.fresh(t, column, index));
  }
  const rules = w.access.get(t.name);
  if (rules?.owner && !key.includes(rules.owner))
    values.set(rules.owner, actor.uid ?? template.values.get(rules.owner) ?? null);
  // A user column that is unique on its own points at a user who holds no such row yet.
  for (const fk of t.foreignKeys) {
    const column = fk.columns[0] ?? "";
    const single = uniqueSets(t).some((u) => u.columns.length === 1 && u.columns[0] === column);
    if (fk.referencedSchema !== undefined && fk.columns.length === 1 && single && column !== rules?.owner)
      values.set(column, w.newcomer);
  }
  const members = w.schema.tables.find((s) => s.members?.table === t.name)?.members;
  if (members) {
    const scope = template.values.get(members.scopeColumn) ?? null;
    const already = (w.rows.get(t.name) ?? []).some(
      (m) => m.values.get(members.scopeColumn) === scope && m.values.get(members.user) === actor.uid,
    );
    const stranger = actorNamed(w, "a stranger").uid ?? null;
    values.set(members.user, actor.uid && !already ? actor.uid : stranger);
  }
  return { table: t.name, world: "A", values };
}

/** Whether rows can be inserted at all: a table keyed by the user has its row made at signup. */
const insertable = (t: Table) =>
  !(keyColumns(t).length > 0 && keyColumns(t).every((k) => singleFk(t, k)?.referencedSchema !== undefined));

function checksFor(w: AccessWorld, t: Table, actor: Actor, counter: { n: number }): Check[] {
  const list = w.rows.get(t.name) ?? [];
  const [a, b] = list as [WorldRow, WorldRow];
  const deleted = list.find((r) => r.deleted);
  const label = (what: string) => `${t.name}: ${what} as ${actor.name}`;
  const select = (row: WorldRow, what: string): Check => ({
    actor,
    statement: `SELECT 1 FROM ${qualified(t)} WHERE ${keyMatch(t, row)}`,
    expected: granted(w, actor, t.name, "select") ? rows(visible(w, actor, t, row) ? 1 : 0) : DENIED,
    description: label(`select ${what}`),
  });
  const checks: Check[] = [select(a, "a row of scope A"), select(b, "a row of scope B")];
  if (deleted) checks.push(select(deleted, "a soft-deleted row"));
  if (insertable(t)) {
    const row = newRow(w, t, actor, counter.n++);
    checks.push(
      {
        actor,
        statement: insertSql(t, [row]),
        expected: insertOutcome(w, actor, t, row, false),
        description: label("insert"),
      },
      {
        actor,
        statement: insertSql(t, [row], true),
        expected: insertOutcome(w, actor, t, row, true),
        description: label("insert … returning"),
      },
    );
  }
  const touch = quoteIdent(touchColumn(t));
  checks.push({
    actor,
    statement: `UPDATE ${qualified(t)} SET ${touch} = ${touch} WHERE ${keyMatch(t, a)}`,
    expected: updateOutcome(w, actor, t, a, a),
    description: label("update a row of scope A"),
  });
  for (const column of decidingColumns(w, t)) {
    const moved: WorldRow = { ...a, values: new Map([...a.values, [column, b.values.get(column) ?? null]]) };
    checks.push({
      actor,
      statement: `UPDATE ${qualified(t)} SET ${quoteIdent(column)} = ${literal(b.values.get(column))} WHERE ${keyMatch(t, a)}`,
      expected: updateOutcome(w, actor, t, a, moved),
      description: label(`move a row of scope A to B's ${column}`),
    });
  }
  const live = softDeletable(t) ? " AND deleted_at IS NULL" : "";
  checks.push({
    actor,
    statement: `DELETE FROM ${qualified(t)} WHERE ${keyMatch(t, a)}`,
    probe: `SELECT count(*) FROM ${qualified(t)} WHERE ${keyMatch(t, a)}${live}`,
    expected: deleteOutcome(w, actor, t, a),
    description: label("delete a row of scope A"),
  });
  return checks;
}

// ---- the file -----------------------------------------------------------------------------------

function setupStatements(w: AccessWorld): string[] {
  const users = [...w.actors.flatMap((a) => (a.uid ? [a.uid] : [])), w.newcomer];
  const out = [
    `INSERT INTO auth.users (id, email) VALUES ${users
      .map((uid, i) => `(${quoteLiteral(uid)}::uuid, ${quoteLiteral(`dbgen-access-${i + 1}@example.test`)})`)
      .join(", ")}`,
  ];
  for (const t of w.tables) {
    const list = w.rows.get(t.name) ?? [];
    if (list.length) out.push(insertSql(t, list));
  }
  for (const t of w.tables)
    for (const row of (w.rows.get(t.name) ?? []).filter((r) => r.deleted))
      out.push(`UPDATE ${qualified(t)} SET deleted_at = now() WHERE ${keyMatch(t, row)}`);
  return out;
}

function structuralChecks(w: AccessWorld): string[] {
  return w.tables.map(
    (t) =>
      `SELECT ok((SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = ${quoteLiteral(`${t.schema ?? "public"}.${t.name}`)}::regclass), ${quoteLiteral(`${t.name} has row-level security`)});`,
  );
}

/**
 * The access tests of a production schema; `facts` is the model's schema (its access rules, members
 * and value rules), which the production state does not keep.
 */
export function planAccessTests(production: Schema, facts: Schema | undefined): AccessTestPlan {
  const w = buildWorld(production, facts);
  const counter = { n: 0 };
  const tested = w.tables.filter((t) => (w.rows.get(t.name) ?? []).length >= 2);
  const checks = tested.flatMap((t) => w.actors.map((actor) => checksFor(w, t, actor, counter))).flat();
  const structural = structuralChecks(w);
  const total = checks.length + structural.length;
  const statements = [
    "BEGIN;",
    "CREATE SCHEMA IF NOT EXISTS extensions;",
    "CREATE EXTENSION IF NOT EXISTS pgtap WITH SCHEMA extensions;",
    // pgTAP's functions, wherever CREATE EXTENSION put them (Supabase: extensions); a DO block prints nothing.
    "DO $$ BEGIN PERFORM pg_catalog.set_config('search_path', pg_catalog.current_setting('search_path') || ', extensions', true); END $$;",
    `SELECT plan(${total});`,
    ...setupStatements(w).map((s) => `${s};`),
    `${TRY_FUNCTION};`,
    ...structural,
    ...checks.map(checkSql),
    "SELECT * FROM finish();",
    "ROLLBACK;",
  ];
  const header = [
    "-- dbgen access tests (spec §2a): generated by `dbgen test` from the model's access rules; do not edit.",
    "-- Runs in one transaction and rolls back: `supabase test db`, `pg_prove`, or `dbgen test --run`.",
    `-- ${total} checks: ${tested.length} tables x ${w.actors.length} actors.`,
  ];
  return {
    sql: `${[...header, ...statements].join("\n")}\n`,
    statements,
    tests: total,
    actors: w.actors.map((a) => a.name),
    tables: tested.map((t) => t.name),
  };
}

export interface TapSummary {
  readonly planned: number;
  readonly passed: number;
  /** Each failed check: its number, description and pgTAP's have/want diagnostics. */
  readonly failed: readonly { readonly number: number; readonly description: string; readonly detail: string }[];
  /** Diagnostics outside a check (`finish()`'s "planned n but ran m"). */
  readonly notes: readonly string[];
}

/** Reads the TAP that pgTAP's functions return (`1..n`, `ok n - …`, `not ok n - …`, `# …`). */
export function readTap(lines: readonly string[]): TapSummary {
  let planned = 0;
  let passed = 0;
  const failed: { number: number; description: string; detail: string }[] = [];
  const notes: string[] = [];
  for (const line of lines.flatMap((l) => l.split("\n"))) {
    const plan = /^1\.\.(\d+)$/.exec(line);
    const result = /^(not )?ok (\d+)(?: - (.*))?$/.exec(line);
    if (plan) planned = Number(plan[1]);
    else if (result && !result[1]) passed++;
    else if (result) failed.push({ number: Number(result[2]), description: result[3] ?? "", detail: "" });
    else if (line.startsWith("#")) {
      const last = failed.at(-1);
      const text = line.replace(/^#\s?/, "");
      if (last && !/^Looks like/.test(text)) last.detail = last.detail ? `${last.detail}\n${text}` : text;
      else notes.push(text);
    }
  }
  return { planned, passed, failed, notes };
}
