/**
 * @dbgen/schema-core — the schema IR and everything pure that works on it: validation, names,
 * snapshots, the diff engine, and the PostgreSQL and TypeScript renderers. No file or network I/O.
 *
 * @example
 * const plan = diffSchemas(previous, next);
 * console.log(renderPostgres(plan.operations).join("\n"), renderTypescript(next));
 */

export {
  DbgenError,
  type Diagnostic,
  ERROR_CODES,
  type ErrorCode,
  escapeControl,
  formatDiagnostic,
  hasErrors,
  type Place,
  userError,
  WARNING_CODES,
  type WarningCode,
} from "./diagnostics.js";
export { createRenderer, type RenderOptions } from "./dialect/default-renderer.js";
export type { Dialect, DialectCapabilities } from "./dialect/dialect.js";
export { mysqlDialect, quoteMysqlIdent, quoteMysqlLiteral, renderMysqlType } from "./dialect/mysql/mysql-dialect.js";
export {
  parsePostgresType,
  postgresDialect,
  qualifiedName,
  quoteIdent,
  quoteLiteral,
  renderOptionsFor,
  renderPostgres,
  renderPostgresType,
} from "./dialect/postgres/index.js";
export {
  INDEX_METHODS,
  indexesByDefault,
  OPERATOR_CLASSES,
  renderOperatorClass,
} from "./dialect/postgres/index-methods.js";
export { PG_KEYWORDS } from "./dialect/postgres/keywords.js";
export { quoteSqliteIdent, renderSqliteType, sqliteDialect } from "./dialect/sqlite/sqlite-dialect.js";
export { adaptOperations } from "./diff/adapt.js";
export { type BackfillSource, withBackfills } from "./diff/backfill.js";
export {
  describeDrift,
  describeOperation,
  formatSqlType,
  migrationHeader,
  migrationPrologue,
  sqlComment,
} from "./diff/describe.js";
export {
  type ColumnRename,
  type DiffOptions,
  diffSchemas,
  type MigrationPlan,
  orderOperations,
  PHASES,
  phaseOf,
  type RenameResolver,
} from "./diff/diff.js";
export { type Hazard, isDestructive, type OperationHazards, planHazards } from "./diff/hazards.js";
export { invertOperation, invertOperations } from "./diff/invert.js";
export {
  type AddCheck,
  type AddColumn,
  type AddForeignKey,
  type AddPrimaryKey,
  type AddUnique,
  type AlterColumnDefault,
  type AlterColumnIdentity,
  type AlterColumnNullable,
  type AlterColumnType,
  type AlterEnumType,
  type Backfill,
  type CreateEnumType,
  type CreateExtension,
  type CreateFunction,
  type CreateIndex,
  type CreatePolicy,
  type CreateSchema,
  type CreateTable,
  type CreateTrigger,
  type DropCheck,
  type DropColumn,
  type DropEnumType,
  type DropExtension,
  type DropForeignKey,
  type DropFunction,
  type DropIndex,
  type DropPolicy,
  type DropPrimaryKey,
  type DropSchema,
  type DropTable,
  type DropTrigger,
  type DropUnique,
  type EnumColumn,
  type ModifyColumn,
  type Operation,
  type OperationKind,
  operationTable,
  type RebuildTable,
  type RenameColumn,
  type RenameIndex,
  type ReplaceFunction,
  type SetColumnComment,
  type SetGrants,
  type SetPublication,
  type SetRowLevelSecurity,
  type SetTableComment,
  type ValidateConstraint,
} from "./diff/operations.js";
export { type CreationOrder, creationOrder, foreignKeyId } from "./diff/order.js";
export {
  isWidening,
  requiredExtensions,
  sameType,
  type TypeChangeKind,
  typeChangeKind,
} from "./diff/types.js";
export {
  ACCESS_OPERATIONS,
  AUDIENCE_KINDS,
  type Audience,
  audienceLabel,
  type ExpandedAccess,
  expandAccess,
  parseAudience,
} from "./ir/access.js";
export { enumTypesUsed } from "./ir/enum-types.js";
export { indexShape, isBtree } from "./ir/index-shape.js";
export {
  byteLength,
  type DerivedNameKind,
  derivedName,
  isReservedWord,
  MAX_IDENTIFIER_BYTES,
  NameAllocator,
  needsQuoting,
  shortenIdentifier,
  shortHash,
} from "./ir/names.js";
export { CLIENT_EXECUTE_REVOKE, CLIENT_ROLES, SUPABASE_ROLES } from "./ir/roles.js";
export { physicalShape } from "./ir/shape.js";
export {
  type AccessMode,
  type AccessOperation,
  type AccessRules,
  type CheckConstraint,
  type Column,
  type ColumnDefault,
  type ColumnRules,
  type EnumType,
  type ExtraSchema,
  emptySchema,
  type ForeignKey,
  type ForeignTrigger,
  type FunctionDef,
  type Grant,
  type Index,
  type IndexMethod,
  LOGICAL_TYPES,
  type LogicalType,
  type Policy,
  type PolicyCommand,
  type PrimaryKey,
  type Privilege,
  type ReferentialAction,
  type Schema,
  type SqlType,
  type SqlTypeName,
  type Table,
  type TableAccess,
  type TableFeatures,
  type TableMembers,
  type Trigger,
  type UniqueConstraint,
} from "./ir/types.js";
export { COLUMN_NAME_PATTERN, TABLE_NAME_PATTERN, validateSchema } from "./ir/validate.js";
export {
  canonicalize,
  createSnapshot,
  parseSnapshot,
  SNAPSHOT_FORMAT_VERSION,
  type Snapshot,
  schemaId,
  serializeSnapshot,
} from "./snapshot/snapshot.js";
export {
  generatedTypesFile,
  renderTypescript,
  type TypegenOptions,
  tsTypeOf,
  typesHeader,
} from "./typescript/typegen.js";

import type { Dialect } from "./dialect/dialect.js";
import { mysqlDialect } from "./dialect/mysql/mysql-dialect.js";
import { postgresDialect } from "./dialect/postgres/postgres-dialect.js";
import { sqliteDialect } from "./dialect/sqlite/sqlite-dialect.js";

/** The dialects by name. */
export const DIALECTS: Readonly<Record<Dialect["name"], Dialect>> = {
  postgres: postgresDialect,
  sqlite: sqliteDialect,
  mysql: mysqlDialect,
};
export { SYSTEM_COLUMN_TYPES } from "./ir/system-columns.js";
export { closestName, suggestFix } from "./suggest.js";
