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

export function completeFromModel(model: ModelFacts, union: UnionResult): CompletionResult {
  const full = { ...model.schema, name: union.schema.name };
  const graph = modelGraph(full);
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
    if (!modelTable) {
      // An entity the BUSM lacks (MISSING_ENTITY in its module): the union's table as it is.
      const t = unionTable as Table;
      tables.push(t);
      columns.set(
        name,
        t.columns.map((column) => ({ column, sources: sourcesOf(column.name) })),
      );
      continue;
    }
    const merged: Column[] = modelTable.columns.map((c) => {
      const fromUnion = unionTable?.columns.find((u) => u.name === c.name);
      if (!fromUnion) return c;
      if (formatSqlType(fromUnion.type) === formatSqlType(c.type)) return c;
      // A module overrode the BUSM's type: production takes the BUSM's, and says so, unless a
      // resolution chose the type. A resolved type keeps the modules' default (the model's
      // default may not fit it).
      if (!resolved.has(`${name}.${c.name}`)) {
        overrides.push({
          rule: "busm-type",
          table: name,
          column: c.name,
          modules: [...(contributed?.get(c.name) ?? [])],
          detail: `the prototype databases hold ${formatSqlType(fromUnion.type)}; production takes the BUSM's ${formatSqlType(c.type)} (a resolution can keep ${formatSqlType(fromUnion.type)})`,
        });
        return c;
      }
      const { default: _modelDefault, ...rest } = c;
      return {
        ...rest,
        type: fromUnion.type,
        ...(fromUnion.default !== undefined ? { default: fromUnion.default } : {}),
      };
    });
    const moduleOnly = (unionTable?.columns ?? []).filter((u) => !modelTable.columns.some((c) => c.name === u.name));
    const allColumns = [...merged, ...moduleOnly];
    columns.set(
      name,
      allColumns.map((column) => ({ column, sources: sourcesOf(column.name) })),
    );
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
    tables.push({
      ...modelTable,
      columns: allColumns,
      foreignKeys: [...modelTable.foreignKeys, ...extraFks],
      uniques: [...modelTable.uniques, ...extraUniques],
      indexes: [...modelTable.indexes, ...extraIndexes],
    });
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
