/**
 * PostgreSQL introspection into the schema IR, from the catalogs: what the database really holds,
 * so tests and drift checks compare it with what the model asked for.
 */
import {
  type CheckConstraint,
  type Column,
  type ColumnDefault,
  type ForeignKey,
  type Grant,
  type Index,
  type Policy,
  parsePostgresType,
  quoteLiteral,
  type ReferentialAction,
  type Schema,
  type SqlType,
  SUPABASE_ROLES,
  type Table,
  type Trigger,
  type UniqueConstraint,
  userError,
} from "@dbgen/schema-core";
import type { Knex } from "knex";

interface ColumnRow {
  table_name: string;
  column_name: string;
  type: string;
  nullable: boolean;
  default_expr: string | null;
  comment: string | null;
  identity: boolean;
  generated: boolean;
  /** The enum type (of this schema) the column or its elements hold. */
  enum_type: string | null;
  is_array: boolean;
}
interface TableRow {
  table_name: string;
  comment: string | null;
  rls: boolean;
}
interface ConstraintRow {
  table_name: string;
  name: string;
  kind: "p" | "u" | "f" | "c" | "x" | "t";
  columns: string[];
  ref_table: string | null;
  /** The referenced table's schema when it is not the table's own. */
  ref_schema: string | null;
  ref_columns: string[] | null;
  on_delete: string;
  on_update: string;
  definition: string;
}
interface PolicyRow {
  table_name: string;
  name: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using_expr: string | null;
  check_expr: string | null;
}
interface TriggerRow {
  table_name: string;
  name: string;
  type: number;
  function: string;
}
interface GrantRow {
  table_name: string;
  grantee: string;
  privilege: string;
}
interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  columns: string[];
  predicate: string | null;
  method: string;
  /** Per column: the operator class's name, or "" for the type's default. */
  ops: string[];
  descending: boolean[];
}

/** `format_type()` output → a physical type. */
export function parseFormatType(text: string): SqlType {
  const type = parsePostgresType(text);
  if (type) return type;
  throw userError(
    "INVALID_CONFIG",
    `Column type "${text}" is not one dbgen models`,
    "use the BUSM's types, or leave such tables out of dbgen's schema",
  );
}

const NUMERIC_TYPES = new Set(["smallint", "integer", "bigint", "numeric", "real"]);

/** `pg_get_expr()` of a default → the IR's literal or expression. */
export function parseDefault(expr: string, type: SqlType): ColumnDefault {
  const literal = /^'((?:[^']|'')*)'(?:::[\w\s.]+(?:\(\d+(?:,\d+)?\))?(?:\[\])?)?$/.exec(expr);
  if (literal) {
    const value = (literal[1] ?? "").replaceAll("''", "'");
    return !type.array && NUMERIC_TYPES.has(type.name) && value.trim() !== "" && !Number.isNaN(Number(value))
      ? { kind: "literal", value: Number(value) }
      : { kind: "literal", value };
  }
  if (expr === "true" || expr === "false") return { kind: "literal", value: expr === "true" };
  if (/^-?\d+(\.\d+)?$/.test(expr)) return { kind: "literal", value: Number(expr) };
  const cast = /^\((-?\d+(?:\.\d+)?)\)::\w+$/.exec(expr);
  if (cast) return { kind: "literal", value: Number(cast[1]) };
  return { kind: "expression", sql: expr };
}

const ACTIONS: Record<string, ReferentialAction> = { a: "no action", r: "restrict", c: "cascade", n: "set null" };

/** An index's method, operator classes and order, present only where they are not the defaults. */
function indexOptions(i: IndexRow): Pick<Index, "method" | "ops" | "descending"> {
  const ops = i.ops.map((o) => (o === "" ? null : o));
  return {
    ...(i.method !== "btree" ? { method: i.method as NonNullable<Index["method"]> } : {}),
    ...(ops.some((o) => o !== null) ? { ops } : {}),
    ...(i.descending.some(Boolean) ? { descending: i.descending } : {}),
  };
}

