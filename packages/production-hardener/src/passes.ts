/**
 * The hardening passes: each a small pure function over the merged IR, run in order by `harden`.
 */
import {
  type CheckConstraint,
  CLIENT_ROLES,
  type Column,
  derivedName,
  type ForeignKey,
  type FunctionDef,
  type Grant,
  type Index,
  indexShape,
  type Policy,
  quoteIdent,
  quoteLiteral,
  type Schema,
  shortenIdentifier,
  type Table,
  type TableAccess,
  type Trigger,
} from "@dbgen/schema-core";
import {
  AUDIT_SCHEMA,
  CREATE_PROFILE,
  LOG_CHANGE,
  PRIVATE_SCHEMA,
  SET_CHOSEN_SYSTEM_COLUMNS,
  SET_CREATED_COLUMNS,
  SET_SYSTEM_COLUMNS,
  SOFT_DELETE,
} from "./functions.js";
import { DENY_CLIENTS, permissivePolicy } from "./policy.js";
import { ADD_CREATOR_MEMBERSHIP, rulesSecurity } from "./rules.js";
import { SUPABASE_ROLES } from "./supabase.js";

/** Passes read the model's facts from the IR (`Table.access`, `Column.rules`), never the BUSM itself. */
export type Pass = (schema: Schema) => Schema;

const mapTables = (schema: Schema, fn: (t: Table) => Table): Schema => ({
  ...schema,
  tables: schema.tables.map((t) => (t.schema ? t : fn(t))),
});
const isJoinTable = (t: Table): boolean =>
  !t.entity && t.foreignKeys.length >= 2 && (t.primaryKey?.columns.length ?? 0) >= 2;

/** The model's access mode of a table; service-only when it says nothing (or the table has no entity). */
export function accessOf(t: Table): TableAccess {
  return t.access ?? { mode: "service-only" };
}

function literal(value: number): string {
  return Number.isFinite(value) ? String(value) : "NULL";
}

/** CHECK constraints from enum values, min/max and patterns (NOT NULL, UNIQUE and ON DELETE come with the merged schema). */
export const constraintsPass: Pass = (schema) =>
  mapTables(schema, (t) => {
    const checks: CheckConstraint[] = [...t.checks];
    for (const column of t.columns) {
      const rules = column.rules;
      const c = quoteIdent(column.name);
      const conditions: string[] = [];
      const values = column.enum?.values;
      // An array of enum values holds only listed ones: it is contained in the list (as text[]:
      // `<@` wants both sides of one type, and a varchar(n)[] is not a text[]). An enum type holds
      // only its own values already.
      if (values && values.length > 0 && column.type.name !== "enum")
        conditions.push(
          column.type.array
            ? `${c}::text[] <@ ARRAY[${values.map(quoteLiteral).join(", ")}]::text[]`
            : `${c} IN (${values.map(quoteLiteral).join(", ")})`,
        );
      if (rules?.min !== undefined) conditions.push(`${c} >= ${literal(rules.min)}`);
      if (rules?.max !== undefined) conditions.push(`${c} <= ${literal(rules.max)}`);
      if (rules?.pattern !== undefined) conditions.push(`${c} ~ ${quoteLiteral(rules.pattern)}`);
      if (conditions.length === 0) continue;
      const name = derivedName(t.name, [column.name], "check");
      if (!checks.some((k) => k.name === name)) checks.push({ name, expression: conditions.join(" AND ") });
    }
    return { ...t, checks };
  });

const SYSTEM_COLUMNS: readonly Column[] = [
  {
    name: "created_at",
    type: { name: "timestamptz" },
    nullable: false,
    default: { kind: "expression", sql: "now()" },
    comment: "Set by dbgen's trigger on insert.",
  },
  {
    name: "created_by",
    type: { name: "uuid" },
    nullable: true,
    comment: "The signed-in user who inserted the row (NULL for service_role).",
  },
  {
    name: "updated_at",
    type: { name: "timestamptz" },
    nullable: false,
    default: { kind: "expression", sql: "now()" },
    comment: "Set by dbgen's trigger on every write.",
  },
  {
    name: "updated_by",
    type: { name: "uuid" },
    nullable: true,
    comment: "The signed-in user who last changed the row.",
  },
  {
    name: "deleted_at",
    type: { name: "timestamptz" },
    nullable: true,
    comment: "Soft delete: set by a DELETE through the API; such rows are hidden from clients.",
  },
  {
    name: "version",
    type: { name: "integer" },
    nullable: false,
    default: { kind: "literal", value: 1 },
    comment: "Optimistic locking: grows by one on every update.",
  },
];
const JOIN_SYSTEM_COLUMNS = SYSTEM_COLUMNS.filter((c) => c.name === "created_at" || c.name === "created_by");

