/**
 * `dbgen test [--run] [--db URL]` (spec §2a): the pgTAP access tests of the production schema —
 * `supabase/tests/dbgen_access.test.sql`, what `supabase test db` and `pg_prove` run — and with `--run`
 * their run on the embedded production database (PGlite, which ships pgTAP) or `--db`. The tests run
 * in one transaction that rolls back: the database is left as it was.
 */
import { join } from "node:path";
import { type AccessTestPlan, planAccessTests, readTap, type TapSummary } from "@dbgen/access-tests";
import { type Database, resolveTarget, withSession } from "@dbgen/db";
import { accessTestsFile, productionDevDir, publish } from "@dbgen/project";
import { type DbgenError, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { type DatabaseOptions, openTarget } from "../database.js";
import { readSchemaSource } from "../inputs.js";
import { readCheckedProject, writing } from "../project.js";

export interface TestCommandOptions extends DatabaseOptions {
  readonly run?: boolean;
}

/** Runs the file's statements on one session, collecting what pgTAP returns; a failing statement rolls back. */
async function runTests(db: Database, plan: AccessTestPlan): Promise<TapSummary> {
  return withSession(db.knex, async (query) => {
    const lines: string[] = [];
    try {
      for (const statement of plan.statements) {
        const rows = await query<Record<string, unknown>>(statement);
        for (const row of rows)
          for (const value of Object.values(row)) if (typeof value === "string") lines.push(value);
      }
    } catch (error) {
      await query("ROLLBACK").catch(() => undefined);
      throw setupFailure(error, db.description);
    }
    return readTap(lines);
  });
}

/** One failed check in a line: its number and name, what the database did, what the rules say. */
function failedCheck(check: TapSummary["failed"][number]): string {
  const have = /have:\s*(.*)/.exec(check.detail)?.[1]?.trim();
  const want = /want:\s*(.*)/.exec(check.detail)?.[1]?.trim();
  return `#${check.number} ${check.description}${have && want ? ` (got ${have}; the rules say ${want})` : ""}`;
}

/** A statement of the file the database refused: production missing, or a world it cannot hold. */
function setupFailure(error: unknown, description: string): DbgenError {
  const code = (error as { code?: string }).code ?? "";
  // 42P01 undefined table, 3F000 undefined schema, 42883 undefined function: production is not there.
  const missing = ["42P01", "3F000", "42883", "42704"].includes(code);
  return userError(
    "ACCESS_TEST_FAILED",
    `The access tests could not run on ${description}: ${(error as Error).message}`,
    missing
      ? "apply the production migrations to that database first (dbgen apply --stage production), then run the tests again"
      : "check that the database holds this production schema (dbgen status, dbgen apply --stage production); if it does, the tests' own rows do not fit it: please report it with the file",
  );
}

function failure(summary: TapSummary, description: string, file: string): DbgenError {
  const shown = summary.failed.slice(0, 10).map(failedCheck);
  const more = summary.failed.length > shown.length ? `; and ${summary.failed.length - shown.length} more` : "";
  const ran = summary.passed + summary.failed.length;
  const short = ran < summary.planned ? ` (${summary.planned - ran} of ${summary.planned} never ran)` : "";
  return userError(
    "ACCESS_TEST_FAILED",
    `${summary.failed.length} of ${summary.planned} access checks failed on ${description}${short}, where the database answers otherwise than the model's rules: ${shown.join("; ")}${more}`,
    "harden and apply the model's access rules (dbgen harden, then dbgen apply --stage production), or change the rules in the model; pg_prove on the file shows every check",
    { file },
  );
}

export interface TestResult {
  readonly file: string;
  readonly checks: number;
  readonly tables: readonly string[];
  readonly actors: readonly string[];
  readonly changed: readonly string[];
  /** `--run`: where, and how many checks passed of how many planned. */
  readonly ran?: { readonly database: string; readonly passed: number; readonly planned: number };
}

export function testCommand(global: RunContext, options: TestCommandOptions): Promise<CommandResult<TestResult>> {
  return writing(global, "test", async (project) => {
    const checked = await readCheckedProject(project);
    const source = await readSchemaSource(project.layout, {});
    const plan = planAccessTests(source.schema, checked.schema);
    const file = accessTestsFile(project.layout);
    let ran: { summary: TapSummary; description: string } | undefined;
    if (options.run) {
      const target = resolveTarget(
        options.db,
        process.env,
        join(project.layout.root, productionDevDir(project.layout)),
      );
      const db = await openTarget(target, global);
      try {
        const summary = await global.step(`Running ${plan.tests} access checks`, () => runTests(db, plan));
        ran = { summary, description: db.description };
      } finally {
        await db.close();
      }
    }
    // The file is the model's tests, whatever a database makes of them: written before a failure is reported.
    const changed = await publish(project.layout, [{ path: file, content: plan.sql }]);
    if (ran && (ran.summary.failed.length > 0 || ran.summary.passed < ran.summary.planned || ran.summary.planned === 0))
      throw failure(ran.summary, ran.description, file);
    return {
      result: {
        file,
        checks: plan.tests,
        tables: plan.tables,
        actors: plan.actors,
        changed,
        ...(ran
          ? { ran: { database: ran.description, passed: ran.summary.passed, planned: ran.summary.planned } }
          : {}),
      },
      diagnostics: [],
    };
  });
}
