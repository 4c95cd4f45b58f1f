/**
 * Policies from per-operation access rules (spec §2a). Each audience becomes a predicate; an
 * operation's audiences are OR-ed into one permissive policy. Membership is looked up by a STABLE
 * SECURITY DEFINER function in `private` that returns the ids a user reaches, called as an initplan
 * (`(SELECT private.f(…))`): evaluated once per statement, and never through the membership table's
 * own policies, so a membership table whose rules refer to membership cannot recurse.
 */
import {
  ACCESS_OPERATIONS,
  type Audience,
  CLIENT_EXECUTE_REVOKE,
  CLIENT_ROLES,
  type ForeignKey,
  type FunctionDef,
  type Grant,
  type Policy,
  parseAudience,
  quoteIdent,
  quoteLiteral,
  renderPostgresType,
  type Schema,
  shortenIdentifier,
  type Table,
  type TableMembers,
  type Trigger,
} from "@dbgen/schema-core";
import { PRIVATE_SCHEMA } from "./functions.js";
import { DENY_CLIENTS, permissivePolicy } from "./policy.js";

const UID = "(SELECT auth.uid())";
const REVOKE = ["PUBLIC", "anon"] as const;

/** A scope step: the table a row reaches through a foreign-key column. */
interface Hop {
  readonly column: string;
  readonly table: Table;
}

const tableOf = (schema: Schema, name: string) => schema.tables.find((t) => !t.schema && t.name === name);
const fkOn = (t: Table, column: string): ForeignKey | undefined =>
  t.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === column && fk.referencedSchema === undefined);

/** The tables a row's scope chain passes through, ending at the scope table. */
function hops(t: Table, schema: Schema): Hop[] {
  const out: Hop[] = [];
  let at: Table | undefined = t;
  for (const column of t.access?.rules?.scope ?? []) {
    const fk: ForeignKey | undefined = at ? fkOn(at, column) : undefined;
    const next: Table | undefined = fk ? tableOf(schema, fk.referencedTable) : undefined;
    if (!next) throw new Error(`the scope of ${t.name} does not follow foreign keys at ${column}`);
    out.push({ column, table: next });
    at = next;
  }
  return out;
}

const keyOf = (t: Table): string => t.primaryKey?.columns[0] ?? "id";
const live = (t: Table, alias: string): string[] =>
  t.columns.some((c) => c.name === "deleted_at") ? [`${alias}.deleted_at IS NULL`] : [];

/**
 * The lookup of the ids of `start` a user reaches as a member (of a scope `rest` more hops away),
 * with one of `roles` or any role when NULL.
 */
interface Lookup {
  readonly fn: FunctionDef;
  /** The column of the policy's table the ids are compared with. */
  readonly column: string;
}

function lookupFor(t: Table, schema: Schema): Lookup | undefined {
  const chain = hops(t, schema);
  const scope = chain.length ? (chain.at(-1) as Hop).table : t;
  const members = scope.members;
  if (!members) return undefined;
  const membership = tableOf(schema, members.table);
  if (!membership) throw new Error(`the members of ${scope.name} are in ${members.table}, which is no table`);
  // The ids compared: the first hop's table (or the table itself, its own scope).
  const start = chain.length ? (chain[0] as Hop).table : t;
  const rest = chain.slice(1);
  const { selected, from, where } = lookupQuery(quoteIdent(schema.name), start, rest, membership, members);
  const idType = renderPostgresType(start.columns.find((c) => c.name === keyOf(start))?.type ?? { name: "uuid" });
  const name = shortenIdentifier(
    rest.length === 0
      ? `${start.name}_ids_of_member`
      : `${start.name}_ids_of_member_via_${rest.map((h) => h.column).join("_")}`,
  );
  const fn: FunctionDef = {
    schema: PRIVATE_SCHEMA,
    name,
    // PL/pgSQL: its body is read when first called, after the tables it reads exist (functions are
    // created before tables); a SECURITY DEFINER function is never inlined anyway.
    language: "plpgsql",
    parameters: [{ name: "roles", type: "text[]" }],
    returns: `${idType}[]`,
    volatility: "stable",
    securityDefiner: true,
    revokeExecuteFrom: REVOKE,
    grantExecuteTo: ["authenticated"],
    comment: `dbgen: the ${start.name} ids the signed-in user reaches as a member${members.role ? " (with one of roles; any role when NULL)" : ""}; policies call it once per statement.`,
    body: `
BEGIN
  RETURN (
    SELECT coalesce(pg_catalog.array_agg(DISTINCT ${selected}), '{}')
    FROM ${from.join("\n      ")}
    WHERE ${where.join("\n      AND ")}
  );
END;`,
  };
  return { fn, column: chain.length ? (chain[0] as Hop).column : keyOf(t) };
}

