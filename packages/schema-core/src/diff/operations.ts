/**
 * The typed operations a diff produces. Each one carries what its inverse needs, so a down
 * migration is computed, never hand-written.
 */
import type { CheckConstraint, Column, ColumnDefault, ForeignKey, Index, PrimaryKey, SqlType, Table, UniqueConstraint } from "../ir/types.js";

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
  readonly column: Column;
}
export interface DropColumn {
  readonly kind: "drop_column";
  readonly table: string;
  readonly column: Column;
}
export interface RenameColumn {
  readonly kind: "rename_column";
  readonly table: string;
  readonly from: string;
  readonly to: string;
}
export interface AlterColumnType {
  readonly kind: "alter_column_type";
  readonly table: string;
  readonly column: string;
  readonly from: SqlType;
  readonly to: SqlType;
}
export interface AlterColumnNullable {
  readonly kind: "alter_column_nullable";
  readonly table: string;
  readonly column: string;
  readonly nullable: boolean;
}
export interface AlterColumnDefault {
  readonly kind: "alter_column_default";
  readonly table: string;
  readonly column: string;
  readonly from?: ColumnDefault;
  readonly to?: ColumnDefault;
}
export interface AddPrimaryKey {
  readonly kind: "add_primary_key";
  readonly table: string;
  readonly primaryKey: PrimaryKey;
}
export interface DropPrimaryKey {
  readonly kind: "drop_primary_key";
  readonly table: string;
  readonly primaryKey: PrimaryKey;
}
export interface AddForeignKey {
  readonly kind: "add_foreign_key";
  readonly table: string;
  readonly foreignKey: ForeignKey;
}
export interface DropForeignKey {
  readonly kind: "drop_foreign_key";
  readonly table: string;
  readonly foreignKey: ForeignKey;
}
export interface AddUnique {
  readonly kind: "add_unique";
  readonly table: string;
  readonly unique: UniqueConstraint;
}
export interface DropUnique {
  readonly kind: "drop_unique";
  readonly table: string;
  readonly unique: UniqueConstraint;
}
export interface AddCheck {
  readonly kind: "add_check";
  readonly table: string;
  readonly check: CheckConstraint;
}
export interface DropCheck {
  readonly kind: "drop_check";
  readonly table: string;
  readonly check: CheckConstraint;
}
export interface CreateIndex {
  readonly kind: "create_index";
  readonly table: string;
  readonly index: Index;
}
export interface DropIndex {
  readonly kind: "drop_index";
  readonly table: string;
  readonly index: Index;
}
export interface SetTableComment {
  readonly kind: "set_table_comment";
  readonly table: string;
  readonly from?: string;
  readonly to?: string;
}
export interface SetColumnComment {
  readonly kind: "set_column_comment";
  readonly table: string;
  readonly column: string;
  readonly from?: string;
  readonly to?: string;
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
  | SetTableComment
  | SetColumnComment;

export type OperationKind = Operation["kind"];

/** The table an operation touches. */
export function operationTable(op: Operation): string {
  return op.kind === "create_table" || op.kind === "drop_table" ? op.table.name : op.table;
}
