/**
 * Planning production (pure): the hardened schema, its fresh install, and the migrations that take a
 * database from the merged prototype union — or from the previous production state — to it, safe on
 * tables that hold rows.
 */
import { createHash } from "node:crypto";
import {
  DEFAULT_PATHS,
  DEFAULT_PRODUCTION_CONFIG,
  isProductionStep,
  type LayoutPaths,
  migrationVersion,
  nextVersionTime,
  type OutputFile,
  type ProductionConfig,
  parseVersion,
  productionBaseState,
} from "@dbgen/project";
import {
  canonicalize,
  createSnapshot,
  diffSchemas,
  emptySchema,
  withBackfills as fillRequiredColumns,
  type Grant,
  generatedTypesFile,
  type Operation,
  quoteIdent,
  renderPostgres,
  type Schema,
  type Snapshot,
  serializeSnapshot,
} from "@dbgen/schema-core";
import type { BackfillRule } from "./backfill.js";
import { declarativeSchemaFiles, type SchemaFile } from "./declarative.js";
import {
  backfillSql,
  changesBetween,
  contractSchema,
  contractSwap,
  expandSchema,
  type PendingChange,
  pendingChanges,
  requiredFills,
} from "./expand.js";
import { harden } from "./passes.js";
import { SUPABASE_ROLES } from "./supabase.js";
import { MigrationWriter, migrationFile, type ProductionMigration } from "./writer.js";

export type ProductionFile = OutputFile;
export type ProductionPaths = Pick<
  LayoutPaths,
  | "production"
  | "productionMigrations"
  | "productionState"
  | "productionTypes"
  | "supabaseMigrations"
  | "supabaseSchemas"
  | "backfill"
>;

export interface ProductionInput {
  /** The merged schema, completed from the BUSM. */
  readonly merged: Schema;
  /** Every module's latest state united, before completion: what a prototype database holds. */
  readonly union: Schema;
  readonly backfills?: readonly BackfillRule[];
  /** The production state written last time, if any. */
  readonly previous?: Snapshot;
  /** The state the latest production change started from (`base-schema.json`), if one was written. */
  readonly base?: Snapshot;
  /** The production migrations already written (file names), newest last. */
  readonly existingMigrations?: readonly string[];
  readonly nowMs: number;
  /** Where the files go (default: the contract's places). */
  readonly paths?: ProductionPaths;
  /**
   * The production settings (default: the config's defaults): each migration's `lock_timeout` and
   * `statement_timeout`, and what the first harden writes (`firstInstall`).
   */
  readonly timeouts?: ProductionConfig;
  /**
   * `dbgen harden --complete`: the contract step — the old columns of the renames the previous
   * hardens expanded are dropped, with their sync triggers.
   */
  readonly complete?: boolean;
}

export interface ProductionPlan {
  readonly schema: Schema;
  /** Renames and type changes expanded and waiting for `dbgen harden --complete` after this plan. */
  readonly pending: readonly PendingChange[];
  /** The changes this plan's contract completes. */
  readonly completed: readonly PendingChange[];
  /** True when the production schema equals the previous production state: no new migration. */
  readonly unchanged: boolean;
  /**
   * True when `migrations` re-plan the latest harden's files under their names (the backfills changed
   * and nothing was planned after them): the first harden's, or the latest production change's.
   */
  readonly replanned: boolean;
  /**
   * Columns the new migrations make required on tables that may hold rows with nothing to fill them
   * (no default, no backfill): the migration stops if a row holds NULL there.
   */
  readonly needsBackfill: readonly { readonly table: string; readonly column: string; readonly migration: string }[];
  readonly freshInstall: string;
  readonly migrations: readonly ProductionMigration[];
  /** The declarative schema files (`supabase/schemas/`), in the order they apply; also in `files`. */
  readonly schemaFiles: readonly SchemaFile[];
  readonly files: readonly ProductionFile[];
}

