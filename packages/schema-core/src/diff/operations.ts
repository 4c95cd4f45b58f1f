/**
 * The typed operations a diff produces. Each one carries what its inverse needs, so a down
 * migration is computed, never hand-written.
 */
import type {
  CheckConstraint,
  Column,
  ColumnDefault,
  ExtraSchema,
  ForeignKey,
  FunctionDef,
  Grant,
  Index,
  Policy,
  PrimaryKey,
  SqlType,
  Table,
  Trigger,
  UniqueConstraint,
} from "../ir/types.js";

/** A table created without the foreign keys that are added after it (cycles, or other tables' order). */
export interface CreateTable {
  readonly kind: "create_table";
  readonly table: Table;
}
export interface DropTable {
  readonly kind: "drop_table";
  readonly table: Table;
}
export interface AddColumn {
  readonly kind: "add_column";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: Column;
}
export interface DropColumn {
  readonly kind: "drop_column";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: Column;
}
export interface RenameColumn {
  readonly kind: "rename_column";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly from: string;
  readonly to: string;
}
export interface AlterColumnType {
  readonly kind: "alter_column_type";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: string;
  readonly from: SqlType;
  readonly to: SqlType;
}
export interface AlterColumnNullable {
  readonly kind: "alter_column_nullable";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: string;
  readonly nullable: boolean;
  /** When becoming NOT NULL on a table with rows: how to fill its NULLs first. */
  readonly backfill?: Backfill;
  /**
   * NOT NULL in two steps on a live table (production): `guard` fills and checks the NULLs and adds
   * `CHECK (column IS NOT NULL) NOT VALID` under this name; `enforce`, in a later migration,
   * validates it, sets NOT NULL (which then needs no scan) and drops the check.
   */
  readonly viaCheck?: { readonly name: string; readonly step: "guard" | "enforce" };
}
export interface AlterColumnDefault {
  readonly kind: "alter_column_default";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: string;
  readonly from?: ColumnDefault;
  readonly to?: ColumnDefault;
}
export interface AddPrimaryKey {
  readonly kind: "add_primary_key";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly primaryKey: PrimaryKey;
}
export interface DropPrimaryKey {
  readonly kind: "drop_primary_key";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly primaryKey: PrimaryKey;
}
export interface AddForeignKey {
  readonly kind: "add_foreign_key";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly foreignKey: ForeignKey;
  /** Added `NOT VALID` (checks new rows only); a later `validate_constraint` checks the others. */
  readonly notValid?: boolean;
}
export interface DropForeignKey {
  readonly kind: "drop_foreign_key";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly foreignKey: ForeignKey;
}
export interface AddUnique {
  readonly kind: "add_unique";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly unique: UniqueConstraint;
  /** Attached to the unique index of the same name, built before (concurrently) in its own migration. */
  readonly usingIndex?: boolean;
}
export interface DropUnique {
  readonly kind: "drop_unique";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly unique: UniqueConstraint;
}
export interface AddCheck {
  readonly kind: "add_check";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly check: CheckConstraint;
  /** Added `NOT VALID` (checks new rows only); a later `validate_constraint` checks the others. */
  readonly notValid?: boolean;
}
export interface DropCheck {
  readonly kind: "drop_check";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly check: CheckConstraint;
}
export interface CreateIndex {
  readonly kind: "create_index";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly index: Index;
  /** Built `CONCURRENTLY` (outside a transaction, without blocking writes): alone in its migration. */
  readonly concurrently?: boolean;
}
export interface DropIndex {
  readonly kind: "drop_index";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly index: Index;
  /** Dropped `CONCURRENTLY` (outside a transaction): alone in its migration. */
  readonly concurrently?: boolean;
}
/**
 * An index takes another name. Production replaces an index without a moment without it: the new
 * one is built under a temporary name, the old one dropped, then the new one takes the name.
 */
export interface RenameIndex {
  readonly kind: "rename_index";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly from: string;
  readonly to: string;
}
/**
 * Checks the existing rows against a constraint added `NOT VALID` earlier (in another migration, so
 * the brief lock of adding it and the long scan of validating it are never held together).
 * Its inverse (`undone`) does nothing: a validation changes no schema.
 */
