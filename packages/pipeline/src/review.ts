/**
 * The review of a module's next iteration, as the panel shows it (seed 001): new tables with their
 * column counts, modified tables (added, changed, dropped), new relationships, hazards, what a
 * destructive change would drop, the migration, its rollback and types in full, and the module's ER
 * diagram. Planned from the module file as it is now, like `dbgen preview`; writes nothing.
 */
import { moduleView, renderErDiagram } from "@dbgen/concept-docs";
import { generationTime, loadModuleContext, planIteration } from "@dbgen/prototype-generator";
import {
  describeOperation,
  diffSchemas,
  emptySchema,
  type Operation,
  operationTable,
  planHazards,
  renderTypescript,
  type Schema,
} from "@dbgen/schema-core";
import { createTwoFilesPatch } from "diff";
import type { RunContext } from "./context.js";
import { openProject } from "./project.js";

export interface ModuleReview {
  readonly module: string;
  readonly iteration: number;
  readonly previousIteration: number;
  readonly status: "changes" | "unchanged";
  readonly newTables: readonly { readonly name: string; readonly columns: number }[];
  readonly droppedTables: readonly string[];
  readonly modifiedTables: readonly {
    readonly name: string;
    readonly added: readonly string[];
    readonly changed: readonly string[];
    readonly dropped: readonly string[];
  }[];
  readonly newRelationships: readonly {
    readonly table: string;
    readonly columns: string;
    readonly references: string;
  }[];
  readonly hazards: readonly {
    readonly operation: string;
    readonly hazards: readonly string[];
    readonly reason?: string;
  }[];
  /** What Apply would drop: the exact list the user must confirm. */
  readonly destructive: readonly string[];
  readonly up: string;
  readonly down: string;
  /** The iteration's `Database` type against the previous one's, as a unified diff. */
  readonly types: string;
  readonly diagram: string;
  /** Per generated iteration: what rolling it back drops (the rollback's destructive steps). */
  readonly rollbackDrops: Readonly<Record<number, readonly string[]>>;
}

/** What undoing iteration n (back to n-1) drops, for each generated iteration. */
function rollbackDrops(states: readonly { iteration: number; schema: Schema }[]): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const [i, { iteration, schema }] of states.entries()) {
    const before = states[i - 1]?.schema ?? emptySchema(schema.name);
    out[iteration] = planHazards(diffSchemas(schema, before).operations)
      .filter((h) => h.hazards.includes("destructive"))
      .map((h) => describeOperation(h.operation));
  }
  return out;
}

function modified(ops: readonly Operation[]): ModuleReview["modifiedTables"] {
  const created = new Set(ops.flatMap((o) => (o.kind === "create_table" ? [o.table.name] : [])));
  const dropped = new Set(ops.flatMap((o) => (o.kind === "drop_table" ? [o.table.name] : [])));
  const byTable = new Map<string, { added: string[]; changed: string[]; dropped: string[] }>();
  for (const op of ops) {
    const table = operationTable(op);
    if (!table || created.has(table) || dropped.has(table)) continue;
    const entry = byTable.get(table) ?? { added: [], changed: [], dropped: [] };
    byTable.set(table, entry);
    if (op.kind === "add_column") entry.added.push(op.column.name);
    else if (op.kind === "drop_column") entry.dropped.push(op.column.name);
    else entry.changed.push(describeOperation(op));
  }
  return [...byTable].map(([name, e]) => ({ name, ...e })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function relationships(ops: readonly Operation[]): ModuleReview["newRelationships"] {
  return ops.flatMap((op) => {
    const fks =
      op.kind === "create_table"
        ? op.table.foreignKeys.map((fk) => [op.table.name, fk] as const)
        : op.kind === "add_foreign_key"
          ? [[op.table, op.foreignKey] as const]
          : [];
    return fks.map(([table, fk]) => ({
      table,
      columns: fk.columns.join(", "),
      references: `${fk.referencedTable} (${fk.referencedColumns.join(", ")})`,
    }));
  });
}

function typesDiff(previous: Schema | undefined, next: Schema | undefined, iteration: number): string {
  if (!next) return "";
  const before = previous ? renderTypescript(previous) : "";
  return createTwoFilesPatch(
    `iteration ${iteration - 1}`,
    `iteration ${iteration}`,
    before,
    renderTypescript(next),
    "",
    "",
    {
      context: 3,
    },
  );
}

export async function reviewModule(global: RunContext, module: string): Promise<ModuleReview> {
  const ctx = await loadModuleContext(await openProject(global), module);
  const p = planIteration({
    model: ctx.project.model,
    module: ctx.module,
    config: ctx.config,
    generated: ctx.files.iterations,
    nowMs: generationTime(),
    allowDestructive: true,
  });
  const ops = p.operations;
  return {
    module: p.module,
    iteration: p.iteration,
    previousIteration: p.previousIteration,
    status: p.status,
    newTables: ops.flatMap((o) =>
      o.kind === "create_table" ? [{ name: o.table.name, columns: o.table.columns.length }] : [],
    ),
    droppedTables: ops.flatMap((o) => (o.kind === "drop_table" ? [o.table.name] : [])),
    modifiedTables: modified(ops),
    newRelationships: relationships(ops),
    hazards: p.hazards
      .filter((h) => h.hazards.length > 0)
      .map((h) => ({
        operation: describeOperation(h.operation),
        hazards: h.hazards,
        ...(h.reason ? { reason: h.reason } : {}),
      })),
    destructive: p.hazards.filter((h) => h.hazards.includes("destructive")).map((h) => describeOperation(h.operation)),
    up: p.migration?.content ?? "",
    down: p.rollback?.content ?? "",
    types: typesDiff(
      ctx.files.iterations.at(-1)?.state.schema,
      p.status === "changes" ? p.schema : undefined,
      p.iteration,
    ),
    diagram: renderErDiagram(moduleView(ctx.project.model, p.module, ctx.module.selection)),
    rollbackDrops: rollbackDrops(ctx.files.iterations.map((i) => ({ iteration: i.iteration, schema: i.state.schema }))),
  };
}
