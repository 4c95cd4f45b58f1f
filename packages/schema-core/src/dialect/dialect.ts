/**
 * A dialect is a small set of hooks behind one interface (the kysely way): the default renderer
 * does the work, a dialect spells types, literals and names, and says what it can do through
 * capability flags instead of `if (dialect === …)`.
 */
import type { ColumnDefault, SqlType } from "../ir/types.js";

export interface DialectCapabilities {
  /** DDL runs inside a transaction and rolls back with it. */
  readonly transactionalDdl: boolean;
  /** `COMMENT ON TABLE/COLUMN`. */
  readonly comments: boolean;
  /** `CREATE INDEX … WHERE …`. */
  readonly partialIndexes: boolean;
  /** `CREATE INDEX … USING btree`. */
  readonly indexMethods: boolean;
  /** Indexes live in the schema's namespace, so `DROP INDEX schema.name`; otherwise `DROP INDEX name ON table`. */
  readonly schemaScopedIndexes: boolean;
}

export interface Dialect {
  readonly name: "postgres" | "sqlite" | "mysql";
  readonly capabilities: DialectCapabilities;
  quoteIdent(name: string): string;
  quoteLiteral(value: string): string;
  /** `schema.table` or just `table`, quoted. */
  tableName(schema: string, table: string): string;
  renderType(type: SqlType): string;
  renderDefault(value: ColumnDefault, type: SqlType): string;
}
