/**
 * `dbgen harden`: the production schema, its upgrade migration(s) and types, proven on an in-memory
 * PGlite (with Supabase's roles) before anything is written. `dbgen apply --stage production`
 * applies the production migrations.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { applyMigration, currentIteration, readHistory, resolveTarget } from "@dbgen/db";
import { describeChange, type PendingChange } from "@dbgen/production-hardener";
import { productionDevDir, publish } from "@dbgen/project";
import { userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { confirmTarget, type DatabaseOptions, openTarget } from "../database.js";
import { readProductionMigrationNames } from "../inputs.js";
import { readCheckedProject, writing } from "../project.js";
import { ensureSupabaseShim, hardenStep, migrationsLine, requireMergeStep, writtenLines } from "../steps.js";

export interface HardenCommandOptions {
  /** The contract step: the expanded renames' old columns and sync triggers go. */
  readonly complete?: boolean;
}

/** What waits for `dbgen harden --complete`, or what this contract completes. */
function expandLines(plan: { pending: readonly PendingChange[]; completed: readonly PendingChange[] }): string[] {
  const list = (changes: readonly PendingChange[]) => changes.map(describeChange).join(", ");
  return [
    ...(plan.completed.length
      ? [`contract: ${list(plan.completed)} — the old columns and their sync triggers go`]
      : []),
    ...(plan.pending.length
      ? [
          `expand: ${list(plan.pending)} — the old and new columns both work; once the app uses only the new ones, run dbgen harden --complete`,
        ]
      : []),
  ];
}

export function hardenCommand(global: RunContext, options: HardenCommandOptions = {}): Promise<CommandResult> {
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
        unchanged: plan.unchanged,
        migrations: plan.migrations.map((m) => m.name),
        pending: plan.pending,
        completed: plan.completed,
        files: files.map((f) => f.path),
        changed,
      },
      diagnostics: [...merge.warnings, ...plan.warnings],
      lines: [
        `production: ${plan.schema.tables.filter((t) => !t.schema).length} tables hardened, proven on PGlite (in memory)`,
        plan.migrations.length || plan.replanned
          ? `${migrationsLine(plan)}`
          : "no new migration: production is unchanged",
        ...expandLines(plan),
        ...(options.complete && plan.completed.length === 0
          ? ["--complete: no expanded change waited to be completed"]
          : []),
        ...writtenLines(files, changed),
      ],
    };
  });
}

/** `dbgen apply --stage production`: the production migrations not yet applied, in order. */
export function applyProductionCommand(global: RunContext, options: DatabaseOptions): Promise<CommandResult> {
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
        result: { applied, current, database: db.description },
        diagnostics: [],
        lines: [`${db.description} has ${current} of ${names.length} production migrations`],
      };
    } finally {
      await db.close();
    }
  });
}
