/**
 * The one shape every engine has: apply statements (in one transaction where the engine can),
 * introspect into the IR, close. A `Database` (PGlite, PostgreSQL, MySQL, through knex) is one; a
 * SQLite file (sql.js, no knex) is the other. What `dbgen migrate` reads an existing database
 * through, and what the engine tests drive.
 */
import type { Schema } from "@dbgen/schema-core";
import { type DatabaseTarget, openDatabase } from "./connect.js";
import { applySqlite, introspectSqlite, openSqlite } from "./sqlite/engine.js";

export type EngineTarget =
  | DatabaseTarget
  | { readonly kind: "sqlite" /** A file; in memory when absent. */; readonly file?: string };

export interface Engine {
  readonly dialect: "postgres" | "sqlite" | "mysql";
  /** Where it is, without secrets. */
  readonly description: string;
  apply(statements: readonly string[]): Promise<void>;
  /** What the database holds, as the IR (PostgreSQL: the schema named, default `public`). */
  introspect(schema?: string): Promise<Schema>;
  close(): Promise<void>;
}

/** Opens the engine `target` names: a SQLite file through sql.js, anything else as a `Database`. */
export async function openEngine(target: EngineTarget): Promise<Engine> {
  if (target.kind !== "sqlite") return openDatabase(target);
  const db = await openSqlite(target.file);
  return {
    dialect: "sqlite",
    description: target.file ? `SQLite (${target.file})` : "SQLite (in memory)",
    apply: async (statements) => applySqlite(db, statements),
    introspect: async () => introspectSqlite(db),
    close: async () => db.close(),
  };
}

/** A location as `dbgen migrate --existing-db` takes it: a postgres:// or mysql:// URL, else a SQLite file. */
export function engineTargetOf(location: string): EngineTarget {
  if (/^postgres(ql)?:\/\//.test(location)) return { kind: "postgres", url: location };
  if (/^mysql:\/\//.test(location)) return { kind: "mysql", url: location };
  return { kind: "sqlite", file: location };
}
