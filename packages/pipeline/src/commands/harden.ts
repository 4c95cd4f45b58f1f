/**
 * `dbgen harden`: the production schema, its upgrade migration(s) and types, proven on an in-memory
 * PGlite (with Supabase's roles) before anything is written. `dbgen apply --stage production`
 * applies the production migrations.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { applyMigration, currentIteration, readHistory, resolveTarget } from "@dbgen/db";
import type { PendingChange } from "@dbgen/production-hardener";
import { productionDevDir, publish } from "@dbgen/project";
import { userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { confirmTarget, type DatabaseOptions, openTarget } from "../database.js";
import { readProductionMigrationNames } from "../inputs.js";
import { readCheckedProject, writing } from "../project.js";
import {
  ensureSupabaseShim,
  hardenedTables,
  hardenStep,
  type MigrationsPlanned,
  migrationsPlanned,
  requireMergeStep,
} from "../steps.js";

export interface HardenCommandOptions {
  /** The contract step: the expanded renames' old columns and sync triggers go. */
  readonly complete?: boolean;
}

/** What `dbgen harden` planned and wrote. */
export interface HardenResult extends MigrationsPlanned {
  /** Every table of the production schema, Supabase's own included. */
  readonly tables: number;
  /** The tables dbgen hardened (not Supabase's own). */
  readonly hardened: number;
  readonly unchanged: boolean;
  /** Renames and type changes expanded, waiting for `--complete`. */
  readonly pending: readonly PendingChange[];
  /** What this `--complete` contracted. */
  readonly completed: readonly PendingChange[];
  readonly complete: boolean;
  readonly files: readonly string[];
  readonly changed: readonly string[];
}

export function hardenCommand(
  global: RunContext,
  options: HardenCommandOptions = {},
): Promise<CommandResult<HardenResult>> {
  return writing(global, options.complete ? "harden --complete" : "harden", async (project) => {
    const checked = await readCheckedProject(project);
    const merge = await requireMergeStep(project, checked);
    const plan = await global.step("Proving production on an in-memory PGlite", () =>
      hardenStep(project, merge, undefined, { complete: options.complete === true }),
    );
    global.warnNow(plan.warnings);
    const files = [...merge.files, ...plan.files];
    const changed = await publish(project.layout, files, { remove: plan.remove });
    return {
      result: {
        tables: plan.schema.tables.length,
        hardened: hardenedTables(plan),
        unchanged: plan.unchanged,
        ...migrationsPlanned(plan),
        pending: plan.pending,
        completed: plan.completed,
        complete: options.complete === true,
        files: files.map((f) => f.path),
        changed,
      },
      diagnostics: [...merge.warnings, ...plan.warnings],
    };
  });
}

/** `dbgen apply --stage production`: the production migrations not yet applied, in order. */
export interface ApplyProductionResult {
  readonly applied: readonly string[];
  /** How many production migrations the database has applied now, of `total`. */
  readonly current: number;
  readonly total: number;
  readonly database: string;
}

export function applyProductionCommand(
  global: RunContext,
  options: DatabaseOptions,
): Promise<CommandResult<ApplyProductionResult>> {
  return writing(global, "apply --stage production", async ({ layout }) => {
    const names = await readProductionMigrationNames(layout);
    if (names.length === 0)
      throw userError(
        "INVALID_CONFIG",
        `No production migration in ${layout.productionMigrations}`,
        "run dbgen harden first",
      );
    const target = resolveTarget(options.db, process.env, join(layout.root, productionDevDir(layout)));
    await confirmTarget(target, options, "Applying the production migrations", global);
    const db = await openTarget(target, global);
    try {
      if (await ensureSupabaseShim(db))
        global.progress("✓ created Supabase's roles and auth functions (the database had none)");
      const applied: string[] = [];
      for (const [index, name] of names.entries()) {
        const file = `${layout.productionMigrations}/${name}`;
        const outcome = await applyMigration(db.knex, {
          module: "production",
          phase: 0,
          iteration: index + 1,
          file,
          sql: await readFile(join(layout.root, file), "utf8"),
        });
        if (outcome === "applied") {
          applied.push(name);
          global.progress(`✓ applied ${file}`);
        }
      }
      const current = currentIteration(await readHistory(db.knex), "production");
      return {
        result: { applied, current, total: names.length, database: db.description },
        diagnostics: [],
      };
    } finally {
      await db.close();
    }
  });
}
