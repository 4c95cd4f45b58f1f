/**
 * `dbgen seed [--module M | --stage production] [--rows N] [--rows-per Entity=N…] [--seed S] [--apply]`:
 * deterministic, constraint-true seed data (`@dbgen/seed`) — `{seed}/{module}.sql` for a module,
 * `supabase/seed.sql` (what `supabase db reset` loads) for production. With `--apply` it is loaded
 * into the database first, in one transaction: a seed the database refuses writes nothing.
 */
import { join } from "node:path";
import { type Database, execScript, resolveTarget } from "@dbgen/db";
import { moduleDir, type ProjectLayout, productionDevDir, publish, seedFile } from "@dbgen/project";
import { type Schema, suggestFix, userError } from "@dbgen/schema-core";
import { planSeed } from "@dbgen/seed";
import type { CommandResult, RunContext } from "../context.js";
import { confirmTarget, type DatabaseOptions, openTarget } from "../database.js";
import { readSchemaSource } from "../inputs.js";
import { readCheckedProject, writing } from "../project.js";
import { ensureSupabaseShim } from "../steps.js";

export interface SeedCommandOptions extends DatabaseOptions {
  readonly module?: string;
  readonly stage?: "production";
  readonly rows?: number;
  readonly rowsPer?: readonly string[];
  readonly seed?: string;
  readonly apply?: boolean;
}

function refuse(message: string, fix: string): never {
  throw userError("INVALID_CONFIG", message, fix);
}

/** `Entity=N` / `table=N` pairs, by table name (an entity's name is matched by the plan too). */
function rowsPer(pairs: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(\d+)$/.exec(pair);
    if (!match?.[1] || !match[2]) refuse(`--rows-per ${pair} is not NAME=N`, "write it like --rows-per Account=50");
    out[match[1]] = Number(match[2]);
  }
  return out;
}

function checkNames(names: Record<string, number>, schema: Schema): void {
  const known = schema.tables.flatMap((t) => [t.name, ...(t.entity ? [t.entity] : [])]);
  for (const name of Object.keys(names))
    if (!known.includes(name))
      refuse(
        `--rows-per names ${name}, which is no table or entity here`,
        suggestFix(name, known, "name a table or entity"),
      );
}

/** The schema to seed, where its file goes, and its embedded database. */
async function sourceOf(layout: ProjectLayout, options: SeedCommandOptions) {
  const source = await readSchemaSource(layout, {
    ...(options.module !== undefined ? { module: options.module } : {}),
  });
  return source.module === undefined
    ? { schema: source.schema, file: layout.supabaseSeed, dev: productionDevDir(layout), production: true }
    : {
        schema: source.schema,
        file: seedFile(layout, source.module),
        dev: moduleDir(layout, "dev", source.module),
        production: false,
      };
}

async function load(db: Database, sql: string, production: boolean): Promise<void> {
  if (production) await ensureSupabaseShim(db);
  try {
    await db.knex.transaction((trx) => execScript(trx, sql));
  } catch (error) {
    throw userError(
      "MIGRATION_FAILED",
      `The seed failed and was rolled back: ${(error as Error).message}`,
      production
        ? "apply the production migrations first (dbgen apply --stage production), then seed again"
        : "apply the module's iterations first (dbgen apply --module M), then seed again",
    );
  }
}

export interface SeedResult {
  readonly file: string;
  /** Rows per table. */
  readonly counts: Readonly<Record<string, number>>;
  readonly changed: readonly string[];
  /** The database it was loaded into (`--apply`). */
  readonly loaded?: string;
  /** Checks the seed cannot read (not bounds or orders): rows may break them. */
  readonly unreadChecks?: readonly string[];
}

export function seedCommand(global: RunContext, options: SeedCommandOptions): Promise<CommandResult<SeedResult>> {
  return writing(global, "seed", async (project) => {
    if (options.module !== undefined && options.stage === "production")
      refuse("--module and --stage production name two schemas", "pass one of them");
    const checked = await readCheckedProject(project);
    const source = await sourceOf(project.layout, options);
    const per = rowsPer(options.rowsPer);
    checkNames(per, source.schema);
    const plan = planSeed(source.schema, checked.schema, {
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.rows !== undefined ? { rows: options.rows } : {}),
      rowsPer: per,
      authUsers: source.production,
    });
    let loaded: string | undefined;
    if (options.apply) {
      const target = resolveTarget(options.db, process.env, join(project.layout.root, source.dev));
      await confirmTarget(target, options, "Loading the seed", global);
      const db = await openTarget(target, global);
      try {
        await global.step("Loading the seed", () => load(db, plan.sql, source.production));
        loaded = db.description;
      } finally {
        await db.close();
      }
    }
    const changed = await publish(project.layout, [{ path: source.file, content: plan.sql }]);
    return {
      result: {
        file: source.file,
        counts: plan.counts,
        changed,
        ...(loaded ? { loaded } : {}),
        ...(plan.unreadChecks.length ? { unreadChecks: plan.unreadChecks } : {}),
      },
      diagnostics: [],
    };
  });
}
