/**
 * `dbgen all`: the whole pipeline, touching no persistent database: the whole model's schema,
 * concept docs, and — once modules have prototyped — merge, and harden once the project is in
 * production (it has a production state: the first `dbgen harden` made it). Read once, plan every stage,
 * prove on one in-memory PGlite, then publish every file in one step (all or none).
 */

import { join } from "node:path";
import { withScratchDatabase } from "@dbgen/db";
import { exists, publish } from "@dbgen/project";
import type { CommandResult, RunContext } from "../context.js";
import { readCheckedProject, writing } from "../project.js";
import {
  conceptStep,
  hardenedTables,
  type MigrationsPlanned,
  mergeStep,
  migrationsPlanned,
  modelStep,
  productionPlan,
  proveProduction,
} from "../steps.js";

/** What `dbgen all` did, stage by stage. */
export interface AllResult {
  /** The whole model's schema, applied and read back. */
  readonly tables: number;
  readonly statements: number;
  readonly files: readonly string[];
  readonly changed: readonly string[];
  readonly provenOn: string;
  readonly concept: { readonly pages: number; readonly folder: string };
  /** Null until a module has a prototype state. */
  readonly merge: { readonly modules: readonly string[]; readonly tables: number; readonly rules: number } | null;
  /** Null until the project is in production (the first `dbgen harden`). */
  readonly production: (MigrationsPlanned & { readonly tables: number }) | null;
}

export function allCommand(global: RunContext): Promise<CommandResult<AllResult>> {
  return writing(global, "all", async (project) => {
    const checked = await readCheckedProject(project);
    const merge = await mergeStep(project, checked);
    // Production starts when someone asks for it (dbgen harden); from then on, all keeps it up to date.
    const inProduction = await exists(join(project.layout.root, project.layout.productionState));
    // Every input is read and planned before anything is proven: a broken production state stops here.
    const production = merge && inProduction ? await productionPlan(project, merge) : undefined;
    // One scratch PGlite proves both: the model's proof rolls itself back (opening one costs ~1 s).
    const model = await global.step("Proving the schemas on an in-memory PGlite", () =>
      withScratchDatabase(async (db) => {
        const proven = await modelStep(project, checked, db);
        if (merge && production) await proveProduction(project, merge, production, db);
        return proven;
      }),
    );
    global.warnNow(production?.warnings ?? []);
    const concept = await conceptStep(project, checked);
    const files = [...model.files, ...(merge?.files ?? []), ...(production?.files ?? []), ...concept];
    const changed = await publish(project.layout, files, { remove: production?.remove ?? [] });
    return {
      result: {
        tables: model.tables,
        statements: model.statements,
        files: files.map((f) => f.path),
        changed,
        provenOn: "PGlite (in memory)",
        concept: { pages: concept.length, folder: project.layout.concept },
        merge: merge
          ? {
              modules: merge.modules,
              tables: merge.result.merged.tables.length,
              rules: merge.result.rules.length + merge.result.overrides.length,
            }
          : null,
        production: production ? { tables: hardenedTables(production), ...migrationsPlanned(production) } : null,
      },
      diagnostics: [
        ...checked.diagnostics,
        ...model.warnings,
        ...(merge?.warnings ?? []),
        ...(production?.warnings ?? []),
      ],
    };
  });
}
