/**
 * One adapter per engine, one shape for all: apply statements (in one transaction where the engine
 * can), introspect into the IR, close. What `dbgen migrate` reads an existing database through, and
 * what the engine tests drive.
 */
import type { Schema } from "@dbgen/schema-core";
import { applyStatements } from "./apply.js";
import { type DatabaseTarget, openDatabase, redactUrl } from "./connect.js";
import { introspectPostgres } from "./introspect.js";
import { applyMysql, introspectMysql } from "./mysql.js";
import { applySqlite, introspectSqlite, openSqlite } from "./sqlite.js";

export type EngineTarget =
  | DatabaseTarget
  | { readonly kind: "sqlite" /** A file; in memory when absent. */; readonly file?: string };

export interface EngineAdapter {
  readonly dialect: "postgres" | "sqlite" | "mysql";
  /** Where it is, without secrets. */
  readonly description: string;
  apply(statements: readonly string[]): Promise<void>;
  introspect(): Promise<Schema>;
  close(): Promise<void>;
}

/** Opens the engine `target` names behind the one adapter shape. */
export async function openAdapter(target: EngineTarget): Promise<EngineAdapter> {
  if (target.kind === "sqlite") {
    const db = await openSqlite(target.file);
    return {
      dialect: "sqlite",
      description: target.file ? `SQLite (${target.file})` : "SQLite (in memory)",
      apply: async (statements) => applySqlite(db, statements),
      introspect: async () => introspectSqlite(db),
      close: async () => db.close(),
    };
  }
  const db = await openDatabase(target);
  if (target.kind === "mysql") {
    return {
      dialect: "mysql",
      description: redactUrl(target.url),
      apply: (statements) => applyMysql(db.knex, statements),
      introspect: () => introspectMysql(db.knex),
      close: () => db.close(),
    };
  }
  return {
    dialect: "postgres",
    description: db.description,
    apply: (statements) => applyStatements(db.knex, statements),
    introspect: () => introspectPostgres(db.knex),
    close: () => db.close(),
  };
}

/** A location as `dbgen migrate --existing-db` takes it: a postgres:// or mysql:// URL, else a SQLite file. */
export function engineTargetOf(location: string): EngineTarget {
  if (/^postgres(ql)?:\/\//.test(location)) return { kind: "postgres", url: location };
  if (/^mysql:\/\//.test(location)) return { kind: "mysql", url: location };
  return { kind: "sqlite", file: location };
}