/**
 * Makes a plan safe on populated tables (schema-core's `withBackfills`), filling from the project's
 * backfill file where it names the column.
 */
export function withBackfills(ops: readonly Operation[], target: Schema, rules: readonly BackfillRule[]): Operation[] {
  return fillRequiredColumns(ops, target, (table, column) => {
    const rule = rules.find((r) => r.table === table && r.column === column);
    return rule
      ? {
          ...(rule.value !== undefined ? { value: rule.value } : {}),
          ...(rule.before !== undefined ? { before: rule.before } : {}),
        }
      : undefined;
  });
}

/**
 * The union as the first production migration creates it: row-level security on and no privileges for
 * `anon` or `authenticated` (only `service_role`), so no table is open to the API between this
 * migration and the harden one, or after a harden that fails. The harden migration still diffs from
 * the open union, so it also secures a prototype database built by the modules' own migrations.
 */
function closedToClients(union: Schema): Schema {
  const service: Grant = { role: "service_role", privileges: ["select", "insert", "update", "delete"] };
  return {
    ...union,
    managedRoles: SUPABASE_ROLES,
    tables: union.tables.map((t) => (t.schema ? t : { ...t, rowLevelSecurity: true, grants: [service] })),
  };
}

function backfillHash(rules: readonly BackfillRule[]): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalize(rules)))
    .digest("hex")
    .slice(0, 16);
}

/**
 * The first harden's two migrations (`…_prototype_union`, `…_harden`), when the backfills changed
 * since they were planned and nothing was planned after them: re-planned under the same names, so a
 * backfill added because the harden migration failed on a database's rows reaches that migration.
 */
function firstHardenToReplan(input: ProductionInput, backfill: string): string | undefined {
  const previous = input.previous;
  const known = previous?.meta.backfill;
  const [union, ...hardened] = input.existingMigrations ?? [];
  if (!previous || known === undefined || known === backfill || previous.parentId !== null) return undefined;
  if (!union || !isProductionStep(union, "prototype_union") || hardened.length === 0) return undefined;
  if (!hardened.every((name) => isProductionStep(name, "harden"))) return undefined;
  return migrationVersion(union);
}

/**
 * The latest production change (`…_production_change*` files from `meta.changeVersion` on, nothing
 * after them), when the backfills changed since it was planned and its starting state is known: its
 * first version and that state, to re-plan it under the same names.
 */
function latestChangeToReplan(
  input: ProductionInput,
  backfill: string,
): { version: string; from: Snapshot } | undefined {
  const { previous, base } = input;
  const version = previous?.meta.changeVersion;
  if (!previous || !base || typeof version !== "string" || previous.meta.backfill === backfill) return undefined;
  if (base.id !== previous.parentId) return undefined;
  const names = (input.existingMigrations ?? []).filter((n) => (migrationVersion(n) ?? "") >= version);
  if (names.length === 0 || !names.every((n) => isProductionStep(n, "production_change"))) return undefined;
  return { version, from: base };
}

/** The NOT NULL guards of `migrations` that nothing fills: a default or a backfill is missing. */
function unfilled(migrations: readonly ProductionMigration[]): ProductionPlan["needsBackfill"] {
  return migrations.flatMap((m) =>
    m.operations.flatMap((op) =>
      op.kind === "alter_column_nullable" && op.viaCheck?.step === "guard" && op.backfill?.value === undefined
        ? [{ table: op.table, column: op.column, migration: m.name }]
        : [],
    ),
  );
}

/**
 * The contract's column drops are the point of the step (the app stopped using those names at the
 * expand), and so is a shadow taking its column's name: each carries squawk's ignore comment for
 * ban-drop-column or renaming-column, with the reason beside it.
 */
