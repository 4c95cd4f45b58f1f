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
  productionMigrationName,
  versionOf,
} from "@dbgen/project";
import {
  canonicalize,
  createSnapshot,
  diffSchemas,
  emptySchema,
  withBackfills as fillRequiredColumns,
  type Grant,
  invertOperations,
  migrationHeader,
  type Operation,
  quoteIdent,
  renderPostgres,
  renderTypescript,
  type Schema,
  type Snapshot,
  serializeSnapshot,
  sqlComment,
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
import { lockSafeSteps } from "./lock-safe.js";
import { harden } from "./passes.js";
import { SUPABASE_ROLES } from "./supabase.js";

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

export interface ProductionMigration {
  readonly name: string;
  readonly up: string;
  readonly down: string;
  readonly operations: readonly Operation[];
  /** Runs outside a transaction (an index built or dropped CONCURRENTLY, alone in its file). */
  readonly outsideTransaction: boolean;
}

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
 * What every production file sets first: literals read the standard way whatever the server's
 * setting (so a backslash in a description is only a backslash), and the timeouts.
 */
function settings(timeouts?: ProductionConfig): string {
  const lines = ["SET standard_conforming_strings = on;"];
  if (timeouts)
    lines.push(
      `SET lock_timeout = '${timeouts.lockTimeout}';`,
      `SET statement_timeout = '${timeouts.statementTimeout}';`,
    );
  return lines.join("\n");
}

function migrationFile(
  title: string,
  lines: readonly string[],
  ops: readonly Operation[],
  statements: readonly string[],
  timeouts?: ProductionConfig,
): string {
  const body = statements.length > 0 ? statements.join("\n\n") : sqlComment(["(nothing to do)"]);
  return `${migrationHeader(title, lines, ops)}\n\n${settings(timeouts)}\n\n${body}\n`;
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

export function planProduction(input: ProductionInput): ProductionPlan {
  const expansion = expansionOf(harden(input.merged), input);
  const schema = expansion.schema;
  // The backfills shape the migrations but not the schema: their hash rides in the state's meta, so
  // a backfill added later is noticed even when the schema did not change.
  const backfill = backfillHash(input.backfills ?? []);
  const snapshot = createSnapshot(schema, {
    parentId: input.previous?.id ?? null,
    meta: {
      kind: "production",
      backfill,
      ...(expansion.pending.length ? { expand: JSON.stringify(expansion.pending) } : {}),
    },
  });
  const unchanged = input.previous !== undefined && input.previous.id === snapshot.id;
  const replan = unchanged ? firstHardenToReplan(input, backfill) : undefined;
  const replanChange = unchanged && !replan ? latestChangeToReplan(input, backfill) : undefined;
  const fresh = diffSchemas(emptySchema(schema.name), schema).operations;
  const freshInstall = migrationFile(
    "dbgen production schema: a fresh install, in dependency order",
    [
      "Needs Supabase's roles and auth functions (anon, authenticated, service_role, auth.uid(), auth.jwt())",
      "Generated by `dbgen harden`; do not edit",
    ],
    fresh,
    renderPostgres(fresh, { schema: schema.name }),
  );
  const describeStep = (op: Operation): string =>
    op.kind === "drop_index"
      ? `drop index ${op.index.name}`
      : op.kind === "create_index"
        ? `build index ${op.index.name}`
        : op.kind === "rename_index"
          ? `the new index takes the name ${op.to}`
          : op.kind;
  const paths = input.paths ?? DEFAULT_PATHS;
  const timeouts = input.timeouts ?? DEFAULT_PRODUCTION_CONFIG;
  const migrations: ProductionMigration[] = [];
  const existing = input.existingMigrations ?? [];
  // A re-plan keeps the files' names and times, so only what the backfills change differs.
  const replanFrom = replan ?? replanChange?.version;
  const stamp = replanFrom ? parseVersion(replanFrom) : input.nowMs;
  let clock = replanFrom ? stamp : nextVersionTime(input.nowMs, migrationVersion(existing.at(-1) ?? ""));
  const facts = [
    `Generated by \`dbgen harden\` at ${new Date(stamp).toISOString().replace(/\.\d{3}Z$/, "Z")}; do not edit`,
  ];
  const write = (
    description: string,
    title: string,
    ops: readonly Operation[],
    populated: boolean,
    why: readonly string[] = [],
  ) => {
    const name = productionMigrationName(versionOf(clock), description);
    clock += 1000;
    const render = (list: readonly Operation[]) =>
      renderPostgres(list, { schema: schema.name, populated, backfillFile: paths.backfill });
    const inverse = invertOperations(ops);
    migrations.push({
      name,
      operations: ops,
      outsideTransaction: ops.some((o) => (o.kind === "create_index" || o.kind === "drop_index") && o.concurrently),
      up: migrationFile(title, [...facts, ...why], ops, render(ops), timeouts),
      down: migrationFile(`${title} — down`, [...facts, ...why], inverse, render(inverse), timeouts),
    });
  };
  /** A change to tables that may hold rows: one migration per lock-safe step (see lock-safe.ts). */
  const upgrade = (
    description: string,
    title: string,
    from: Schema,
    to: Schema,
    extraBackfills: readonly BackfillRule[] = [],
    first: readonly Operation[] = [],
  ) => {
    const steps = lockSafeSteps(
      withBackfills(diffSchemas(from, to).operations, to, [...(input.backfills ?? []), ...extraBackfills]),
    );
    write(description, title, [...first, ...steps.main], true, [
      "Split into lock-safe steps because these tables may hold rows: nothing below holds a lock that blocks reads or writes while it scans or builds",
    ]);
    for (const op of steps.concurrent) {
      if (op.kind === "rename_index") {
        write(`${description}_rename_index_${op.to}`, `${title}: ${describeStep(op)}`, [op], true);
        continue;
      }
      const index = op.kind === "create_index" || op.kind === "drop_index" ? op.index.name : "";
      const verb = op.kind === "drop_index" ? "drop_index" : "index";
      write(`${description}_${verb}_${index}`, `${title}: ${describeStep(op)}, outside a transaction`, [op], true);
    }
    if (steps.attach.length > 0)
      write(`${description}_attach`, `${title}: unique constraints take over their indexes`, steps.attach, true);
    if (steps.validate.length > 0)
      write(`${description}_validate`, `${title}: existing rows checked, NOT NULL set`, steps.validate, true);
  };
  /**
   * The expand step of renames: the new columns beside the old, nullable, with the sync trigger; one
   * batched backfill per table, outside a transaction; then the new columns made NOT NULL the
   * lock-safe way (a guard, a NOT VALID check, its validation).
   */
  const expand = (from: Schema, to: Schema, pending: readonly PendingChange[], added: readonly PendingChange[]) => {
    const open = expandSchema(expansion.hardened, from, pending, { required: false });
    upgrade(
      "production_expand",
      "dbgen production: expand — renamed or retyped columns beside the old ones, kept equal by a trigger, safe on tables with rows",
      from,
      open,
    );
    for (const table of [...new Set(added.map((p) => p.table))]) {
      const mine = added.filter((p) => p.table === table);
      const name = productionMigrationName(versionOf(clock), `production_expand_backfill_${table}`);
      clock += 1000;
      const title = `dbgen production: expand — ${table}'s new columns filled from the old ones, in batches, outside a transaction`;
      const why = [
        ...facts,
        "Commits every batch: no lock outlives one; a kill loses at most a batch, and a rerun goes on where it stopped",
      ];
      migrations.push({
        name,
        operations: [],
        outsideTransaction: true,
        up: migrationFile(
          title,
          why,
          [],
          ["SET statement_timeout = 0;", backfillSql(expansion.hardened, mine)],
          timeouts,
        ),
        down: migrationFile(`${title} — down`, why, [], [], timeouts),
      });
    }
    const fill = requiredFills(expansion.hardened, added);
    if (diffSchemas(open, to).operations.length > 0)
      upgrade(
        "production_expand_required",
        "dbgen production: expand — the new columns become required, checked without a long lock",
        open,
        to,
        fill,
      );
  };
  if (!input.previous && timeouts.firstInstall === "fresh") {
    write("first_install", "dbgen production: the first install, in one transaction", fresh, false, [
      "One file, one transaction: every table is created here, so none holds a row while it runs (a first install, or a push onto a new project)",
      'A database that already holds the prototype tables with rows: set "production": { "firstInstall": "from-prototype" } (the union, then the lock-safe upgrade)',
    ]);
  } else if (!input.previous || replan) {
    write(
      "prototype_union",
      "dbgen production: the merged prototype union (what the prototype databases hold), closed to the API until hardened",
      diffSchemas(emptySchema(schema.name), closedToClients(input.union)).operations,
      false,
    );
    upgrade(
      "harden",
      "dbgen production: from the prototype union to the hardened schema, safe on tables with rows",
      input.union,
      schema,
    );
  } else if (!unchanged && !replanChange && expansion.added.length > 0) {
    expand(input.previous.schema, schema, expansion.pending, expansion.added);
  } else if (!unchanged || replanChange) {
    upgrade(
      "production_change",
      "dbgen production: the change since the previous production schema, safe on tables with rows",
      replanChange ? replanChange.from.schema : (expansion.from ?? input.previous.schema),
      expansion.target,
      [],
      expansion.swap,
    );
  }
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
  const schemaFiles = declarativeSchemaFiles(schema, fresh);
  const files: ProductionFile[] = [
    { path: `${paths.production}/schema.sql`, content: freshInstall },
    ...schemaFiles.map((f) => ({ path: `${paths.supabaseSchemas}/${f.name}`, content: f.content })),
    { path: paths.productionState, content: serializeSnapshot(written) },
    ...(base ? [{ path: productionBaseState(paths), content: serializeSnapshot(base) }] : []),
    {
      path: paths.productionTypes,
      content: `// Generated by dbgen harden: the production schema's types. Do not edit.\n${renderTypescript(schema)}`,
    },
    ...migrations.flatMap((m) => [
      { path: `${paths.productionMigrations}/${m.name}.sql`, content: m.up },
      { path: `${paths.productionMigrations}/${m.name}.down.sql`, content: m.down },
      { path: `${paths.supabaseMigrations}/${m.name}.sql`, content: m.up },
    ]),
  ];
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
    files,
  };
}