/** A partial index's predicate comes back wrapped in parentheses: unwrap one balanced pair. */
function unwrap(expr: string): string {
  if (!expr.startsWith("(") || !expr.endsWith(")")) return expr;
  let depth = 0;
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] === "(") depth++;
    else if (expr[i] === ")") depth--;
    if (depth === 0 && i < expr.length - 1) return expr;
  }
  return expr.slice(1, -1);
}

/** The catalog queries introspection runs, each over one schema (`?`). */
const CATALOG_SQL = {
  tables: `select c.relname as table_name, obj_description(c.oid, 'pg_class') as comment, c.relrowsecurity as rls
   from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = ? and c.relkind in ('r', 'p') order by c.relname`,
  columns: `select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type,
          not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default_expr, a.attidentity <> '' as identity,
          a.attgenerated = 's' as generated,
          col_description(c.oid, a.attnum) as comment,
          (select et.typname from pg_type ty
             join pg_type et on et.oid = case when ty.typcategory = 'A' then ty.typelem else ty.oid end
             where ty.oid = a.atttypid and et.typtype = 'e' and et.typnamespace = n.oid) as enum_type,
          (select ty.typcategory = 'A' from pg_type ty where ty.oid = a.atttypid) as is_array
   from pg_class c join pg_namespace n on n.oid = c.relnamespace
   join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
   where n.nspname = ? and c.relkind in ('r', 'p') order by c.relname, a.attnum`,
  constraints: `select c.relname as table_name, con.conname as name, con.contype as kind,
          array(select att.attname::text from unnest(con.conkey) with ordinality k(num, ord)
                join pg_attribute att on att.attrelid = con.conrelid and att.attnum = k.num order by k.ord) as columns,
          fr.relname as ref_table,
          case when fn.nspname <> n.nspname then fn.nspname::text end as ref_schema,
          case when con.confrelid = 0 then null else
            array(select att.attname::text from unnest(con.confkey) with ordinality k(num, ord)
                  join pg_attribute att on att.attrelid = con.confrelid and att.attnum = k.num order by k.ord) end as ref_columns,
          con.confdeltype as on_delete, con.confupdtype as on_update, pg_get_constraintdef(con.oid) as definition
   from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
   left join pg_class fr on fr.oid = con.confrelid left join pg_namespace fn on fn.oid = fr.relnamespace
   where n.nspname = ? and c.relkind in ('r', 'p') order by c.relname, con.conname`,
  indexes: `select t.relname as table_name, i.relname as name, ix.indisunique as is_unique,
          array(select a.attname::text from unnest(ix.indkey) with ordinality k(num, ord)
                join pg_attribute a on a.attrelid = ix.indrelid and a.attnum = k.num order by k.ord) as columns,
          pg_get_expr(ix.indpred, ix.indrelid) as predicate, am.amname as method,
          array(select case when oc.opcdefault then '' else oc.opcname::text end
                from unnest(ix.indclass) with ordinality k(oid, ord) join pg_opclass oc on oc.oid = k.oid
                order by k.ord) as ops,
          array(select (o & 1) = 1 from unnest(ix.indoption) with ordinality k(o, ord) order by k.ord) as descending
   from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid
   join pg_am am on am.oid = i.relam
   join pg_namespace n on n.oid = t.relnamespace
   where n.nspname = ? and not exists (
     select 1 from pg_constraint con where con.conindid = ix.indexrelid and con.contype in ('p', 'u', 'x'))
   order by t.relname, i.relname`,
  policies: `select c.relname as table_name, p.polname as name, p.polcmd as command, p.polpermissive as permissive,
          array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) r order by 1) as roles,
          pg_get_expr(p.polqual, p.polrelid) as using_expr, pg_get_expr(p.polwithcheck, p.polrelid) as check_expr
   from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
   where n.nspname = ? order by c.relname, p.polname`,
  triggers: `select c.relname as table_name, t.tgname as name, t.tgtype::int as type, fn.pronamespace::regnamespace::text || '.' || fn.proname as function
   from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace join pg_proc fn on fn.oid = t.tgfoid
   where n.nspname = ? and not t.tgisinternal order by c.relname, t.tgname`,
  grants: `select table_name, grantee, lower(privilege_type) as privilege from information_schema.role_table_grants
   where table_schema = ? and grantee in (${SUPABASE_ROLES.map(quoteLiteral).join(", ")}) and privilege_type in ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
   order by table_name, grantee, privilege_type`,
  publications: `select tablename as table_name, pubname as name from pg_publication_tables where schemaname = ? order by tablename, pubname`,
  enumTypes: `select t.typname as name,
          array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as values
   from pg_type t join pg_namespace n on n.oid = t.typnamespace
   where n.nspname = ? and t.typtype = 'e'`,
} as const;