function contractNotes(migrations: ProductionMigration[], schemaName: string, completed: readonly PendingChange[]) {
  const table = (r: PendingChange) => `ALTER TABLE ${quoteIdent(schemaName)}.${quoteIdent(r.table)}`;
  const notes = completed.flatMap((r) => [
    {
      statement: `${table(r)} DROP COLUMN ${quoteIdent(r.from)};`,
      note: r.shadow
        ? "-- The contract of an expanded type change: the column of the new type takes over from the old one.\n-- squawk-ignore ban-drop-column"
        : "-- The contract of an expanded rename: the app uses the new column since the expand.\n-- squawk-ignore ban-drop-column",
    },
    ...(r.shadow
      ? [
          {
            statement: `${table(r)} RENAME COLUMN ${quoteIdent(r.shadow)} TO ${quoteIdent(r.to)};`,
            note: "-- The app never used the shadow's name: the rename is only dbgen's.\n-- squawk-ignore renaming-column",
          },
        ]
      : []),
  ]);
  for (const [i, m] of migrations.entries()) {
    let up = m.up;
    for (const { statement, note } of notes) up = up.replace(`\n${statement}`, `\n${note}\n${statement}`);
    migrations[i] = { ...m, up };
  }
}

/**
 * The schema production moves to: the model's, with the renames and type changes on tables that may
 * hold rows expanded (both columns, a sync trigger) until `complete` contracts them.
 */
interface Expansion {
  /** The model's schema, hardened. */
  readonly hardened: Schema;
  /** What production holds after this plan (the state's schema). */
  readonly schema: Schema;
  /** What the plan's change migrates to. */
  readonly target: Schema;
  readonly pending: readonly PendingChange[];
  /** The changes this plan expands. */
  readonly added: readonly PendingChange[];
  readonly completed: readonly PendingChange[];
  /** The contract's first operations (shadows take their names) and the schema they leave. */
  readonly swap: readonly Operation[];
  readonly from?: Schema;
}

function expansionOf(hardened: Schema, input: ProductionInput): Expansion {
  const previous = input.previous?.schema;
  const before = pendingChanges(input.previous?.meta);
  const none: Expansion = {
    hardened,
    schema: hardened,
    target: hardened,
    pending: [],
    added: [],
    completed: [],
    swap: [],
  };
  if (!previous) return none;
  // The contract diffs to the model's schema with the renames already done (the new columns exist),
  // from the expanded schema once each shadow took its column's name (the swap, run first); the state
  // keeps the model's schema as it is, as after any other change.
  if (input.complete) {
    const target = contractSchema(hardened, before);
    const swap = contractSwap(previous, before);
    return { ...none, target, completed: before, swap: swap.operations, from: swap.schema };
  }
  const added = changesBetween(previous, hardened).filter(
    (r) => !before.some((p) => p.table === r.table && p.to === r.to),
  );
  const pending = [...before, ...added];
  const schema = expandSchema(hardened, previous, pending);
  return { ...none, schema, target: schema, pending, added };
}

/** The snapshot this plan writes (the backfills' hash in its meta), and whether production changed at all. */
function snapshotOf(input: ProductionInput, expansion: Expansion, backfill: string) {
  const snapshot = createSnapshot(expansion.schema, {
    parentId: input.previous?.id ?? null,
    meta: {
      kind: "production",
      backfill,
      ...(expansion.pending.length ? { expand: JSON.stringify(expansion.pending) } : {}),
    },
  });
  const unchanged = input.previous !== undefined && input.previous.id === snapshot.id;
  return { snapshot, unchanged };
}

function freshInstallFile(schema: Schema, fresh: readonly Operation[]): string {
  return migrationFile(
    "dbgen production schema: a fresh install, in dependency order",
    [
      "Needs Supabase's roles and auth functions (anon, authenticated, service_role, auth.uid(), auth.jwt())",
      "Generated by `dbgen harden`; do not edit",
    ],
    fresh,
    renderPostgres(fresh, { schema: schema.name }),
  );
}

