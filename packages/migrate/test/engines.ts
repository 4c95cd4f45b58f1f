/** The three engines a spec migration runs on: SQLite (sql.js), PostgreSQL (PGlite and 15), MariaDB. */
import {
  applyMysql,
  applySqlite,
  applyStatements,
  execMysql,
  introspectMysql,
  introspectPostgres,
  introspectSqlite,
  openDatabase,
  openSqlite,
} from "@dbgen/db";
import type { Schema } from "@dbgen/schema-core";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { inject } from "vitest";
import type { DatabaseType } from "../src/index.js";

interface Live {
  apply(statements: readonly string[]): Promise<void>;
  introspect(): Promise<Schema>;
  /** Where generateMigrationFor can read it, when it can. */
  location?: string;
  close(): Promise<void>;
}

export interface SpecEngine {
  readonly name: string;
  readonly databaseType: DatabaseType;
  readonly skipReason: string;
  open(): Promise<Live>;
}

let counter = 0;

export function specEngines(): SpecEngine[] {
  const pg = inject("pgAdminUrl");
  const maria = inject("mariadbUrl");
  return [
    {
      name: "SQLite (sql.js)",
      databaseType: "sqlite",
      skipReason: "",
      async open() {
        const db = await openSqlite();
        return {
          apply: async (s) => applySqlite(db, s),
          introspect: async () => introspectSqlite(db),
          close: async () => db.close(),
        };
      },
    },
    {
      name: "PGlite",
      databaseType: "postgresql",
      skipReason: "",
      async open() {
        const db = await openDatabase({ kind: "pglite" });
        return {
          apply: (s) => applyStatements(db.knex, s),
          introspect: () => introspectPostgres(db.knex),
          close: () => db.close(),
        };
      },
    },
    {
      name: "PostgreSQL 15",
      databaseType: "postgresql",
      skipReason: pg ? "" : "PostgreSQL 15 unavailable",
      async open() {
        const created = await createTestDatabase(pg);
        const db = await openDatabase({ kind: "postgres", url: created.url });
        return {
          apply: (s) => applyStatements(db.knex, s),
          introspect: () => introspectPostgres(db.knex),
          location: created.url,
          close: async () => {
            await db.close();
            await created.drop();
          },
        };
      },
    },
    {
      name: "MariaDB",
      databaseType: "mysql",
      skipReason: maria ? "" : "MariaDB unavailable (apt-get install mariadb-server)",
      async open() {
        counter += 1;
        const name = `t_${process.pid}_${counter}`;
        const admin = await openDatabase({ kind: "mysql", url: maria });
        await execMysql(admin.knex, `CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
        await admin.close();
        const url = maria.replace(/\/[^/]*$/, `/${name}`);
        const db = await openDatabase({ kind: "mysql", url });
        return {
          apply: (s) => applyMysql(db.knex, s),
          introspect: () => introspectMysql(db.knex),
          location: url,
          close: async () => {
            await execMysql(db.knex, `DROP DATABASE ${name}`);
            await db.close();
          },
        };
      },
    },
  ];
}