/** The optional system columns a table goes without (the model's `softDelete: false`, `versioned: false`). */
function omittedSystemColumns(t: Table): string[] {
  return [
    ...(t.features?.softDelete === false ? ["deleted_at"] : []),
    ...(t.features?.versioned === false ? ["version"] : []),
  ];
}

/** The trigger keeping a table's system columns: the full set, a join table's, or the chosen ones. */
function systemColumnsTrigger(t: Table): Trigger {
  const omitted = omittedSystemColumns(t);
  const base = { name: "set_system_columns", timing: "before", events: ["insert", "update"] } as const;
  if (isJoinTable(t)) return { ...base, function: `${PRIVATE_SCHEMA}.${SET_CREATED_COLUMNS.name}` };
  if (omitted.length === 0) return { ...base, function: `${PRIVATE_SCHEMA}.${SET_SYSTEM_COLUMNS.name}` };
  const kept = ["deleted_at", "version"].filter((c) => !omitted.includes(c));
  return { ...base, function: `${PRIVATE_SCHEMA}.${SET_CHOSEN_SYSTEM_COLUMNS.name}`, args: kept };
}

/**
 * created_at/by, updated_at/by, deleted_at and version, kept by a trigger (join tables: created_at/by;
 * a table the model switches out of soft delete or versioning goes without that column).
 */
export const systemColumnsPass: Pass = (schema) => {
  const tables = mapTables(schema, (t) => {
    const omitted = omittedSystemColumns(t);
    const wanted = (isJoinTable(t) ? JOIN_SYSTEM_COLUMNS : SYSTEM_COLUMNS).filter((c) => !omitted.includes(c.name));
    const columns = [...t.columns, ...wanted.filter((c) => !t.columns.some((x) => x.name === c.name))];
    return { ...t, columns, triggers: [...(t.triggers ?? []), systemColumnsTrigger(t)] };
  });
  // NOTE: the chosen-columns function is installed only when a table uses it, so projects that switch
  // nothing off get exactly the functions they had.
  const chosen = tables.tables.some((t) => !t.schema && !isJoinTable(t) && omittedSystemColumns(t).length > 0);
  return {
    ...tables,
    functions: [
      ...(schema.functions ?? []),
      SET_SYSTEM_COLUMNS,
      SET_CREATED_COLUMNS,
      ...(chosen ? [SET_CHOSEN_SYSTEM_COLUMNS] : []),
    ],
  };
};

const softDeletable = (t: Table): boolean => t.columns.some((c) => c.name === "deleted_at") && !isJoinTable(t);

/** Partial indexes for the lookups row-level security makes on every read, and no two identical indexes. */
export const indexesPass: Pass = (schema) =>
  mapTables(schema, (t) => {
    const indexes: Index[] = [];
    const access = accessOf(t);
    const key = access.mode === "parent" ? access.via : access.column;
    const wanted = [...t.indexes];
    if (softDeletable(t) && key && t.columns.some((c) => c.name === key)) {
      wanted.push({
        name: shortenIdentifier(`${t.name}_${key}_active_idx`),
        columns: [key],
        unique: false,
        where: "deleted_at IS NULL",
      });
    }
    for (const index of wanted) {
      if (!indexes.some((i) => indexShape(i) === indexShape(index))) indexes.push(index);
    }
    return { ...t, indexes };
  });

const UID = "(SELECT auth.uid())";
const allowAll = (roles: readonly string[]): Grant[] =>
  roles.map((role) => ({ role, privileges: ["select", "insert", "update", "delete"] }));
const policy = permissivePolicy;

/**
 * `EXISTS (SELECT 1 FROM <referenced> AS r WHERE r.<key> = <table>.<column>)`: true when the row a
 * foreign key points at is visible to the user — the subquery runs under the user's own policies.
 */