interface Catalog {
  readonly tables: TableRow[];
  readonly columns: ColumnRow[];
  readonly constraints: ConstraintRow[];
  readonly indexes: IndexRow[];
  readonly policies: PolicyRow[];
  readonly triggers: TriggerRow[];
  readonly grants: GrantRow[];
  readonly publications: { table_name: string; name: string }[];
  readonly enumTypes: { name: string; values: string[] }[];
}

/** Every catalog row of `schemaName`, one query per kind. */
async function readCatalog(knex: Knex, schemaName: string): Promise<Catalog> {
  const rows = async <T>(sql: string): Promise<T[]> => (await knex.raw<{ rows: T[] }>(sql, [schemaName])).rows;
  return {
    tables: await rows<TableRow>(CATALOG_SQL.tables),
    columns: await rows<ColumnRow>(CATALOG_SQL.columns),
    constraints: await rows<ConstraintRow>(CATALOG_SQL.constraints),
    indexes: await rows<IndexRow>(CATALOG_SQL.indexes),
    policies: await rows<PolicyRow>(CATALOG_SQL.policies),
    triggers: await rows<TriggerRow>(CATALOG_SQL.triggers),
    grants: await rows<GrantRow>(CATALOG_SQL.grants),
    publications: await rows<{ table_name: string; name: string }>(CATALOG_SQL.publications),
    enumTypes: (await rows<{ name: string; values: string[] }>(CATALOG_SQL.enumTypes)).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    ),
  };
}

const COMMANDS: Record<string, Policy["command"]> = {
  r: "select",
  a: "insert",
  w: "update",
  d: "delete",
  "*": "all",
};

function columnOf(c: ColumnRow): Column {
  const type: SqlType =
    c.enum_type !== null
      ? { name: "enum", enumType: c.enum_type, ...(c.is_array ? { array: true } : {}) }
      : parseFormatType(c.type);
  return {
    name: c.column_name,
    type,
    nullable: c.nullable,
    // A generated column's expression is stored where a default would be.
    ...(c.default_expr !== null && !c.generated ? { default: parseDefault(c.default_expr, type) } : {}),
    ...(c.default_expr !== null && c.generated ? { generated: c.default_expr } : {}),
    ...(c.identity ? { autoIncrement: true } : {}),
    ...(c.comment !== null ? { comment: c.comment } : {}),
  };
}

