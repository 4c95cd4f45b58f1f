/**
 * Planning production (pure): the hardened schema, its fresh install, and the migrations that take a
 * database from the merged prototype union — or from the previous production state — to it, safe on
 * tables that hold rows.
 */
import { createHash } from "node:crypto";
import {
  DEFAULT_PATHS,
  type LayoutPaths,
  nextVersionTime,
  type OutputFile,
  parseVersion,
  versionOf,
} from "@dbgen/project";
import {
  type AddColumn,
  type AlterColumnNullable,
  type Backfill,
  canonicalize,
  createSnapshot,
  diffSchemas,
  emptySchema,
  type Grant,
  invertOperations,
  migrationHeader,
  type Operation,
  orderOperations,
  renderPostgres,
  renderTypescript,
  type Schema,
  type Snapshot,
  serializeSnapshot,
} from "@dbgen/schema-core";
import type { BackfillRule } from "./backfill.js";
import { harden } from "./passes.js";
import { SUPABASE_ROLES } from "./supabase.js";

/** The contract's production places (a project's config may move them: pass `paths`). */
export const PRODUCTION_DIR = DEFAULT_PATHS.production;
export const PRODUCTION_MIGRATIONS_DIR = DEFAULT_PATHS.productionMigrations;
export const PRODUCTION_STATE = DEFAULT_PATHS.productionState;
export const PRODUCTION_TYPES = DEFAULT_PATHS.productionTypes;
export const SUPABASE_MIGRATIONS_DIR = DEFAULT_PATHS.supabaseMigrations;

export type ProductionFile = OutputFile;
export type ProductionPaths = Pick<
  LayoutPaths,
  "production" | "productionMigrations" | "productionState" | "productionTypes" | "supabaseMigrations" | "backfill"
>;

export interface ProductionMigration {
  readonly name: string;
  readonly up: string;
  readonly down: string;
  readonly operations: readonly Operation[];
}

export interface ProductionInput {
  /** The merged schema, completed from the BUSM. */
  readonly merged: Schema;
  /** Every module's latest state united, before completion: what a prototype database holds. */
  readonly union: Schema;
  readonly backfills?: readonly BackfillRule[];
  /** The production state written last time, if any. */
  readonly previous?: Snapshot;
  /** The production migrations already written (file names), newest last. */
  readonly existingMigrations?: readonly string[];
  readonly nowMs: number;
  /** Where the files go (default: the contract's places). */
  readonly paths?: ProductionPaths;
}

export interface ProductionPlan {
  readonly schema: Schema;
  /** True when the production schema equals the previous production state: no new migration. */
  readonly unchanged: boolean;
  /** True when `migrations` re-plan the first harden's files under their names (the backfills changed). */
  readonly replanned: boolean;
  readonly freshInstall: string;
  readonly migrations: readonly ProductionMigration[];
  readonly files: readonly ProductionFile[];
}

/**
 * Makes a plan safe on populated tables: a required column added to an existing table is added
 * nullable, then filled (its default, or the backfill file), then made NOT NULL after a check that
 * names any row left empty.
 */
export function withBackfills(ops: readonly Operation[], target: Schema, rules: readonly BackfillRule[]): Operation[] {
  const created = new Set(ops.flatMap((o) => (o.kind === "create_table" ? [o.table.name] : [])));
  const backfillFor = (table: string, column: string): Backfill | undefined => {
    const rule = rules.find((r) => r.table === table && r.column === column);
    if (rule)
      return {
        ...(rule.value !== undefined ? { value: rule.value } : {}),
        ...(rule.before !== undefined ? { before: rule.before } : {}),
      };
    const col = target.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
    return col?.default !== undefined ? { value: "DEFAULT" } : undefined;
  };
  const out: Operation[] = [];
  for (const op of ops) {
    if (op.kind === "add_column" && !op.column.nullable && op.column.default === undefined && !created.has(op.table)) {
      const nullable: AddColumn = { ...op, column: { ...op.column, nullable: true } };
      const backfill = backfillFor(op.table, op.column.name);
      const setNotNull: AlterColumnNullable = {
        kind: "alter_column_nullable",
        table: op.table,
        column: op.column.name,
        nullable: false,
        ...(backfill ? { backfill } : {}),
        ...(op.schema ? { schema: op.schema } : {}),
      };
      out.push(nullable, setNotNull);
    } else if (op.kind === "alter_column_nullable" && !op.nullable && !created.has(op.table) && !op.backfill) {
      const backfill = backfillFor(op.table, op.column);
      out.push(backfill ? { ...op, backfill } : op);
    } else out.push(op);
  }
  // NOT NULL moved after the column exists: back into phase order.
  return orderOperations(out);
}