function referencedRowVisible(t: Table, fk: ForeignKey, schema: Schema): string {
  const match = fk.referencedColumns
    .map((rc, i) => `r.${quoteIdent(rc)} = ${quoteIdent(t.name)}.${quoteIdent(fk.columns[i] ?? "")}`)
    .join(" AND ");
  return `EXISTS (SELECT 1 FROM ${quoteIdent(schema.name)}.${quoteIdent(fk.referencedTable)} AS r WHERE ${match})`;
}

const SCOPED_MODES: ReadonlySet<string> = new Set(["owner", "tenant", "parent"]);

/** The tables whose rows decide `name`'s visibility, following parent access upwards (validate refuses circles). */
function parentChain(name: string, schema: Schema): string[] {
  const chain: string[] = [];
  let table = schema.tables.find((x) => x.name === name);
  while (table?.access?.mode === "parent" && chain.length < schema.tables.length) {
    const via = table.access.via;
    const parent = table.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === via)?.referencedTable;
    if (!parent) break;
    chain.push(parent);
    table = schema.tables.find((x) => x.name === parent);
  }
  return chain;
}

/**
 * What a client's insert or update must also satisfy: every row it points at in an owner-, tenant-
 * or parent-scoped table is one the user can see. Foreign-key checks bypass row-level security, so
 * without this a user could attach rows to another owner's or tenant's rows.
 */
function attachable(t: Table, schema: Schema, except?: ForeignKey): string | undefined {
  const scoped = (name: string) => {
    const access = accessOf(schema.tables.find((x) => x.name === name) ?? t);
    // A table with rules is scoped unless every signed-in user may read it.
    if (access.mode === "rules")
      return !(access.rules?.operations.select ?? []).some((a) => a === "public" || a === "authenticated");
    return SCOPED_MODES.has(access.mode);
  };
  const parts = t.foreignKeys
    .filter(
      (fk) =>
        fk !== except &&
        fk.referencedSchema === undefined &&
        fk.referencedTable !== t.name &&
        scoped(fk.referencedTable) &&
        // NOTE: a table whose visibility follows `t` (a parent chain back to it) would make
        // PostgreSQL expand t's policies inside themselves ("infinite recursion detected in policy").
        !parentChain(fk.referencedTable, schema).includes(t.name),
    )
    .map((fk) => {
      const empty = fk.columns.map((c) => `${quoteIdent(t.name)}.${quoteIdent(c)} IS NULL`).join(" OR ");
      return `(${empty} OR ${referencedRowVisible(t, fk, schema)})`;
    });
  return parts.length ? parts.join(" AND ") : undefined;
}

/** The four policies of a scoped table: `mine` decides every action; writes must also keep what they point at visible. */
function scopedPolicies(
  mode: string,
  mine: string,
  live: string | undefined,
  attach: string | undefined,
  serviceRole: Grant,
): { policies: Policy[]; grants: Grant[] } {
  const and = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" AND ");
  return {
    policies: [
      policy(`${mode}_select`, "select", ["authenticated"], and(mine, live)),
      policy(`${mode}_insert`, "insert", ["authenticated"], undefined, and(mine, attach)),
      policy(`${mode}_update`, "update", ["authenticated"], and(mine, live), and(mine, attach, live)),
      policy(`${mode}_delete`, "delete", ["authenticated"], and(mine, live)),
    ],
    grants: [...allowAll(["authenticated"]), serviceRole],
  };
}

/**
 * Policies for one table: permissive ones per role and action, and a restrictive deny where clients
 * must never reach; access rules also bring their membership lookups and creator trigger.
 */
