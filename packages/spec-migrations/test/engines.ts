/**
 * The engines a spec migration runs on: SQLite (sql.js), PostgreSQL (PGlite and 15, from the shared
 * test targets) and MariaDB — each behind @dbgen/db's one engine shape (`Engine`).
 */
import { type Engine, execMysql, openDatabase, openEngine } from "@dbgen/db";
import { targetEngines } from "@dbgen/tooling/targets";
import { inject } from "vitest";
import type { DatabaseType } from "../src/index.js";

interface Live extends Pick<Engine, "apply" | "introspect" | "close"> {
  /** Where generateMigrationFor can read it, when it can. */
  location?: string;
}

export interface SpecEngine {
  readonly name: string;
  readonly databaseType: DatabaseType;
  readonly skipReason: string;
  open(): Promise<Live>;
}

let counter = 0;

/** A fresh MariaDB database on the run's server, dropped on close. */
async function freshMariadb(adminUrl: string): Promise<Live> {
  counter += 1;
  const name = `t_${process.pid}_${counter}`;
  const admin = await openDatabase({ kind: "mysql", url: adminUrl });
  await execMysql(admin.knex, `CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  await admin.close();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const adapter = await openEngine({ kind: "mysql", url });
  return {
    ...adapter,
    location: url,
    close: async () => {
      const again = await openDatabase({ kind: "mysql", url });
      await execMysql(again.knex, `DROP DATABASE ${name}`);
      await again.close();
      await adapter.close();
    },
  };
}

export function specEngines(): SpecEngine[] {
  const maria = inject("mariadbUrl");
  const postgres = targetEngines().map(
    (engine): SpecEngine => ({
      name: engine.name,
      databaseType: "postgresql",
      skipReason: engine.skipReason,
      async open() {
        const fresh = await engine.fresh();
        const adapter = await openEngine(fresh.target);
        return {
          ...adapter,
          ...(fresh.target.kind === "postgres" ? { location: fresh.target.url } : {}),
          close: async () => {
            await adapter.close();
            await fresh.drop();
          },
        };
      },
    }),
  );
  return [
    { name: "SQLite (sql.js)", databaseType: "sqlite", skipReason: "", open: () => openEngine({ kind: "sqlite" }) },
    ...postgres,
    {
      name: "MariaDB",
      databaseType: "mysql",
      skipReason: maria ? "" : "MariaDB unavailable (apt-get install mariadb-server)",
      open: () => freshMariadb(maria),
    },
  ];
}
