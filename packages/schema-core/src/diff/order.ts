/**
 * Creation order for tables: a topological sort over foreign keys (graphology), with cycles
 * (strongly connected components) broken by adding their foreign keys after the tables.
 */
import { DirectedGraph } from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import { topologicalGenerations } from "graphology-dag";
import type { ForeignKey, Table } from "../ir/types.js";

export interface CreationOrder {
  /** Table names, each after every table it references outside its own cycle. */
  readonly order: readonly string[];
  /** Foreign keys that must be added after the tables: `${table}\u0000${fk.name}`. */
  readonly deferred: ReadonlySet<string>;
  /** Every cycle of two or more tables, each sorted, sorted by first name. */
  readonly cycles: readonly (readonly string[])[];
}

export function foreignKeyId(table: string, fk: ForeignKey): string {
  return `${table}\u0000${fk.name}`;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders `tables` so that a referenced table comes first. References to tables outside the set
 * (already existing, or in another database schema such as `auth.users`) and self-references (allowed inline by PostgreSQL) impose no order.
 */
export function creationOrder(tables: readonly Table[]): CreationOrder {
  const graph = new DirectedGraph();
  const names = tables.map((t) => t.name).sort(byName);
  for (const name of names) graph.addNode(name);
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      if (fk.referencedSchema === undefined && fk.referencedTable !== table.name && graph.hasNode(fk.referencedTable)) {
        graph.mergeEdge(fk.referencedTable, table.name);
      }
    }
  }
  const components = stronglyConnectedComponents(graph).map((c) => [...c].sort(byName));
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const m of members) componentOf.set(m, index);
  });
  const condensed = new DirectedGraph();
  components.forEach((_, index) => {
    condensed.addNode(String(index));
  });
  graph.forEachEdge((_edge, _attributes, source, target) => {
    const from = componentOf.get(source);
    const to = componentOf.get(target);
    if (from !== undefined && to !== undefined && from !== to) condensed.mergeEdge(String(from), String(to));
  });
  const order: string[] = [];
  for (const generation of topologicalGenerations(condensed)) {
    const members = generation.map((id) => components[Number(id)] ?? []);
    members.sort((a, b) => byName(a[0] ?? "", b[0] ?? ""));
    for (const component of members) order.push(...component);
  }
  const deferred = new Set<string>();
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      if (fk.referencedTable === table.name || fk.referencedSchema !== undefined) continue;
      const a = componentOf.get(table.name);
      if (a !== undefined && a === componentOf.get(fk.referencedTable)) deferred.add(foreignKeyId(table.name, fk));
    }
  }
  const cycles = components.filter((c) => c.length > 1).sort((a, b) => byName(a[0] ?? "", b[0] ?? ""));
  return { order, deferred, cycles };
}
