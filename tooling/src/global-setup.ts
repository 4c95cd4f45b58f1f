/** vitest globalSetup: one PostgreSQL 15 cluster for the whole test run, removed at the end. */
import type { TestProject } from "vitest/node";
import { pgUnavailableReason, startPgCluster } from "./pg-harness.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
