/**
 * Planning an iteration (pure): the module's current wish against the state of the previous
 * iteration of the same module → the operations, their hazards, and the four files to write.
 */
import {
  type AnalysedModule,
  type BuildOptions,
  type BusmModel,
  buildModuleSchema,
  tableNameOf,
} from "@dbgen/busm-reader";
import { nextVersion, type OutputFile, type PrototypeConfig, prototypeMigrationFileName } from "@dbgen/project";
import {
  type BackfillSource,
  createSnapshot,
  DbgenError,
  type Diagnostic,
  describeOperation,
  diffSchemas,
  emptySchema,
  generatedTypesFile,
  invertOperations,
  migrationHeader,
  migrationPrologue,
  type Operation,
  type OperationHazards,
  operationTable,
  planHazards,
  renderPostgres,
  type Schema,
  type Snapshot,
  serializeSnapshot,
  userError,
  withBackfills,
} from "@dbgen/schema-core";
import { migrationsDir, rollbackPath, statePath, typesPath } from "./layout.js";

/** An iteration already generated for the module, as found on disk. */
export interface GeneratedIteration {
  readonly iteration: number;
  readonly state: Snapshot;
  /** The migration file's name and 14-digit version. */
  readonly migrationFile?: string;
  readonly version?: string;
}

export interface IterationInput {
  readonly model: BusmModel;
  readonly module: AnalysedModule;
  readonly config: PrototypeConfig;
  /** Every generated iteration of the module, in order. */
  readonly generated: readonly GeneratedIteration[];
  /** `--iteration`. */
  readonly requestedIteration?: number;
  readonly nowMs: number;
  readonly allowDestructive?: boolean;
}

export interface IterationPlan {
  readonly module: string;
  readonly phase: number;
  readonly iteration: number;
  readonly previousIteration: number;
  /** `unchanged`: the wish equals the latest state; nothing is written. */
  readonly status: "changes" | "unchanged";
  readonly schema: Schema;
  readonly operations: readonly Operation[];
  readonly hazards: readonly OperationHazards[];
  readonly warnings: readonly Diagnostic[];
  /** Sentences about rows the migration may not fit (a required column without a default). */
  readonly dataWarnings: readonly string[];
  readonly migration?: OutputFile;
  readonly rollback?: OutputFile;
  readonly state?: OutputFile;
  readonly types?: OutputFile;
}

/** The module's wish, built with the configuration's rules. */
/** How a prototype builds a module's schema under `config`: its naming patterns, string length and indexes. */
export function moduleBuildOptions(config: PrototypeConfig): BuildOptions {
  return {
    naming: { index: config.rules.indexNamePattern, foreignKey: config.rules.constraintNamePattern },
    defaultStringLength: config.rules.defaultStringLength,
    foreignKeyIndexes: config.rules.includeIndexes === "basic",
  };
}

const sameOptions = (a: BuildOptions, b: BuildOptions): boolean => JSON.stringify(a) === JSON.stringify(b);

export function buildWish(model: BusmModel, module: AnalysedModule, config: PrototypeConfig): Schema {
  const options = moduleBuildOptions(config);
  // Read with these options already (loadModuleContext): the analysis's schema is this one.
  const schema = sameOptions(module.buildOptions, options)
    ? module.schema
    : buildModuleSchema(model, module.selection, options);
  // Closed: row-level security with no policy, so the API's roles reach nothing (the owner and
  // service_role, which bypasses it, still do). Needs no Supabase role to exist.
  if (config.rules.clientAccess !== "closed") return schema;
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, rowLevelSecurity: true })) };
}

/** A short snake_case description of what the operations do: `create_locations_alter_accounts`. */
export function describeMigration(ops: readonly Operation[]): string {
  const created = ops.flatMap((o) => (o.kind === "create_table" ? [o.table.name] : []));
  const dropped = ops.flatMap((o) => (o.kind === "drop_table" ? [o.table.name] : []));
  const touched = [
    ...new Set(
      ops.flatMap((o) =>
        (o.kind === "create_table" || o.kind === "drop_table" ? [] : [operationTable(o)]).filter(
          (t): t is string => t !== undefined,
        ),
      ),
    ),
  ].filter((t) => !created.includes(t) && !dropped.includes(t));
  const parts = [
    created.length ? `create_${created.join("_")}` : "",
    touched.length ? `alter_${touched.join("_")}` : "",
    dropped.length ? `drop_${dropped.join("_")}` : "",
  ].filter(Boolean);
  let text = parts
    .join("_")
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  if (text.length > 60) text = text.slice(0, 60).replace(/_[^_]*$/, "");
  return text || "change";
}

/** The comment block, then the setting that makes every literal read the standard way whatever the server's default. */
const header = (title: string, facts: readonly string[], ops: readonly Operation[]): string =>
  `${migrationHeader(title, facts, ops)}\n${migrationPrologue()}\n`;

function iterationError(message: string, fix: string, file: string): DbgenError {
  return userError("INVALID_ITERATION", message, fix, { file });
}

/** The module file's `backfill:` of each field, by table and column. */
function moduleBackfills(model: BusmModel, module: AnalysedModule): BackfillSource {
  const byColumn = new Map(
    module.selection.entities.flatMap(({ entity, fields }) =>
      fields.flatMap((f) =>
        f.backfill === undefined ? [] : [[`${tableNameOf(entity, model.entities[entity])}.${f.name}`, f.backfill]],
      ),
    ),
  );
  return (table, column) => {
    const value = byColumn.get(`${table}.${column}`);
    return value === undefined ? undefined : { value };
  };
}

