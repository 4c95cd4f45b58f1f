/**
 * Completion from the BUSM: every field of every entity any module uses, the closure (an entity a
 * foreign key reaches is brought in, so every foreign key has its table), and the many-to-many join
 * tables between merged entities. Walked over a graphology graph of the model's tables.
 */
import type { ModelFacts } from "@dbgen/busm-reader";
import {
  type Column,
  enumTypesUsed,
  formatSqlType,
  indexShape,
  isBtree,
  type Schema,
  type Table,
} from "@dbgen/schema-core";
import { DirectedGraph } from "graphology";
import type { ColumnSources, MergedColumnInfo, RuleApplication, TableOrigin } from "./types.js";
import type { UnionResult } from "./union.js";

export interface CompletionResult {
  readonly schema: Schema;
  /** table → column → where it comes from. */
  readonly columns: ReadonlyMap<string, readonly MergedColumnInfo[]>;
  readonly origins: ReadonlyMap<string, TableOrigin>;
  /** The model's table graph: a node per table, an edge per foreign key (from → referenced). */
  readonly graph: DirectedGraph;
  /** Columns whose modules' type differs from the BUSM's and no resolution settles: production takes the BUSM's. */
  readonly overrides: readonly RuleApplication[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A node per table of the model, an edge per foreign key, with the table on the node. */
export function modelGraph(model: Schema): DirectedGraph {
  const graph = new DirectedGraph({ allowSelfLoops: true, multi: false });
  for (const t of model.tables) graph.addNode(t.name, { table: t });
  for (const t of model.tables)
    for (const fk of t.foreignKeys)
      if (fk.referencedSchema === undefined && graph.hasNode(fk.referencedTable))
        graph.mergeEdge(t.name, fk.referencedTable, { name: fk.name });
  return graph;
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.join("\u0000") === b.join("\u0000");

/** Which tables production holds: the modules', what their foreign keys reach, and join tables between them. */
function mergedOrigins(graph: DirectedGraph, full: Schema, union: UnionResult): Map<string, TableOrigin> {
  const origins = new Map<string, TableOrigin>();
  for (const t of union.schema.tables) origins.set(t.name, "modules");
  // Closure: follow foreign keys from every module table until every target is in.
  const queue = union.schema.tables.map((t) => t.name).filter((n) => graph.hasNode(n));
  while (queue.length > 0) {
    const name = queue.shift() as string;
    for (const target of graph.outNeighbors(name).sort(byName)) {
      if (!origins.has(target)) {
        origins.set(target, "closure");
        queue.push(target);
      }
    }
  }
  // Join tables (tables without an entity) whose every end is merged.
  for (const t of full.tables) {
    if (t.entity || origins.has(t.name)) continue;
    const ends = graph.outNeighbors(t.name);
    if (ends.length > 0 && ends.every((e) => origins.has(e))) origins.set(t.name, "join-table");
  }
  return origins;
}

interface TableInputs {
  readonly name: string;
  readonly modelTable: Table;
  readonly unionTable: Table | undefined;
  readonly contributed: ReadonlyMap<string, readonly string[]> | undefined;
  /** `table.column`s a resolution settled. */
  readonly resolved: ReadonlySet<string>;
}

/**
 * The model's columns, where a module overrode the BUSM's type the BUSM's (said in `overrides`) unless a
 * resolution chose the type; then the columns only modules have.
 */
function mergedColumns(t: TableInputs, overrides: RuleApplication[]): Column[] {
  const merged: Column[] = t.modelTable.columns.map((c) => {
    const fromUnion = t.unionTable?.columns.find((u) => u.name === c.name);
    if (!fromUnion) return c;
    if (formatSqlType(fromUnion.type) === formatSqlType(c.type)) return c;
    if (!t.resolved.has(`${t.name}.${c.name}`)) {
      overrides.push({
        rule: "busm-type",
        table: t.name,
        column: c.name,
        modules: [...(t.contributed?.get(c.name) ?? [])],
        detail: `the prototype databases hold ${formatSqlType(fromUnion.type)}; production takes the BUSM's ${formatSqlType(c.type)} (a resolution can keep ${formatSqlType(fromUnion.type)})`,
      });
      return c;
    }
    // A resolved type keeps the modules' default (the model's default may not fit it).
    const { default: _modelDefault, ...rest } = c;
    return {
      ...rest,
      type: fromUnion.type,
      ...(fromUnion.default !== undefined ? { default: fromUnion.default } : {}),
    };
  });
  const moduleOnly = (t.unionTable?.columns ?? []).filter((u) => !t.modelTable.columns.some((c) => c.name === u.name));
  return [...merged, ...moduleOnly];
}

/** The model's keys and indexes, then the modules' that the model has no equal of. */
function mergedKeys(
  modelTable: Table,
  unionTable: Table | undefined,
): Pick<Table, "foreignKeys" | "uniques" | "indexes"> {
  const extraFks = (unionTable?.foreignKeys ?? []).filter(
    (f) =>
      !modelTable.foreignKeys.some(
        (m) =>
          sameColumns(m.columns, f.columns) &&
          m.referencedTable === f.referencedTable &&
          m.referencedSchema === f.referencedSchema,
      ),
  );
  const extraUniques = (unionTable?.uniques ?? []).filter(
    (u) => !modelTable.uniques.some((m) => sameColumns(m.columns, u.columns)),
  );
  // A module's index is kept unless the model has the same one or, for a btree, one starting with its columns.
  const leading = [
    modelTable.primaryKey?.columns ?? [],
    ...modelTable.uniques.map((u) => u.columns),
    ...modelTable.indexes.filter(isBtree).map((i) => i.columns),
  ];
  const extraIndexes = (unionTable?.indexes ?? []).filter(
    (i) =>
      !modelTable.indexes.some((m) => indexShape(m) === indexShape(i)) &&
      !(isBtree(i) && leading.some((cols) => i.columns.every((c, k) => cols[k] === c))),
  );
  return {
    foreignKeys: [...modelTable.foreignKeys, ...extraFks],
    uniques: [...modelTable.uniques, ...extraUniques],
    indexes: [...modelTable.indexes, ...extraIndexes],
  };
}

/** A model table completed with what the modules add to it. */
function completedTable(t: TableInputs, overrides: RuleApplication[]): Table {
  return { ...t.modelTable, columns: mergedColumns(t, overrides), ...mergedKeys(t.modelTable, t.unionTable) };
}

export function completeFromModel(model: ModelFacts, union: UnionResult): CompletionResult {
  const full = { ...model.schema, name: union.schema.name };
  const graph = modelGraph(full);
  const origins = mergedOrigins(graph, full, union);
  const unionByName = new Map(union.schema.tables.map((t) => [t.name, t]));
  const resolved = new Set(
    union.rules.filter((r) => r.rule === "resolution-file").map((r) => `${r.table}.${r.column}`),
  );
  const overrides: RuleApplication[] = [];
  const columns = new Map<string, MergedColumnInfo[]>();
  const tables: Table[] = [];
  for (const name of [...origins.keys()].sort(byName)) {
    const modelTable = graph.hasNode(name) ? (graph.getNodeAttribute(name, "table") as Table) : undefined;
    const unionTable = unionByName.get(name);
    const contributed = union.contributions.get(name);
    const sourcesOf = (column: string): ColumnSources => contributed?.get(column) ?? "completion";
    // An entity the BUSM lacks (MISSING_ENTITY in its module): the union's table as it is.
    const table = modelTable
      ? completedTable({ name, modelTable, unionTable, contributed, resolved }, overrides)
      : (unionTable as Table);
    tables.push(table);
    columns.set(
      name,
      table.columns.map((column) => ({ column, sources: sourcesOf(column.name) })),
    );
  }
  const usedEnums = new Set(tables.flatMap((t) => t.columns.flatMap((c) => (c.enum?.name ? [c.enum.name] : []))));
  return {
    schema: {
      name: union.schema.name,
      tables,
      enums: full.enums.filter((e) => usedEnums.has(e.name)),
      ...enumTypesUsed(full, tables),
    },
    columns,
    origins,
    graph,
    overrides,
  };
}