export interface ValidateConstraint {
  readonly kind: "validate_constraint";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly name: string;
  readonly undone?: boolean;
}
export interface SetTableComment {
  readonly kind: "set_table_comment";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly from?: string;
  readonly to?: string;
}
export interface SetColumnComment {
  readonly kind: "set_column_comment";
  readonly table: string;
  /** The table's database schema, when not the plan's own. */
  readonly schema?: string;
  readonly column: string;
  readonly from?: string;
  readonly to?: string;
}

/** How to fill NULLs before a column becomes NOT NULL on a table that may hold rows. */
export interface Backfill {
  /** A SQL expression for `UPDATE … SET column = <value> WHERE column IS NULL`; `DEFAULT` uses the column's default. */
  readonly value?: string;
  /** A statement to run first (e.g. create the row a foreign key will point to). */
  readonly before?: string;
}

export interface CreateSchema {
  readonly kind: "create_schema";
  readonly schema: ExtraSchema;
}
export interface DropSchema {
  readonly kind: "drop_schema";
  readonly schema: ExtraSchema;
}
export interface CreateFunction {
  readonly kind: "create_function";
  readonly fn: FunctionDef;
}
export interface DropFunction {
  readonly kind: "drop_function";
  readonly fn: FunctionDef;
}
export interface ReplaceFunction {
  readonly kind: "replace_function";
  readonly from: FunctionDef;
  readonly to: FunctionDef;
}
export interface SetRowLevelSecurity {
  readonly kind: "set_row_level_security";
  readonly table: string;
  readonly schema?: string;
  readonly enabled: boolean;
}
export interface CreatePolicy {
  readonly kind: "create_policy";
  readonly table: string;
  readonly schema?: string;
  readonly policy: Policy;
}
export interface DropPolicy {
  readonly kind: "drop_policy";
  readonly table: string;
  readonly schema?: string;
  readonly policy: Policy;
}
export interface CreateTrigger {
  readonly kind: "create_trigger";
  readonly table: string;
  readonly schema?: string;
  readonly trigger: Trigger;
}
export interface DropTrigger {
  readonly kind: "drop_trigger";
  readonly table: string;
  readonly schema?: string;
  readonly trigger: Trigger;
}
/** The managed roles' privileges on a table: all revoked, then `to` granted (absent: the database's defaults). */
export interface SetGrants {
  readonly kind: "set_grants";
  readonly table: string;
  readonly schema?: string;
  readonly roles: readonly string[];
  readonly from?: readonly Grant[];
  readonly to?: readonly Grant[];
}

/**
 * A table rebuilt to a new shape where ALTER cannot get there (SQLite): the new table is created,
 * the rows copied (`sources` maps each new column to the old column it is copied from), the old
 * table dropped and the new one renamed.
 */
export interface RebuildTable {
  readonly kind: "rebuild_table";
  readonly table: string;
  readonly schema?: string;
  readonly from: Table;
  readonly to: Table;
  /** New column → old column (absent: the column is new and takes its default). */
  readonly sources: Readonly<Record<string, string>>;
}

/** A column restated whole (MySQL's MODIFY COLUMN): type, nullability and default together. */
export interface ModifyColumn {
  readonly kind: "modify_column";
  readonly table: string;
  readonly schema?: string;
  readonly from: Column;
  readonly to: Column;
}

export type Operation =
  | CreateTable
  | DropTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumnType
  | AlterColumnNullable
  | AlterColumnDefault
  | AddPrimaryKey
  | DropPrimaryKey
  | AddForeignKey
  | DropForeignKey
  | AddUnique
  | DropUnique
  | AddCheck
  | DropCheck
  | CreateIndex
  | DropIndex
  | RenameIndex
  | ValidateConstraint
  | SetTableComment
  | SetColumnComment
  | CreateSchema
  | DropSchema
  | CreateFunction
  | DropFunction
  | ReplaceFunction
  | SetRowLevelSecurity
  | CreatePolicy
  | DropPolicy
  | CreateTrigger
  | DropTrigger
  | SetGrants
  | RebuildTable
  | ModifyColumn;

export type OperationKind = Operation["kind"];

/** The table an operation touches, or undefined for schema-level operations (schemas, functions). */
export function operationTable(op: Operation): string | undefined {
  if (op.kind === "create_table" || op.kind === "drop_table") return op.table.name;
  if (
    op.kind === "create_schema" ||
    op.kind === "drop_schema" ||
    op.kind === "create_function" ||
    op.kind === "drop_function" ||
    op.kind === "replace_function"
  )
    return undefined;
  return op.table;
}
