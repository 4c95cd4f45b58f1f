/** vitest globalSetup: one PostgreSQL 15 cluster for the whole test run, removed at the end. */
import type { TestProject } from "vitest/node";
import { mariadbUnavailableReason, startMariaDb } from "./mariadb-harness.ts";
import { pgUnavailableReason, startPgCluster } from "./pg-harness.ts";

/** MariaDB for the MySQL-dialect suites: started alongside PostgreSQL, or skipped loudly. */
async function startMaria(project: TestProject): Promise<() => Promise<void>> {
  const reason = mariadbUnavailableReason();
  if (reason) {
    process.stderr.write(`\n*** MySQL (MariaDB) suites SKIPPED: ${reason}\n\n`);
    project.provide("mariadbUrl", "");
    return async () => {};
  }
  const server = await startMariaDb();
  project.provide("mariadbUrl", server.url());
  return () => server.stop();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stopMaria = await startMaria(project);
  const stopPg = await setupPostgres(project);
  return async () => {
    await stopPg();
    await stopMaria();
  };
}

async function setupPostgres(project: TestProject): Promise<() => Promise<void>> {
  const reason = pgUnavailableReason();
  if (reason) {
    process.stderr.write(`\n*** PostgreSQL 15 suites SKIPPED: ${reason}\n\n`);
    project.provide("pgAdminUrl", "");
    project.provide("pgSkipReason", reason);
    return async () => {};
  }
  const cluster = await startPgCluster();
  project.provide("pgAdminUrl", cluster.url());
  project.provide("pgSkipReason", "");
  return () => cluster.stop();
}
