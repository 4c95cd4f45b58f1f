/**
 * The real engines every database test runs on: PostgreSQL 15 (a fresh database per test on the
 * run's throwaway cluster) and PGlite (one instance per test file, a fresh schema per test).
 */
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { inject } from "vitest";
import { type Database, openDatabase } from "../src/index.js";

interface Sandbox {
  readonly db: Database;
  /** The schema to render into and introspect. */
  readonly schemaName: string;
  close(): Promise<void>;
}

export interface Engine {
  readonly name: string;
  /** Why this engine is unavailable, when it is. */
  readonly skipReason: string;
  sandbox(): Promise<Sandbox>;
  /** Frees what the engine shares between tests of the file. */
  dispose(): Promise<void>;
}

let schemaCounter = 0;

function pgliteEngine(): Engine {
  let shared: Promise<Database> | undefined;
  return {
    name: "PGlite",
    skipReason: "",
    async sandbox() {
      shared ??= openDatabase({ kind: "pglite" });
      const db = await shared;
      schemaCounter += 1;
      const schemaName = `sandbox_${schemaCounter}`;
      await db.knex.raw(`create schema ${schemaName}`);
      return { db, schemaName, close: async () => void (await db.knex.raw(`drop schema ${schemaName} cascade`)) };
    },
    async dispose() {
      if (shared) await (await shared).close();
    },
  };
}

function postgresEngine(): Engine {
  const adminUrl = inject("pgAdminUrl");
  return {
    name: "PostgreSQL 15",
    skipReason: adminUrl ? "" : `PostgreSQL 15 unavailable: ${inject("pgSkipReason")}`,
    async sandbox() {
      const database = await createTestDatabase(adminUrl);
      const db = await openDatabase({ kind: "postgres", url: database.url });
      return {
        db,
        schemaName: "public",
        close: async () => {
          await db.close();
          await database.drop();
        },
      };
    },
    async dispose() {},
  };
}

export function engines(): Engine[] {
  return [pgliteEngine(), postgresEngine()];
}