function migrationFile(
  title: string,
  lines: readonly string[],
  ops: readonly Operation[],
  statements: readonly string[],
): string {
  return `${migrationHeader(title, lines, ops)}\n\n${statements.join("\n\n")}\n`;
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
function firstHardenToReplan(input: ProductionInput, backfill: string): [string, string] | undefined {
  const previous = input.previous;
  const known = previous?.meta.backfill;
  const [union, hardened, ...later] = input.existingMigrations ?? [];
  if (!previous || known === undefined || known === backfill || previous.parentId !== null || later.length > 0)
    return undefined;
  if (!union?.endsWith("_prototype_union.sql") || !hardened?.endsWith("_harden.sql")) return undefined;
  return [union.slice(0, 14), hardened.slice(0, 14)];
}

export function planProduction(input: ProductionInput): ProductionPlan {
  const schema = harden(input.merged);
  // The backfills shape the migrations but not the schema: their hash rides in the state's meta, so
  // a backfill added later is noticed even when the schema did not change.
  const backfill = backfillHash(input.backfills ?? []);
  const snapshot = createSnapshot(schema, {
    parentId: input.previous?.id ?? null,
    meta: { kind: "production", backfill },
  });
  const unchanged = input.previous !== undefined && input.previous.id === snapshot.id;
  const replan = unchanged ? firstHardenToReplan(input, backfill) : undefined;
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
  const paths = input.paths ?? DEFAULT_PATHS;
  const migrations: ProductionMigration[] = [];
  const existing = input.existingMigrations ?? [];
  // A re-plan keeps the files' names and times, so only what the backfills change differs.
  const stamp = replan ? parseVersion(replan[0]) : input.nowMs;
  let clock = replan ? stamp : nextVersionTime(input.nowMs, existing.at(-1)?.slice(0, 14));
  const add = (description: string, title: string, from: Schema, to: Schema, populated: boolean) => {
    const planned = diffSchemas(from, to).operations;
    const ops = populated ? withBackfills(planned, to, input.backfills ?? []) : planned;
    const name = `${versionOf(clock)}_${description}`;
    clock += 1000;
    const facts = [
      `Generated by \`dbgen harden\` at ${new Date(stamp).toISOString().replace(/\.\d{3}Z$/, "Z")}; do not edit`,
    ];
    migrations.push({
      name,
      operations: ops,
      up: migrationFile(
        title,
        facts,
        ops,
        renderPostgres(ops, { schema: to.name, populated, backfillFile: paths.backfill }),
      ),
      down: migrationFile(
        `${title} — down`,
        facts,
        invertOperations(ops),
        renderPostgres(invertOperations(ops), { schema: to.name }),
      ),
    });
  };
  if (!input.previous || replan) {
    add(
      "prototype_union",
      "dbgen production: the merged prototype union (what the prototype databases hold), closed to the API until hardened",
      emptySchema(schema.name),
      closedToClients(input.union),
      false,
    );
    add(
      "harden",
      "dbgen production: from the prototype union to the hardened schema, safe on tables with rows",
      input.union,
      schema,
      true,
    );
  } else if (!unchanged) {
    add(
      "production_change",
      "dbgen production: the change since the previous production schema, safe on tables with rows",
      input.previous.schema,
      schema,
      true,
    );
  }
  const files: ProductionFile[] = [
    { path: `${paths.production}/schema.sql`, content: freshInstall },
    {
      path: paths.productionState,
      content: serializeSnapshot(
        unchanged && input.previous ? { ...input.previous, meta: { ...input.previous.meta, backfill } } : snapshot,
      ),
    },
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
  return { schema, unchanged, replanned: replan !== undefined, freshInstall, migrations, files };
}
