/**
 * The real engines every database test runs on, as sandboxes: PostgreSQL 15 (a fresh database per
 * test, from the shared test targets) and PGlite (one instance per test file, a fresh schema per
 * test: opening PGlite costs about a second).
 */
import { targetEngines } from "@dbgen/tooling/targets";
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

/** PostgreSQL 15 from the shared test targets: a fresh database per sandbox. */
function postgresEngine(): Engine {
  const target = targetEngines().find((e) => e.name === "PostgreSQL 15");
  if (!target) throw new Error("the shared test targets have no PostgreSQL 15");
  return {
    name: target.name,
    skipReason: target.skipReason,
    async sandbox() {
      const fresh = await target.fresh();
      const db = await openDatabase(fresh.target);
      return {
        db,
        schemaName: "public",
        close: async () => {
          await db.close();
          await fresh.drop();
        },
      };
    },
    async dispose() {},
  };
}

export function engines(): Engine[] {
  return [pgliteEngine(), postgresEngine()];
}
