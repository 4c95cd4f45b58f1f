/**
 * The one place that knows where a dbgen project keeps its files (spec §4). Every path is relative
 * to the project root and uses `/`; a configuration file may move any of them. Nothing else in the
 * packages spells a `.pipeline` path.
 */
import { rollbackFileName, stateFileName, typesFileName } from "./file-names.js";

/** Every input and output location of a project, relative to its root. */
export interface LayoutPaths {
  /** The pipeline folder: the lock, the write journal and every default below live in it. */
  readonly pipeline: string;
  readonly busm: string;
  /** Module files (`{module}-phase{n}.yaml`). */
  readonly modules: string;
  /** Prototype migrations, rollbacks, states and types: one folder per module under each. */
  readonly migrations: string;
  readonly rollbacks: string;
  readonly state: string;
  readonly types: string;
  /** Embedded PGlite databases, one folder per module (and `production`). */
  readonly dev: string;
  /** Concept docs. */
  readonly concept: string;
  /** The whole model's schema, types and snapshot (`dbgen all`). */
  readonly model: string;
  /** The merged schema and the prototype union. */
  readonly merged: string;
  readonly mergeReport: string;
  readonly resolutions: string;
  readonly backfill: string;
  /** The production fresh install (`schema.sql`). */
  readonly production: string;
  readonly productionMigrations: string;
  readonly productionState: string;
  readonly productionTypes: string;
  /** The Supabase CLI's migrations folder. */
  readonly supabaseMigrations: string;
  /** The Supabase CLI's declarative schema folder: the production schema, one file per concern. */
  readonly supabaseSchemas: string;
  /** The Supabase CLI's test folder (`supabase test db` runs its `*.test.sql`): `dbgen test` writes there. */
  readonly supabaseTests: string;
  /** The Supabase CLI's project config; its `[db.migrations] schema_paths` names the schema files when it exists. */
  readonly supabaseConfig: string;
  /** `dbgen migrate`'s default output: one folder per dialect under it. */
  readonly specMigrations: string;
  /** `dbgen export`'s default output: `drizzle/` and `prisma/` under it. */
  readonly orm: string;
  /** `dbgen seed`'s output for a module: `{module}.sql` under it. */
  readonly seed: string;
  /** `dbgen seed --stage production`'s output: the file `supabase db reset` loads. */
  readonly supabaseSeed: string;
}

export type LayoutKey = keyof LayoutPaths;

/** A project's resolved layout: its absolute root, the paths, and the config file they came from. */
export interface ProjectLayout extends LayoutPaths {
  readonly root: string;
  /** The config file the paths came from (relative to the root), if any. */
  readonly configFile?: string;
  /** The project lock (under `pipeline`). */
  readonly lockFile: string;
  /** The write step's journal (under `pipeline`). */
  readonly journalFile: string;
  /** The git branch checked out, when the project is in a git repository (`dev` is then its own). */
  readonly branch?: string;
}

/** Paths under the pipeline folder, by key; the rest are fixed at the root. */
const UNDER_PIPELINE: Omit<
  LayoutPaths,
  "pipeline" | "supabaseMigrations" | "supabaseSchemas" | "supabaseConfig" | "supabaseSeed" | "supabaseTests"
> = {
  busm: "factory-tools/busm-reader/busm-model.json",
  modules: "modules",
  migrations: "database/migrations/prototype",
  rollbacks: "database/rollbacks/prototype",
  state: "database/state/prototype",
  types: "database/types",
  dev: "database/dev",
  concept: "docs/concept",
  model: "database/model",
  merged: "database/state/merged",
  mergeReport: "database/merge-report.md",
  resolutions: "merge-resolutions.yaml",
  backfill: "production-backfill.yaml",
  production: "database/production",
  productionMigrations: "database/migrations/production",
  productionState: "database/state/production/schema.json",
  productionTypes: "database/types/database.types.ts",
  specMigrations: "database/migrations",
  orm: "database/orm",
  seed: "database/seed",
};

export const DEFAULT_PIPELINE_DIR = ".pipeline";

/** A path as the layout keeps it: `/`-separated, no `./` prefix, no trailing slash. */
export function normalisePath(path: string): string {
  const clean = path
    .replace(/\\/g, "/")
    .replace(/\/+$/, "")
    .replace(/^(\.\/)+/, "");
  return clean === "" ? "." : clean;
}

/** `name` in the folder that holds `path` (`supabase/migrations` → `supabase/schemas`). */
function siblingOf(path: string, name: string): string {
  const parent = normalisePath(path).split("/").slice(0, -1).join("/");
  return parent === "" ? name : `${parent}/${name}`;
}