/**
 * The lookup's query: the membership rows of the signed-in user (with one of `roles`), joined along
 * the chain from `start` (`rest`: the hops after the first) to the scope; live rows only.
 */
function lookupQuery(
  s: string,
  start: Table,
  rest: readonly Hop[],
  membership: Table,
  members: TableMembers,
): { selected: string; from: string[]; where: string[] } {
  const own = [
    `m.${quoteIdent(members.user)} = ${UID}`,
    ...(members.role ? [`(roles IS NULL OR m.${quoteIdent(members.role)}::text = ANY (roles))`] : []),
    ...live(membership, "m"),
  ];
  if (rest.length === 0)
    return {
      selected: `m.${quoteIdent(members.scopeColumn)}`,
      from: [`${s}.${quoteIdent(membership.name)} AS m`],
      where: own,
    };
  const from = [`${s}.${quoteIdent(start.name)} AS s0`];
  const where = [...own, ...live(start, "s0")];
  rest.slice(0, -1).forEach((hop, i) => {
    const alias = `s${i + 1}`;
    from.push(
      `JOIN ${s}.${quoteIdent(hop.table.name)} AS ${alias} ON ${alias}.${quoteIdent(keyOf(hop.table))} = s${i}.${quoteIdent(hop.column)}`,
    );
    where.push(...live(hop.table, alias));
  });
  const scopeId = `s${rest.length - 1}.${quoteIdent((rest.at(-1) as Hop).column)}`;
  from.push(`JOIN ${s}.${quoteIdent(membership.name)} AS m ON m.${quoteIdent(members.scopeColumn)} = ${scopeId}`);
  return { selected: `s0.${quoteIdent(keyOf(start))}`, from, where };
}

/** The table whose `members` name `t` as their membership table, if any. */
function membershipOf(t: Table, schema: Schema): TableMembers | undefined {
  return schema.tables.find((x) => x.members?.table === t.name)?.members;
}

function audiencePredicate(t: Table, schema: Schema, audience: Audience, lookup: Lookup | undefined): string {
  const rules = t.access?.rules;
  const col = (name: string) => `${quoteIdent(t.name)}.${quoteIdent(name)}`;
  switch (audience.kind) {
    case "public":
      return "true";
    case "authenticated":
      return `${UID} IS NOT NULL`;
    case "owner":
      return `${col(rules?.owner ?? "")} = ${UID}`;
    case "self":
      return `${col(membershipOf(t, schema)?.user ?? "")} = ${UID}`;
    case "members": {
      if (!lookup) throw new Error(`${t.name} has a members audience and no scope with members`);
      const roles = audience.roles ? `ARRAY[${audience.roles.map(quoteLiteral).join(", ")}]::text[]` : "NULL::text[]";
      // The cast makes the subquery one array value (`= ANY (subquery)` would compare with each row).
      return `${col(lookup.column)} = ANY ((SELECT ${quoteIdent(lookup.fn.schema)}.${quoteIdent(lookup.fn.name)}(${roles}))::${lookup.fn.returns})`;
    }
    case "claim": {
      const path = quoteLiteral(`{${audience.path.join(",")}}`);
      return `((SELECT auth.jwt()) #>> ${path}) = ANY (ARRAY[${audience.values.map(quoteLiteral).join(", ")}])`;
    }
    case "via": {
      const fk = fkOn(t, audience.field);
      if (!fk) throw new Error(`via:${audience.field} of ${t.name} is no foreign key`);
      return `EXISTS (SELECT 1 FROM ${quoteIdent(schema.name)}.${quoteIdent(fk.referencedTable)} AS r WHERE r.${quoteIdent(fk.referencedColumns[0] ?? "")} = ${col(audience.field)})`;
    }
  }
}

export interface RulesSecurity {
  readonly policies: Policy[];
  readonly grants: Grant[];
  readonly functions: FunctionDef[];
  readonly triggers: Trigger[];
}

const or = (parts: readonly string[]): string =>
  parts.includes("true") ? "true" : parts.length === 1 ? (parts[0] as string) : `(${parts.join(" OR ")})`;
const and = (...parts: (string | undefined)[]): string | undefined => {
  const kept = parts.filter((p): p is string => p !== undefined && p !== "true");
  return kept.length ? kept.join(" AND ") : "true";
};

