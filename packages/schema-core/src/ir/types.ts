/**
 * The schema IR: one readonly model that every stage transforms and every renderer reads.
 *
 * Column types are physical but dialect-neutral (`varchar(255)`, `timestamptz`); each dialect maps
 * them to its own spelling. The BUSM's logical type is kept beside them for type generation and
 * documentation; introspected schemas have no logical type.
 */

/** The field types of BUSM v1. */
export const LOGICAL_TYPES = [
  "uuid",
  "string",
  "text",
  "integer",
  "bigint",
  "decimal",
  "boolean",
  "date",
  "datetime",
  "time",
  "json",
  "enum",
  "email",
  "phone",
  "url",
  "smallint",
  "double",
  "timestamp",
  "interval",
  "inet",
  "bytea",
  "citext",
  "tsvector",
  "vector",
] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

export type SqlTypeName =
  | "uuid"
  | "varchar"
  | "char"
  | "text"
  | "smallint"
  | "integer"
  | "bigint"
  | "numeric"
  | "real"
  | "boolean"
  | "date"
  | "time"
  | "timestamp"
  | "timestamptz"
  | "jsonb"
  | "interval"
  | "inet"
  | "blob"
  | "citext"
  | "tsvector"
  | "vector"
  /** A PostgreSQL enum type of the schema, named by `enumType`. */
  | "enum";

/**
 * A physical column type. `length` only for varchar and char; `precision`/`scale` only for numeric;
 * `dimensions` only for vector (pgvector). `array`: an array of that type (`text[]`).
 */
export interface SqlType {
  readonly name: SqlTypeName;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly dimensions?: number;
  readonly array?: true;
  /** The enum type's name (in the table's schema) when `name` is `enum`. */
  readonly enumType?: string;
}

/** A column default: a literal value (quoted by the renderer) or a SQL expression taken as is. */
export type ColumnDefault =
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  | { readonly kind: "expression"; readonly sql: string };

/** What the model says a column's values must satisfy; production turns it into a CHECK (prototype leaves it). */
export interface ColumnRules {
  readonly min?: number;
  readonly max?: number;
  /** A regular expression every value matches. */
  readonly pattern?: string;
}

/** Who reaches a table's rows through the API (the model's `access`); production turns it into policies. */
export type AccessMode = "owner" | "tenant" | "parent" | "authenticated" | "public-read" | "service-only";
export type AccessOperation = "select" | "insert" | "update" | "delete";

/** Per operation, who may (spec §2a): audiences as the model writes them (see `parseAudience`). */
export interface AccessRules {
  /** The column holding the owning user's id. */
  readonly owner?: string;
  /** The foreign-key columns leading to the scope table, in order (empty: the table is its own scope). */
  readonly scope: readonly string[];
  readonly operations: Readonly<Record<AccessOperation, readonly string[]>>;
}

/** A scope table's members: the membership table, its columns, and the role a creator gets. */
export interface TableMembers {
  readonly table: string;
  /** The membership table's column referencing the scope table. */
  readonly scopeColumn: string;
  readonly user: string;
  readonly role?: string;
  readonly creatorRole?: string;
}

export interface TableAccess {
  /** A shorthand's mode, or `rules`: per-operation audiences in `rules`. */
  readonly mode: AccessMode | "rules";
  readonly rules?: AccessRules;
  /** The owner or tenant column. */
  readonly column?: string;
  /** `parent`: the foreign-key column whose row decides (a row is reachable when its parent row is). */
  readonly via?: string;
  /** The JWT claim holding the tenant id. */
  readonly claim?: string;
}

/** The production features a table goes without (the model's per-entity switches; absent: all on). */
export interface TableFeatures {
  readonly softDelete?: false;
  readonly audit?: false;
  readonly versioned?: false;
  /** The table joins Supabase Realtime's publication. */
  readonly realtime?: true;
  /** A row per user, keyed by `auth.users`, made by a trigger on each signup. */
  readonly profile?: true;
}

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  /** What the model declared; absent for an introspected column. */
  readonly logicalType?: LogicalType;
  readonly nullable: boolean;
  readonly default?: ColumnDefault;
  readonly comment?: string;
  /** The allowed values of an enum field, and the shared enum's name when it has one. */
  readonly enum?: { readonly name?: string; readonly values: readonly string[] };
  /** The column's previous name: the diff renames instead of dropping and adding. */
  readonly renamedFrom?: string;
  /** Numbered by the database (identity, AUTO_INCREMENT, SQLite's rowid alias). */
  readonly autoIncrement?: boolean;
  /** A stored generated column: the expression over the row's own columns (no default, never written). */
  readonly generated?: string;
  /** The model's value rules (whole-model schemas only). */
  readonly rules?: ColumnRules;
  /**
   * How a value converts when the column's type changes: an expression over the column itself, by its
   * name, meaning its value before (the model's `using`, deparsed); absent: PostgreSQL's own cast.
   */
  readonly using?: string;
  /**
   * An expanded rename (production): the `old` column and the `new` one, kept equal by a trigger
   * until the contract; either may be written, so both are optional on insert, and `old` is deprecated.
   */
  readonly expand?: { readonly role: "old" | "new" | "shadow"; readonly partner: string };
}

export type ReferentialAction = "cascade" | "set null" | "restrict" | "no action";

export interface PrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  /** The referenced table's database schema when it is not the table's own (Supabase's `auth.users`). */
  readonly referencedSchema?: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