/** The layout's paths: the contract's defaults under `pipeline`, with `overrides` on top. */
export function layoutPaths(overrides: Partial<LayoutPaths> = {}): LayoutPaths {
  const pipeline = normalisePath(overrides.pipeline ?? DEFAULT_PIPELINE_DIR);
  const defaults = Object.fromEntries(
    Object.entries(UNDER_PIPELINE).map(([key, rel]) => [key, `${pipeline}/${rel}`]),
  ) as Omit<
    LayoutPaths,
    "pipeline" | "supabaseMigrations" | "supabaseSchemas" | "supabaseConfig" | "supabaseSeed" | "supabaseTests"
  >;
  const merged: LayoutPaths = {
    ...defaults,
    pipeline,
    supabaseMigrations: "supabase/migrations",
    supabaseSeed: "supabase/seed.sql",
    ...overrides,
    // The Supabase CLI keeps schemas and config.toml beside its migrations folder: they move with it.
    supabaseSchemas:
      overrides.supabaseSchemas ?? siblingOf(overrides.supabaseMigrations ?? "supabase/migrations", "schemas"),
    supabaseConfig:
      overrides.supabaseConfig ?? siblingOf(overrides.supabaseMigrations ?? "supabase/migrations", "config.toml"),
    supabaseTests: overrides.supabaseTests ?? siblingOf(overrides.supabaseMigrations ?? "supabase/migrations", "tests"),
  };
  return Object.fromEntries(
    Object.entries(merged).map(([key, value]) => [key, normalisePath(value)]),
  ) as unknown as LayoutPaths;
}

/** The contract's layout, for code that runs without a project (tests, benchmarks, the packages' defaults). */
export const DEFAULT_PATHS: LayoutPaths = layoutPaths();

/** The layout of the project at `root` (absolute) with these paths. */
export function makeLayout(root: string, paths: LayoutPaths = DEFAULT_PATHS, configFile?: string): ProjectLayout {
  return {
    ...paths,
    root,
    ...(configFile !== undefined ? { configFile } : {}),
    lockFile: `${paths.pipeline}/.dbgen.lock`,
    journalFile: `${paths.pipeline}/.dbgen-journal.json`,
  };
}

const inFolder = (base: string, name: string): string => `${base}/${name}`;

type ModuleBase = "migrations" | "rollbacks" | "state" | "types" | "dev";

/** A module's folder under one of the per-module bases. */
export function moduleDir<K extends ModuleBase>(paths: Pick<LayoutPaths, K>, base: K, module: string): string {
  return inFolder(paths[base], module);
}
export function rollbackFile(paths: Pick<LayoutPaths, "rollbacks">, module: string, iteration: number): string {
  return inFolder(moduleDir(paths, "rollbacks", module), rollbackFileName(iteration));
}
export function stateFile(paths: Pick<LayoutPaths, "state">, module: string, iteration: number): string {
  return inFolder(moduleDir(paths, "state", module), stateFileName(iteration));
}
export function typesFile(paths: Pick<LayoutPaths, "types">, module: string, iteration: number): string {
  return inFolder(moduleDir(paths, "types", module), typesFileName(iteration));
}
/**
 * Beside the production state: the state the latest production change started from, so a backfill
 * added after that change failed on a database's rows can re-plan it.
 */
export function productionBaseState(paths: Pick<LayoutPaths, "productionState">): string {
  return paths.productionState.replace(/[^/]*$/, "base-schema.json");
}
/** The embedded database of the production stage. */
export function productionDevDir(paths: Pick<LayoutPaths, "dev">): string {
  return inFolder(paths.dev, "production");
}
/** `dbgen export`'s default folder: `{orm}/{drizzle|prisma}` for production, with `/{module}` for a module. */
export function ormDir(paths: Pick<LayoutPaths, "orm">, orm: string, module?: string): string {
  return inFolder(paths.orm, module === undefined ? orm : `${orm}/${module}`);
}
/** `dbgen seed`'s file for a module. */
/** `dbgen test`'s pgTAP file of access tests (spec §2a). */
export function accessTestsFile(paths: Pick<LayoutPaths, "supabaseTests">): string {
  return inFolder(paths.supabaseTests, "dbgen_access.test.sql");
}
export function seedFile(paths: Pick<LayoutPaths, "seed">, module: string): string {
  return inFolder(paths.seed, `${module}.sql`);
}
/** `dbgen migrate`'s default folder for a dialect. */
export function specMigrationsDir(paths: Pick<LayoutPaths, "specMigrations">, dialect: string): string {
  return inFolder(paths.specMigrations, dialect);
}