export function planIteration(input: IterationInput): IterationPlan {
  const { module, config } = input;
  const name = module.config.module;
  const latest = input.generated.at(-1);
  const latestIteration = latest?.iteration ?? 0;
  const target = input.requestedIteration ?? module.config.iteration ?? config.iteration.current ?? latestIteration + 1;
  const wish = buildWish(input.model, module, config);
  const previousSchema = latest?.state.schema ?? emptySchema(wish.name);
  const diff = diffSchemas(previousSchema, wish);
  // A required column on a table that may hold rows: filled from the module's backfill or the
  // column's default, then made NOT NULL after a check that names the rows left empty.
  const plan = { ...diff, operations: withBackfills(diff.operations, wish, moduleBackfills(input.model, module)) };
  const base = {
    module: name,
    phase: module.config.phase,
    iteration: target,
    previousIteration: latestIteration,
    schema: wish,
    operations: plan.operations,
    hazards: planHazards(plan.operations),
    warnings: plan.warnings,
  };
  if (target === latestIteration && latestIteration > 0) {
    if (plan.operations.length === 0) return { ...base, status: "unchanged", dataWarnings: [] };
    throw iterationError(
      `Iteration ${target} cannot be generated again: it exists and the module has changed since. Current state is iteration ${latestIteration}`,
      `describe the change as iteration ${latestIteration + 1}: set \`iteration: ${latestIteration + 1}\` in the module file, or pass --iteration ${latestIteration + 1}`,
      module.file,
    );
  }
  if (target !== latestIteration + 1) {
    throw iterationError(
      `Iteration ${target} cannot be generated. Current state is iteration ${latestIteration}`,
      `generate iteration ${latestIteration + 1} next (set it in the module file, or pass --iteration ${latestIteration + 1})`,
      module.file,
    );
  }
  if (plan.operations.length === 0)
    return { ...base, iteration: latestIteration, status: "unchanged", dataWarnings: [] };

  const destructive = base.hazards.filter((h) => h.hazards.includes("destructive"));
  if (destructive.length > 0 && !input.allowDestructive) {
    throw new DbgenError(
      destructive.map((h) => ({
        severity: "error" as const,
        code: "DESTRUCTIVE_CHANGE" as const,
        file: module.file,
        message: `Iteration ${target} ${h.reason ?? describeOperation(h.operation)}`,
        fix: "if that is intended, run again with --allow-destructive; to rename a field, give it `renamedFrom` in the BUSM",
      })),
    );
  }
  const dataWarnings = base.hazards
    .filter((h) => h.hazards.includes("data-dependent") && h.operation.kind !== "add_foreign_key")
    .map((h) => h.reason ?? describeOperation(h.operation));

  return {
    ...base,
    status: "changes",
    dataWarnings,
    ...iterationFiles({
      config,
      module: name,
      phase: module.config.phase,
      iteration: target,
      previous: latest,
      operations: plan.operations,
      schema: wish,
      nowMs: input.nowMs,
      backfillFile: module.file,
    }),
  };
}

/** What the four files of an iteration are made from. */
export interface IterationFilesInput {
  readonly config: PrototypeConfig;
  readonly module: string;
  readonly phase: number;
  readonly iteration: number;
  /** The iteration it follows (none for the first). */
  readonly previous?: GeneratedIteration;
  readonly operations: readonly Operation[];
  /** The schema after it: the iteration's state. */
  readonly schema: Schema;
  readonly nowMs: number;
  /** The file a backfill's failure names. */
  readonly backfillFile?: string;
}

/** An iteration's migration, rollback, state and types (pure): what `generate` and `rebase` write. */
export function iterationFiles(input: IterationFilesInput): {
  migration: OutputFile;
  rollback: OutputFile;
  state: OutputFile;
  types: OutputFile;
} {
  const { config, module: name, iteration: target, operations, schema: wish } = input;
  const latest = input.previous;
  const latestIteration = latest?.iteration ?? 0;
  const version = nextVersion(input.nowMs, latest?.version);
  const fileName = prototypeMigrationFileName({
    version,
    iteration: target,
    description: describeMigration(operations),
  });
  const time = new Date(input.nowMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const facts = [
    `Module: ${name}`,
    `Phase: ${input.phase}`,
    `Iteration: ${target}${latestIteration ? ` (previous: ${latestIteration})` : ""}`,
    `Generated: ${time}`,
  ];
  const up = renderPostgres(operations, {
    schema: wish.name,
    populated: true,
    ...(input.backfillFile !== undefined ? { backfillFile: input.backfillFile } : {}),
  });
  const down = renderPostgres(invertOperations(operations), { schema: wish.name });
  const migrationPath = `${migrationsDir(config, name)}/${fileName}`;
  const snapshot = createSnapshot(wish, {
    parentId: latest?.state.id ?? null,
    meta: { module: name, phase: input.phase, iteration: target, migration: fileName },
  });
  return {
    migration: {
      path: migrationPath,
      content: `${header("dbgen prototype migration", [...facts, "Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>"], operations)}\n${up.join("\n\n")}\n`,
    },
    rollback: {
      path: rollbackPath(config, name, target),
      content: `${header("dbgen prototype rollback", [`Module: ${name}`, `Iteration: ${target} → back to ${latestIteration}`, `Undoes: ${fileName}`, "`dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first"], invertOperations(operations))}\n${down.join("\n\n")}\n`,
    },
    state: { path: statePath(config, name, target), content: serializeSnapshot(snapshot) },
    types: {
      path: typesPath(config, name, target),
      content: generatedTypesFile(`dbgen for module ${name}, iteration ${target}`, wish),
    },
  };
}