/** A table's constraints by kind: its key, references, uniques and checks. */
function constraintsOf(
  cons: readonly ConstraintRow[],
): Pick<Table, "primaryKey" | "foreignKeys" | "uniques" | "checks"> {
  const pk = cons.find((c) => c.kind === "p");
  return {
    ...(pk ? { primaryKey: { name: pk.name, columns: pk.columns } } : {}),
    foreignKeys: cons
      .filter((c) => c.kind === "f")
      .map(
        (c): ForeignKey => ({
          name: c.name,
          columns: c.columns,
          referencedTable: c.ref_table ?? "",
          ...(c.ref_schema !== null ? { referencedSchema: c.ref_schema } : {}),
          referencedColumns: c.ref_columns ?? [],
          onDelete: ACTIONS[c.on_delete] ?? "no action",
          onUpdate: ACTIONS[c.on_update] ?? "no action",
        }),
      ),
    uniques: cons.filter((c) => c.kind === "u").map((c): UniqueConstraint => ({ name: c.name, columns: c.columns })),
    checks: cons
      .filter((c) => c.kind === "c")
      .map(
        (c): CheckConstraint => ({
          name: c.name,
          expression: unwrap(c.definition.replace(/^CHECK /, "").replace(/ NOT VALID$/, "")),
        }),
      ),
  };
}

const indexOf = (i: IndexRow): Index => ({
  name: i.name,
  columns: i.columns,
  unique: i.is_unique,
  ...(i.predicate !== null ? { where: unwrap(i.predicate) } : {}),
  ...indexOptions(i),
});

const policyOf = (p: PolicyRow): Policy => ({
  name: p.name,
  command: COMMANDS[p.command] ?? "all",
  permissive: p.permissive,
  roles: p.roles,
  ...(p.using_expr !== null ? { using: p.using_expr } : {}),
  ...(p.check_expr !== null ? { withCheck: p.check_expr } : {}),
});

const triggerOf = (tr: TriggerRow): Trigger => ({
  name: tr.name,
  // pg_trigger.tgtype bits: 2 before, 4 insert, 8 delete, 16 update.
  timing: tr.type & 2 ? "before" : "after",
  events: [
    ...(tr.type & 4 ? ["insert" as const] : []),
    ...(tr.type & 16 ? ["update" as const] : []),
    ...(tr.type & 8 ? ["delete" as const] : []),
  ],
  function: tr.function,
});

/** A table's grants, one per role, its privileges in the catalog's order. */
function grantsOf(own: readonly GrantRow[]): Grant[] {
  return [...new Set(own.map((g) => g.grantee))].map((role) => ({
    role,
    privileges: own.filter((g) => g.grantee === role).map((g) => g.privilege as Grant["privileges"][number]),
  }));
}

/** One table of the catalog, whole. */
function tableOf(t: TableRow, catalog: Catalog): Table {
  const mine = <R extends { table_name: string }>(rows: readonly R[]) =>
    rows.filter((r) => r.table_name === t.table_name);
  const policies = mine(catalog.policies).map(policyOf);
  const triggers = mine(catalog.triggers).map(triggerOf);
  const grants = grantsOf(mine(catalog.grants));
  const publications = mine(catalog.publications).map((p) => p.name);
  const { primaryKey, foreignKeys, uniques, checks } = constraintsOf(mine(catalog.constraints));
  return {
    name: t.table_name,
    ...(t.comment !== null ? { comment: t.comment } : {}),
    ...(policies.length ? { policies } : {}),
    ...(triggers.length ? { triggers } : {}),
    ...(grants.length ? { grants } : {}),
    ...(publications.length ? { publications } : {}),
    columns: mine(catalog.columns).map(columnOf),
    ...(primaryKey ? { primaryKey } : {}),
    foreignKeys,
    uniques,
    checks,
    indexes: mine(catalog.indexes).map(indexOf),
    ...(t.rls ? { rowLevelSecurity: true } : {}),
  };
}

/**
 * The tables of `schemaName` as IR. Column order is the database's; constraints and indexes are
 * sorted by name.
 */
export async function introspectPostgres(knex: Knex, schemaName = "public"): Promise<Schema> {
  const catalog = await readCatalog(knex, schemaName);
  const { enumTypes } = catalog;
  return {
    name: schemaName,
    tables: catalog.tables.map((t) => tableOf(t, catalog)),
    enums: [],
    ...(enumTypes.length ? { enumTypes } : {}),
  };
}