/**
 * The expand step of renames and type changes: the new columns beside the old, nullable, with the
 * sync trigger; one batched backfill per table, outside a transaction; then the new columns made NOT
 * NULL the lock-safe way (a guard, a NOT VALID check, its validation).
 */
function writeExpand(writer: MigrationWriter, expansion: Expansion, from: Schema, rules: readonly BackfillRule[]) {
  const { hardened, schema: to, pending, added } = expansion;
  const open = expandSchema(hardened, from, pending, { required: false });
  writer.upgrade(
    "production_expand",
    "dbgen production: expand — renamed or retyped columns beside the old ones, kept equal by a trigger, safe on tables with rows",
    withBackfills(diffSchemas(from, open).operations, open, rules),
  );
  for (const table of [...new Set(added.map((p) => p.table))])
    writer.writeScript(
      `production_expand_backfill_${table}`,
      `dbgen production: expand — ${table}'s new columns filled from the old ones, in batches, outside a transaction`,
      [
        "SET statement_timeout = 0;",
        backfillSql(
          hardened,
          added.filter((p) => p.table === table),
        ),
      ],
      ["Commits every batch: no lock outlives one; a kill loses at most a batch, and a rerun goes on where it stopped"],
    );
  if (diffSchemas(open, to).operations.length > 0)
    writer.upgrade(
      "production_expand_required",
      "dbgen production: expand — the new columns become required, checked without a long lock",
      withBackfills(diffSchemas(open, to).operations, to, [...rules, ...requiredFills(hardened, added)]),
    );
}

interface Situation {
  readonly unchanged: boolean;
  /** The first harden's version, when its files are re-planned. */
  readonly replan?: string;
  /** The latest change's version and starting state, when its files are re-planned. */
  readonly replanChange?: { version: string; from: Snapshot };
}

/** The migrations production needs now: a first install, the first harden, an expand, or a change. */
function writeMigrations(
  writer: MigrationWriter,
  input: ProductionInput,
  expansion: Expansion,
  fresh: readonly Operation[],
  { unchanged, replan, replanChange }: Situation,
) {
  const rules = input.backfills ?? [];
  const upgradeOps = (from: Schema, to: Schema) => withBackfills(diffSchemas(from, to).operations, to, rules);
  const timeouts = input.timeouts ?? DEFAULT_PRODUCTION_CONFIG;
  if (!input.previous && timeouts.firstInstall === "fresh") {
    writer.write("first_install", "dbgen production: the first install, in one transaction", fresh, false, [
      "One file, one transaction: every table is created here, so none holds a row while it runs (a first install, or a push onto a new project)",
      'A database that already holds the prototype tables with rows: set "production": { "firstInstall": "from-prototype" } (the union, then the lock-safe upgrade)',
    ]);
  } else if (!input.previous || replan) {
    writer.write(
      "prototype_union",
      "dbgen production: the merged prototype union (what the prototype databases hold), closed to the API until hardened",
      diffSchemas(emptySchema(expansion.schema.name), closedToClients(input.union)).operations,
      false,
    );
    writer.upgrade(
      "harden",
      "dbgen production: from the prototype union to the hardened schema, safe on tables with rows",
      upgradeOps(input.union, expansion.schema),
    );
  } else if (!unchanged && !replanChange && expansion.added.length > 0) {
    writeExpand(writer, expansion, input.previous.schema, rules);
  } else if (!unchanged || replanChange) {
    writer.upgrade(
      "production_change",
      "dbgen production: the change since the previous production schema, safe on tables with rows",
      upgradeOps(replanChange ? replanChange.from.schema : (expansion.from ?? input.previous.schema), expansion.target),
      expansion.swap,
    );
  }
}

