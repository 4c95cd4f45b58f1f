/**
 * @dbgen/access-tests — the pgTAP access tests of a production schema (spec §2a, `dbgen test`):
 * `planAccessTests(production, facts)` gives the file and its statements; `readTap` reads a run.
 *
 * @example
 * const tests = planAccessTests(productionSchema, modelSchema);
 * await writeFile("supabase/tests/dbgen_access.test.sql", tests.sql);
 */
export { type AccessTestPlan, planAccessTests, readTap, type TapSummary } from "./plan.js";