/**
 * The policies, grants, lookup function and creator trigger of a table with access rules. `attach`
 * is what writes must also satisfy (the rows they point at are visible); `live` hides soft-deleted rows.
 */
export function rulesSecurity(
  t: Table,
  schema: Schema,
  attach: string | undefined,
  liveRows: string | undefined,
): RulesSecurity {
  const rules = t.access?.rules;
  if (!rules) throw new Error(`${t.name} has no access rules`);
  const lookup = lookupFor(t, schema);
  const policies: Policy[] = [];
  const anon: Grant["privileges"][number][] = [];
  const signedIn: Grant["privileges"][number][] = [];
  for (const op of ACCESS_OPERATIONS) {
    const audiences = rules.operations[op].map(parseAudience).filter((a): a is Audience => typeof a !== "string");
    if (audiences.length === 0) continue;
    const isPublic = audiences.some((a) => a.kind === "public");
    if (isPublic) anon.push(op);
    signedIn.push(op);
    let who = or(audiences.map((a) => audiencePredicate(t, schema, a, lookup)));
    // Whoever inserts a row reads it back in the transaction that made it (insert … returning, what
    // supabase-js's .insert().select() does), even when the rules give them no read (an append-only
    // log) or not yet (a scope row, before the membership its trigger adds exists). PostgREST runs
    // each request in its own transaction, so this reaches no further than the request.
    const inserted = rules.operations.insert.length > 0 && t.columns.some((c) => c.name === "created_by");
    if (op === "select" && inserted && who !== "true")
      who = `(${who} OR (${quoteIdent(t.name)}.created_by = ${UID} AND ${quoteIdent(t.name)}.created_at = pg_catalog.now()))`;
    const roles = isPublic ? [...CLIENT_ROLES] : ["authenticated"];
    const name = `${op}_by_rule`;
    if (op === "select") policies.push(permissivePolicy(name, op, roles, and(who, liveRows)));
    if (op === "insert") policies.push(permissivePolicy(name, op, roles, undefined, and(who, attach)));
    if (op === "update")
      policies.push(permissivePolicy(name, op, roles, and(who, liveRows), and(who, attach, liveRows)));
    if (op === "delete") policies.push(permissivePolicy(name, op, roles, and(who, liveRows)));
  }
  const grants: Grant[] = [
    ...(anon.length ? [{ role: "anon", privileges: anon }] : []),
    ...(signedIn.length ? [{ role: "authenticated", privileges: signedIn }] : []),
    { role: "service_role", privileges: ["select", "insert", "update", "delete"] },
  ];
  const usesMembers = ACCESS_OPERATIONS.some((op) =>
    rules.operations[op].some((a) => {
      const parsed = parseAudience(a);
      return typeof parsed !== "string" && parsed.kind === "members";
    }),
  );
  return {
    policies: policies.length ? policies : [DENY_CLIENTS],
    grants,
    functions: lookup && usesMembers ? [lookup.fn] : [],
    triggers: t.members?.creatorRole ? [creatorTrigger(t, schema, t.members)] : [],
  };
}

/** The creator of a scope row becomes its member with `creatorRole`, in the same statement. */
export const ADD_CREATOR_MEMBERSHIP: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "add_creator_membership",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: true,
  revokeExecuteFrom: CLIENT_EXECUTE_REVOKE,
  comment:
    "dbgen: whoever inserts a scope row (an organization) becomes its member with the creator role; its arguments name the membership table, its columns, the role and the key.",
  body: `
BEGIN
  IF auth.uid() IS NULL THEN
    RETURN NULL;
  END IF;
  IF TG_ARGV[4] = '' THEN
    EXECUTE pg_catalog.format('INSERT INTO %I.%I (%I, %I) SELECT ($1).%I, $2', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], TG_ARGV[6])
      USING NEW, auth.uid();
  ELSE
    EXECUTE pg_catalog.format('INSERT INTO %I.%I (%I, %I, %I) SELECT ($1).%I, $2, %L', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], TG_ARGV[4], TG_ARGV[6], TG_ARGV[5])
      USING NEW, auth.uid();
  END IF;
  RETURN NULL;
END;`,
};

function creatorTrigger(t: Table, schema: Schema, members: TableMembers): Trigger {
  return {
    name: "add_creator_membership",
    timing: "after",
    events: ["insert"],
    function: `${PRIVATE_SCHEMA}.${ADD_CREATOR_MEMBERSHIP.name}`,
    args: [
      schema.name,
      members.table,
      members.scopeColumn,
      members.user,
      members.role ?? "",
      members.creatorRole ?? "",
      keyOf(t),
    ],
  };
}