/** Every file the plan writes: the fresh install, the declarative schema, the state, the types, the migrations. */
function productionFiles(
  paths: ProductionPaths,
  schema: Schema,
  parts: {
    freshInstall: string;
    schemaFiles: readonly SchemaFile[];
    written: Snapshot;
    base?: Snapshot;
    migrations: readonly ProductionMigration[];
  },
): ProductionFile[] {
  return [
    { path: `${paths.production}/schema.sql`, content: parts.freshInstall },
    ...parts.schemaFiles.map((f) => ({ path: `${paths.supabaseSchemas}/${f.name}`, content: f.content })),
    { path: paths.productionState, content: serializeSnapshot(parts.written) },
    ...(parts.base ? [{ path: productionBaseState(paths), content: serializeSnapshot(parts.base) }] : []),
    {
      path: paths.productionTypes,
      content: generatedTypesFile("dbgen harden: the production schema's types", schema),
    },
    ...parts.migrations.flatMap((m) => [
      { path: `${paths.productionMigrations}/${m.name}.sql`, content: m.up },
      { path: `${paths.productionMigrations}/${m.name}.down.sql`, content: m.down },
      { path: `${paths.supabaseMigrations}/${m.name}.sql`, content: m.up },
    ]),
  ];
}

export function planProduction(input: ProductionInput): ProductionPlan {
  const expansion = expansionOf(harden(input.merged), input);
  const schema = expansion.schema;
  // The backfills shape the migrations but not the schema: their hash rides in the state's meta, so
  // a backfill added later is noticed even when the schema did not change.
  const backfill = backfillHash(input.backfills ?? []);
  const { snapshot, unchanged } = snapshotOf(input, expansion, backfill);
  const replan = unchanged ? firstHardenToReplan(input, backfill) : undefined;
  const replanChange = unchanged && !replan ? latestChangeToReplan(input, backfill) : undefined;
  const fresh = diffSchemas(emptySchema(schema.name), schema).operations;
  const paths = input.paths ?? DEFAULT_PATHS;
  // A re-plan keeps the files' names and times, so only what the backfills change differs.
  const replanFrom = replan ?? replanChange?.version;
  const stamp = replanFrom ? parseVersion(replanFrom) : input.nowMs;
  const writer = new MigrationWriter({
    schema: schema.name,
    clock: replanFrom ? stamp : nextVersionTime(input.nowMs, migrationVersion(input.existingMigrations?.at(-1) ?? "")),
    facts: [`Generated by \`dbgen harden\` at ${new Date(stamp).toISOString().replace(/\.\d{3}Z$/, "Z")}; do not edit`],
    timeouts: input.timeouts ?? DEFAULT_PRODUCTION_CONFIG,
    backfillFile: paths.backfill,
  });
  writeMigrations(writer, input, expansion, fresh, {
    unchanged,
    ...(replan ? { replan } : {}),
    ...(replanChange ? { replanChange } : {}),
  });
  const migrations = writer.migrations;
  if (expansion.completed.length > 0) contractNotes(migrations, schema.name, expansion.completed);
  // A change remembers where it started (and its first version), so a backfill added later re-plans it.
  const changeStart = migrationVersion(migrations[0]?.name ?? "");
  const base = replanChange ? replanChange.from : !unchanged && input.previous ? input.previous : undefined;
  const written =
    unchanged && input.previous
      ? { ...input.previous, meta: { ...input.previous.meta, backfill } }
      : base && changeStart
        ? { ...snapshot, meta: { ...snapshot.meta, changeVersion: changeStart } }
        : snapshot;
  const freshInstall = freshInstallFile(schema, fresh);
  const schemaFiles = declarativeSchemaFiles(schema, fresh);
  return {
    schema,
    pending: expansion.pending,
    completed: expansion.completed,
    unchanged,
    replanned: replanFrom !== undefined,
    needsBackfill: unfilled(migrations),
    freshInstall,
    migrations,
    schemaFiles,
    files: productionFiles(paths, schema, {
      freshInstall,
      schemaFiles,
      written,
      ...(base ? { base } : {}),
      migrations,
    }),
  };
}
