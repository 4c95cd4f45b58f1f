import { defineConfig } from "vitest/config";

// One config for every package: one PostgreSQL 15 cluster per run (globalSetup), and a closing
// line CI can read ("N passed, N failed, N skipped").
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "tooling/test/**/*.test.ts"],
    globalSetup: ["tooling/src/global-setup.ts"],
    reporters: ["default", "./tooling/src/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // As dbgen's CLI runs it (apps/cli/src/cli.ts): PGlite's WebAssembly on V8's baseline compiler only.
    // Hundreds of short-lived embedded databases never repay the optimising recompile, which on two
    // cores competes with the tests themselves.
    poolOptions: { forks: { execArgv: ["--liftoff-only"] } },
  },
});
