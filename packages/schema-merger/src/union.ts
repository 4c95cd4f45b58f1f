/**
 * The prototype union: every module's latest state united, table by table and column by column,
 * each disagreement settled by a named rule, or reported as a conflict. Pure and order-independent:
 * modules are taken in name order whatever order they come in.
 */
import { type ModelFacts, modelColumn } from "@dbgen/busm-reader";
import {
  type Column,
  type ColumnDefault,
  enumTypesUsed,
  type ForeignKey,
  type Index,
  indexShape,
  type Schema,
  type Table,
  type UniqueConstraint,
} from "@dbgen/schema-core";
import { formatType, unionType } from "./type-rules.js";
import type { Conflict, ModuleState, Resolution, RuleApplication } from "./types.js";

export interface UnionResult {
  readonly schema: Schema;
  /** table → column → the modules that have it, sorted. */
  readonly contributions: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** table → the modules that have it. */
  readonly tableModules: ReadonlyMap<string, readonly string[]>;
  readonly rules: readonly RuleApplication[];
  readonly conflicts: readonly Conflict[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const defaultText = (d: ColumnDefault | undefined): string =>
  d === undefined ? "none" : d.kind === "literal" ? JSON.stringify(d.value) : d.sql;

function unionKeyed<T>(
  items: readonly { module: string; item: T }[],
  key: (item: T) => string,
  name: (item: T) => string,
): { item: T; renamed: boolean }[] {
  const groups = new Map<string, T[]>();
  for (const { item } of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => byName(name(a), name(b)));
    return { item: sorted[0] as T, renamed: new Set(group.map(name)).size > 1 };
  });
}

/** One module's version of a column. */
interface Version {
  readonly module: string;
  readonly column: Column;
}

/** What a part of the union found: the rules it applied and the conflicts it could not settle. */
interface Found {
  readonly rules: RuleApplication[];
  readonly conflicts: Conflict[];
}

interface ColumnContext {
  readonly table: string;
  readonly column: string;
  readonly versions: readonly Version[];
  readonly modules: readonly string[];
  /** The BUSM's definition of the column, when the model has the field. */
  readonly busm?: Column;
  readonly resolution?: Resolution;
}

const listed = (versions: readonly Version[], show: (c: Column) => string) =>
  versions.map((v) => `${v.module}: ${show(v.column)}`).join(", ");

/** The column's type: the resolution's, the one the modules share, or their widening (else a conflict). */
function unionColumnType(c: ColumnContext, found: Found): Column["type"] {
  const base = (c.versions[0] as Version).column;
  const at = { table: c.table, column: c.column };
  const values = () => c.versions.map((v) => ({ module: v.module, value: formatType(v.column.type) }));
  if (c.resolution) {
    const type = c.resolution.type;
    const reason = c.resolution.reason ? ` (${c.resolution.reason})` : "";
    found.rules.push({
      rule: "resolution-file",
      ...at,
      modules: [...c.modules],
      detail: `${listed(c.versions, (x) => formatType(x.type))} → ${formatType(type)}${reason}`,
    });
    return type;
  }
  if (new Set(c.versions.map((v) => formatType(v.column.type))).size <= 1) return base.type;
  if (!c.busm) {
    found.conflicts.push({ kind: "module-only-type", ...at, modules: values() });
    return base.type;
  }
  let folded: ReturnType<typeof unionType> = { type: base.type };
  const applied = new Set<string>();
  for (const v of c.versions.slice(1)) {
    folded = folded ? unionType(folded.type, v.column.type) : undefined;
    if (folded?.rule) applied.add(folded.rule);
  }
  if (!folded) {
    found.conflicts.push({ kind: "incompatible-type", ...at, modules: values() });
    return base.type;
  }
  const type = folded.type;
  for (const rule of [...applied].sort())
    found.rules.push({
      rule: rule as RuleApplication["rule"],
      ...at,
      modules: [...c.modules],
      detail: `${listed(c.versions, (x) => formatType(x.type))} → ${formatType(type)}`,
    });
  return type;
}

/** NULL allowed: the resolution's say, the modules' when they agree, else the BUSM's (or nullable). */
function unionNullability(c: ColumnContext, found: Found): boolean {
  const base = (c.versions[0] as Version).column;
  if (c.resolution?.nullable !== undefined) return c.resolution.nullable;
  if (new Set(c.versions.map((v) => v.column.nullable)).size <= 1) return base.nullable;
  const nullable = c.busm ? c.busm.nullable : true;
  const show = (n: boolean) => (n ? "null" : "not null");
  found.rules.push({
    rule: c.busm ? "busm-nullability" : "module-only-nullable",
    table: c.table,
    column: c.column,
    modules: [...c.modules],
    detail: `${listed(c.versions, (x) => show(x.nullable))} → ${show(nullable)}`,
  });
  return nullable;
}

/** The default: the modules' when they agree, else the BUSM's (or none). */
function unionDefault(c: ColumnContext, found: Found): ColumnDefault | undefined {
  const base = (c.versions[0] as Version).column;
  if (new Set(c.versions.map((v) => defaultText(v.column.default))).size <= 1) return base.default;
  const value = c.busm ? c.busm.default : undefined;
  found.rules.push({
    rule: c.busm ? "busm-default" : "module-only-default-dropped",
    table: c.table,
    column: c.column,
    modules: [...c.modules],
    detail: `${listed(c.versions, (x) => defaultText(x.default))} → ${defaultText(value)}`,
  });
  return value;
}