export interface UniqueConstraint {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface CheckConstraint {
  readonly name: string;
  /** A boolean SQL expression over the table's columns, as the renderer emits it. */
  readonly expression: string;
}

export interface Index {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** A partial index's predicate (SQL), e.g. `deleted_at IS NULL`. */
  readonly where?: string;
  /** The access method when it is not btree (GIN for full-text and arrays, HNSW for vectors). */
  readonly method?: Exclude<IndexMethod, "btree">;
  /** An operator class per column, aligned with `columns` (null: the type's default); absent when none. */
  readonly ops?: readonly (string | null)[];
  /** Descending columns (a btree's order), aligned with `columns`; absent when all ascend. */
  readonly descending?: readonly boolean[];
}

export type IndexMethod = "btree" | "hash" | "gin" | "gist" | "brin" | "hnsw" | "ivfflat";

export type PolicyCommand = "all" | "select" | "insert" | "update" | "delete";

/** A row-level security policy. Always names its roles (a policy without roles applies to all). */
export interface Policy {
  readonly name: string;
  readonly command: PolicyCommand;
  /** Permissive policies are OR-ed together; restrictive ones are AND-ed on top. */
  readonly permissive: boolean;
  readonly roles: readonly string[];
  readonly using?: string;
  readonly withCheck?: string;
}

/** A row trigger calling a function, with constant arguments. */
export interface Trigger {
  readonly name: string;
  readonly timing: "before" | "after";
  readonly events: readonly ("insert" | "update" | "delete")[];
  /** `schema.name` of a function returning trigger. */
  readonly function: string;
  readonly args?: readonly string[];
}

export type Privilege = "select" | "insert" | "update" | "delete";

/** The privileges a role holds on a table. */
export interface Grant {
  readonly role: string;
  readonly privileges: readonly Privilege[];
}

export interface Table {
  readonly name: string;
  /** The database schema, when not the schema's own (production's `audit.log`). */
  readonly schema?: string;
  /** The BUSM entity the table comes from, when it comes from one. */
  readonly entity?: string;
  /** The model's access rule (whole-model schemas only; absent: service-only). */
  readonly access?: TableAccess;
  /** The model's per-entity production switches (whole-model schemas only). */
  readonly features?: TableFeatures;
  /** A scope table's members (whole-model schemas only). */
  readonly members?: TableMembers;
  readonly comment?: string;
  readonly columns: readonly Column[];
  readonly primaryKey?: PrimaryKey;
  readonly foreignKeys: readonly ForeignKey[];
  readonly uniques: readonly UniqueConstraint[];
  readonly checks: readonly CheckConstraint[];
  readonly indexes: readonly Index[];
  readonly rowLevelSecurity?: boolean;
  readonly policies?: readonly Policy[];
  readonly triggers?: readonly Trigger[];
  /** The privileges of the managed roles; absent: whatever the database grants by default. */
  readonly grants?: readonly Grant[];
  /** The publications the table is in (Supabase Realtime's `supabase_realtime`), sorted. */
  readonly publications?: readonly string[];
}

/** A named set of values (a BUSM shared enum); rendered as a TypeScript union, as varchar in SQL. */
export interface EnumType {
  readonly name: string;
  readonly values: readonly string[];
}

/** A SQL function (production's trigger functions): always `SET search_path = ''`. */
export interface FunctionDef {
  readonly schema: string;
  readonly name: string;
  readonly language: "plpgsql" | "sql";
  /** Named parameters with their SQL types (absent: none). */
  readonly parameters?: readonly { readonly name: string; readonly type: string }[];
  readonly returns: string;
  /** `stable`: the same result within a statement (membership lookups); absent: volatile. */
  readonly volatility?: "stable";
  /** The body between the dollar quotes; everything in it fully qualified. */
  readonly body: string;
  readonly securityDefiner: boolean;
  /** Roles EXECUTE is revoked from (production: PUBLIC, anon, authenticated). */
  readonly revokeExecuteFrom?: readonly string[];
  /** Roles EXECUTE is granted to (production's membership lookups: authenticated, whose policies call them). */
  readonly grantExecuteTo?: readonly string[];
  readonly comment?: string;
}

/** A database schema beside the main one, and the roles that may use it. */
export interface ExtraSchema {
  readonly name: string;
  readonly usage?: readonly string[];
}

/**
 * A trigger on a table the schema does not own (Supabase's `auth.users`): the schema creates and
 * drops the trigger, never the table.
 */
export interface ForeignTrigger {
  readonly schema: string;
  readonly table: string;
  readonly trigger: Trigger;
}

export interface Schema {
  /** The database schema the tables live in: `public` for Supabase. */
  readonly name: string;
  /** Sorted by name. */
  readonly tables: readonly Table[];
  readonly enums: readonly EnumType[];
  /**
   * The PostgreSQL enum types the schema creates (`options.enums: "type"`), by their database names,
   * sorted; `enums` above are the model's names, which only the TypeScript output uses.
   */
  readonly enumTypes?: readonly EnumType[];
  readonly functions?: readonly FunctionDef[];
  /** Other database schemas the schema needs (production's `audit`, `private`), created first. */
  readonly extraSchemas?: readonly ExtraSchema[];
  /** The roles whose privileges `grants` manage (production: anon, authenticated, service_role). */
  readonly managedRoles?: readonly string[];
  /** Triggers on other schemas' tables (production's signup trigger on `auth.users`), by schema, table and name. */
  readonly foreignTriggers?: readonly ForeignTrigger[];
}

/** An empty schema: what a fresh database holds. */
export function emptySchema(name = "public"): Schema {
  return { name, tables: [], enums: [] };
}
