/** Seed 004's interfaces: the specification in, the migration out. */
import type { ErrorCode, WarningCode } from "@dbgen/schema-core";

export type DatabaseType = "sqlite" | "postgresql" | "mysql";

export type ColumnType =
  | "TEXT"
  | "INTEGER"
  | "REAL"
  | "BLOB"
  | "NUMERIC"
  | "VARCHAR"
  | "INT"
  | "BIGINT"
  | "DECIMAL"
  | "BOOLEAN"
  | "TIMESTAMP"
  | "DATE"
  | "UUID"
  | "JSONB"
  | "CHAR"
  | "TINYINT"
  | "DATETIME"
  | "JSON";

export interface ColumnDefinition {
  readonly name: string;
  /** One of ColumnType, optionally sized: `VARCHAR(100)`, `DECIMAL(10,2)`, `CHAR(36)`. */
  readonly type: ColumnType | string;
  readonly nullable: boolean;
  /** A literal; `CURRENT_TIMESTAMP` (or `now()`, `datetime('now')`) means the time of the insert. */
  readonly default?: string | number | boolean | null;
  readonly unique?: boolean;
  readonly autoIncrement?: boolean;
  readonly description?: string;
}

export type ReferentialActionName = "CASCADE" | "SET NULL" | "RESTRICT" | "NO ACTION";

export interface ForeignKeyDefinition {
  readonly columns: string[];
  readonly referencedTable: string;
  readonly referencedColumns: string[];
  readonly onDelete?: ReferentialActionName;
  readonly onUpdate?: ReferentialActionName;
}

export interface UniqueConstraintDefinition {
  readonly name: string;
  readonly columns: string[];
}

export interface CheckConstraintDefinition {
  readonly name: string;
  readonly expression: string;
}

export interface IndexDefinition {
  readonly name: string;
  readonly columns: string[];
  readonly unique: boolean;
  readonly type?: "btree" | "hash" | "gin" | "gist";
}

export interface TableDefinition {
  readonly name: string;
  readonly description?: string;
  readonly columns: ColumnDefinition[];
  readonly primaryKey?: string[];
  readonly foreignKeys?: ForeignKeyDefinition[];
  readonly uniqueConstraints?: UniqueConstraintDefinition[];
  readonly checkConstraints?: CheckConstraintDefinition[];
  readonly indexes?: IndexDefinition[];
}

export interface MigrationSpec {
  readonly description: string;
  readonly databaseType: DatabaseType;
  readonly tables: TableDefinition[];
  /** A SQLite file, or a postgres:// or mysql:// URL: what exists decides CREATE, ALTER or SKIP. */
  readonly existingDbPath?: string;
  readonly fileFormat?: "timestamp" | "numbered";
  readonly generateTypes?: boolean;
}

export interface ValidationError {
  readonly type: "error" | "warning";
  readonly code: ErrorCode | WarningCode;
  readonly message: string;
  readonly table?: string;
  readonly column?: string;
  readonly suggestion?: string;
}

export type TableOperation = "CREATE" | "ALTER" | "SKIP";

export interface GeneratedMigration {
  readonly metadata: {
    readonly filename: string;
    readonly description: string;
    readonly databaseType: string;
    readonly operationType: "CREATE" | "ALTER" | "MIXED" | "NONE";
    readonly tablesAffected: string[];
    readonly tableOperations: Readonly<Record<string, TableOperation>>;
    readonly generatedAt: string;
  };
  /** The whole file: header, `-- UP MIGRATION`, `-- DOWN MIGRATION`. */
  readonly file: string;
  readonly upMigration: string;
  readonly downMigration: string;
  /** The same statements, one per entry, for running them. */
  readonly upStatements: readonly string[];
  readonly downStatements: readonly string[];
  readonly typeDefinitions?: string;
  readonly validation: {
    readonly valid: boolean;
    readonly errors: ValidationError[];
    readonly warnings: ValidationError[];
  };
}