function unionColumn(c: ColumnContext, found: Found): Column {
  const type = unionColumnType(c, found);
  const nullable = unionNullability(c, found);
  const columnDefault = unionDefault(c, found);
  const { default: _d, ...rest } = (c.versions[0] as Version).column;
  return { ...rest, type, nullable, ...(columnDefault !== undefined ? { default: columnDefault } : {}) };
}

type Present = readonly { readonly module: string; readonly table: Table }[];

/** The table's foreign keys, uniques and indexes united by shape (one name kept for each). */
function unionKeys(tableName: string, present: Present, found: Found) {
  const all = <T>(pick: (t: Table) => readonly T[]) =>
    present.flatMap(({ module, table }) => pick(table).map((item) => ({ module, item })));
  const fks = unionKeyed(
    all((t) => t.foreignKeys),
    (f: ForeignKey) =>
      `${f.columns.join()}>${f.referencedSchema ?? ""}.${f.referencedTable}(${f.referencedColumns.join()})`,
    (f) => f.name,
  );
  const uniques = unionKeyed(
    all((t) => t.uniques),
    (u: UniqueConstraint) => u.columns.join(),
    (u) => u.name,
  );
  const indexes = unionKeyed(
    all((t) => t.indexes),
    (i: Index) => indexShape(i),
    (i) => i.name,
  );
  for (const x of [...fks, ...uniques, ...indexes].filter((y) => y.renamed))
    found.rules.push({
      rule: "same-key-other-name",
      table: tableName,
      modules: present.map((p) => p.module),
      detail: `the same key under several names; kept ${(x.item as { name: string }).name}`,
    });
  const sorted = <T extends { name: string }>(items: readonly { item: T }[]) =>
    items.map((x) => x.item).sort((a, b) => byName(a.name, b.name));
  return { foreignKeys: sorted(fks), uniques: sorted(uniques), indexes: sorted(indexes) };
}

/** One table of the union: its columns one by one, its key (the modules must agree), its keys united. */
function unionTable(
  model: ModelFacts,
  tableName: string,
  present: Present,
  resolutions: readonly Resolution[],
  found: Found,
): { table: Table; perColumn: Map<string, string[]> } {
  const first = (present[0] as Present[number]).table;
  const columnNames: string[] = [];
  for (const { table } of present)
    for (const c of table.columns) if (!columnNames.includes(c.name)) columnNames.push(c.name);
  const perColumn = new Map<string, string[]>();
  const columns = columnNames.map((name) => {
    const versions = present.flatMap(({ module, table }) => {
      const column = table.columns.find((c) => c.name === name);
      return column ? [{ module, column }] : [];
    });
    const modules = versions.map((v) => v.module);
    perColumn.set(name, modules);
    const busm = modelColumn(model, first.entity, name);
    const resolution = resolutions.find((r) => r.table === tableName && r.column === name);
    return unionColumn(
      {
        table: tableName,
        column: name,
        versions,
        modules,
        ...(busm ? { busm } : {}),
        ...(resolution ? { resolution } : {}),
      },
      found,
    );
  });
  const pks = [...new Set(present.map((p) => (p.table.primaryKey?.columns ?? []).join(",")))];
  if (pks.length > 1)
    found.conflicts.push({
      kind: "primary-key",
      table: tableName,
      modules: present.map((p) => ({ module: p.module, value: `(${(p.table.primaryKey?.columns ?? []).join(", ")})` })),
    });
  return { table: { ...first, columns, ...unionKeys(tableName, present, found) }, perColumn };
}

export function unionStates(
  model: ModelFacts,
  input: readonly ModuleState[],
  resolutions: readonly Resolution[] = [],
): UnionResult {
  const states = [...input].sort((a, b) => byName(a.module, b.module));
  const found: Found = { rules: [], conflicts: [] };
  const tableNames = [...new Set(states.flatMap((s) => s.schema.tables.map((t) => t.name)))].sort(byName);
  const contributions = new Map<string, Map<string, string[]>>();
  const tableModules = new Map<string, string[]>();
  // Each module's tables by name, indexed once.
  const byModule = states.map((s) => ({ module: s.module, tables: new Map(s.schema.tables.map((t) => [t.name, t])) }));
  const tables = tableNames.map((tableName) => {
    const present = byModule.flatMap(({ module, tables: own }) => {
      const table = own.get(tableName);
      return table ? [{ module, table }] : [];
    });
    tableModules.set(
      tableName,
      present.map((p) => p.module),
    );
    const { table, perColumn } = unionTable(model, tableName, present, resolutions, found);
    contributions.set(tableName, perColumn);
    return table;
  });
  const enumNames = [...new Set(states.flatMap((s) => s.schema.enums.map((e) => e.name)))].sort(byName);
  const enums = enumNames.map(
    (n) => states.flatMap((s) => s.schema.enums).find((e) => e.name === n) as Schema["enums"][number],
  );
  return {
    schema: {
      name: states[0]?.schema.name ?? "public",
      tables,
      enums,
      ...enumTypesUsed({ enumTypes: states.flatMap((s) => s.schema.enumTypes ?? []) }, tables),
    },
    contributions,
    tableModules,
    rules: found.rules,
    conflicts: found.conflicts,
  };
}