function policiesFor(
  t: Table,
  schema: Schema,
): { policies: Policy[]; grants: Grant[]; functions?: FunctionDef[]; triggers?: Trigger[] } {
  const serviceRole: Grant = { role: "service_role", privileges: ["select", "insert", "update", "delete"] };
  const live = softDeletable(t) ? "deleted_at IS NULL" : undefined;
  const and = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(" AND ");
  if (isJoinTable(t)) {
    // Reachable only by a user who can reach both rows it joins: the subqueries run under the user's own policies.
    const ends = t.foreignKeys.map((fk) => referencedRowVisible(t, fk, schema));
    const both = ends.join(" AND ");
    return {
      policies: [
        policy("join_select", "select", ["authenticated"], both),
        policy("join_insert", "insert", ["authenticated"], undefined, both),
        policy("join_update", "update", ["authenticated"], both, both),
        policy("join_delete", "delete", ["authenticated"], both),
      ],
      grants: [...allowAll(["authenticated"]), serviceRole],
    };
  }
  const access = accessOf(t);
  switch (access.mode) {
    case "rules":
      return rulesSecurity(t, schema, attachable(t, schema), live);
    case "owner":
    case "tenant": {
      const column = quoteIdent(access.column ?? "");
      const type = t.columns.find((c) => c.name === access.column)?.type.name;
      const subject =
        access.mode === "owner"
          ? UID
          : `((SELECT auth.jwt()) ->> ${quoteLiteral(access.claim ?? "tenant_id")})${type === "uuid" ? "::uuid" : ""}`;
      return scopedPolicies(access.mode, `${column} = ${subject}`, live, attachable(t, schema), serviceRole);
    }
    case "parent": {
      const via = t.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === access.via);
      if (!via)
        throw new Error(`parent access of ${t.name} follows ${access.via ?? "nothing"}, which is no foreign key`);
      const visible = referencedRowVisible(t, via, schema);
      return scopedPolicies("parent", visible, live, attachable(t, schema, via), serviceRole);
    }
    case "authenticated":
    case "public-read": {
      const signedIn = `${UID} IS NOT NULL`;
      const write = and(signedIn, attachable(t, schema));
      const readers = access.mode === "public-read" ? [...CLIENT_ROLES] : ["authenticated"];
      return {
        policies: [
          policy(
            access.mode === "public-read" ? "public_select" : "authenticated_select",
            "select",
            readers,
            live ?? "true",
          ),
          policy("authenticated_insert", "insert", ["authenticated"], undefined, write),
          policy("authenticated_update", "update", ["authenticated"], and(signedIn, live), and(write, live)),
          policy("authenticated_delete", "delete", ["authenticated"], and(signedIn, live)),
        ],
        grants: [
          ...(access.mode === "public-read" ? [{ role: "anon", privileges: ["select"] } as Grant] : []),
          ...allowAll(["authenticated"]),
          serviceRole,
        ],
      };
    }
    default:
      return {
        policies: [DENY_CLIENTS],
        grants: [serviceRole],
      };
  }
}

/**
 * Row-level security on every table, policies from `access`, and grants for anon, authenticated and
 * service_role; for access rules also the membership lookups and the creator's membership trigger.
 */
export const securityPass: Pass = (schema) => {
  const functions = new Map((schema.functions ?? []).map((f) => [f.name, f]));
  const secured = mapTables(schema, (t) => {
    const { policies, grants, functions: lookups = [], triggers = [] } = policiesFor(t, schema);
    for (const fn of lookups) functions.set(fn.name, fn);
    if (triggers.length) functions.set(ADD_CREATOR_MEMBERSHIP.name, ADD_CREATOR_MEMBERSHIP);
    return {
      ...t,
      rowLevelSecurity: true,
      policies: [...(t.policies ?? []), ...policies],
      grants,
      ...(triggers.length ? { triggers: [...(t.triggers ?? []), ...triggers] } : {}),
    };
  });
  return {
    ...secured,
    functions: [...functions.values()],
    managedRoles: SUPABASE_ROLES,
  };
};

/** A client's DELETE of a soft-deletable row sets deleted_at instead (see SOFT_DELETE). */
export const softDeletePass: Pass = (schema) => ({
  ...mapTables(schema, (t) =>
    softDeletable(t)
      ? {
          ...t,
          triggers: [
            ...(t.triggers ?? []),
            {
              name: "soft_delete",
              timing: "before",
              events: ["delete"],
              function: `${PRIVATE_SCHEMA}.${SOFT_DELETE.name}`,
              args: [...(t.primaryKey?.columns ?? [])],
            },
          ],
        }
      : t,
  ),
  functions: [...(schema.functions ?? []), SOFT_DELETE],
});

/** The audit log: its own schema, a table clients cannot reach, and one trigger function for every table. */
export const auditPass: Pass = (schema) => {
  const log: Table = {
    name: "log",
    schema: AUDIT_SCHEMA,
    comment: "dbgen's audit log: every insert, update and delete of the public tables. Only service_role reads it.",
    columns: [
      {
        name: "id",
        type: { name: "uuid" },
        nullable: false,
        default: { kind: "expression", sql: "gen_random_uuid()" },
      },
      { name: "table_schema", type: { name: "text" }, nullable: false },
      { name: "table_name", type: { name: "text" }, nullable: false },
      { name: "record_id", type: { name: "text" }, nullable: false },
      { name: "operation", type: { name: "text" }, nullable: false },
      { name: "old_row", type: { name: "jsonb" }, nullable: true },
      { name: "new_row", type: { name: "jsonb" }, nullable: true },
      { name: "actor", type: { name: "uuid" }, nullable: true },
      { name: "at", type: { name: "timestamptz" }, nullable: false, default: { kind: "expression", sql: "now()" } },
    ],
    primaryKey: { name: "log_pkey", columns: ["id"] },
    foreignKeys: [],
    uniques: [],
    checks: [{ name: "log_operation_check", expression: "operation IN ('INSERT', 'UPDATE', 'DELETE')" }],
    indexes: [{ name: "log_table_name_record_id_idx", columns: ["table_name", "record_id"], unique: false }],
    rowLevelSecurity: true,
    policies: [DENY_CLIENTS],
    grants: [{ role: "service_role", privileges: ["select"] }],
  };
  const withTriggers = mapTables(schema, (t) =>
    t.features?.audit === false
      ? t
      : {
          ...t,
          triggers: [
            ...(t.triggers ?? []),
            {
              name: "audit",
              timing: "after",
              events: ["insert", "update", "delete"],
              function: `${AUDIT_SCHEMA}.${LOG_CHANGE.name}`,
              args: [...(t.primaryKey?.columns ?? [])],
            },
          ],
        },
  );
  return {
    ...withTriggers,
    tables: [...withTriggers.tables, log],
    functions: [...(schema.functions ?? []), LOG_CHANGE],
    extraSchemas: [{ name: AUDIT_SCHEMA, usage: ["service_role"] }, { name: PRIVATE_SCHEMA }],
  };
};

/** Supabase Realtime's publication, which a table joins when the model says `realtime`. */
const REALTIME_PUBLICATION = "supabase_realtime";

/** The model's realtime tables join Supabase Realtime's publication. */
const realtimePass: Pass = (schema) =>
  mapTables(schema, (t) => (t.features?.realtime ? { ...t, publications: [REALTIME_PUBLICATION] } : t));

/** Each profile table gets its row on every signup: a trigger on `auth.users` (see CREATE_PROFILE). */
const profilePass: Pass = (schema) => {
  const profiles = schema.tables.filter((t) => !t.schema && t.features?.profile && t.primaryKey?.columns.length === 1);
  if (profiles.length === 0) return schema;
  const triggers = profiles.map((t) => ({
    schema: "auth",
    table: "users",
    trigger: {
      name: shortenIdentifier(`create_${t.name}_on_signup`),
      timing: "after" as const,
      events: ["insert" as const],
      function: `${PRIVATE_SCHEMA}.${CREATE_PROFILE.name}`,
      args: [schema.name, t.name, t.primaryKey?.columns[0] ?? "id"],
    },
  }));
  return {
    ...schema,
    functions: [...(schema.functions ?? []), CREATE_PROFILE],
    foreignTriggers: [...(schema.foreignTriggers ?? []), ...triggers],
  };
};

/** The passes in order. Each is gated by what the schema's dialect can do (PostgreSQL: all). */
export const PASSES: readonly { readonly name: string; readonly pass: Pass }[] = [
  { name: "constraints", pass: constraintsPass },
  { name: "system columns", pass: systemColumnsPass },
  { name: "indexes", pass: indexesPass },
  { name: "security", pass: securityPass },
  { name: "soft delete", pass: softDeletePass },
  { name: "audit", pass: auditPass },
  { name: "realtime", pass: realtimePass },
  { name: "profile", pass: profilePass },
];

/** The production schema: every pass over the merged schema. */
/**
 * The merged schema hardened for production. The model's facts are consumed here (access became
 * policies, rules became checks) and are not part of the result, so its snapshot holds the database
 * only.
 */
export function harden(merged: Schema): Schema {
  return withoutModelFacts(PASSES.reduce((schema, { pass }) => pass(schema), merged));
}

function withoutModelFacts(schema: Schema): Schema {
  const column = ({ rules: _rules, ...rest }: Column): Column => rest;
  const table = ({ access: _access, features: _features, ...rest }: Table): Table => ({
    ...rest,
    columns: rest.columns.map(column),
  });
  return { ...schema, tables: schema.tables.map(table) };
}
