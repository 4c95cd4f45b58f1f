/**
 * The prototype union: every module's latest state united, table by table and column by column,
 * each disagreement settled by a named rule, or reported as a conflict. Pure and order-independent:
 * modules are taken in name order whatever order they come in.
 */
import { type BusmModel, columnOf } from "@dbgen/busm-reader";
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

/** The BUSM's definition of a column, when the model has the field. */
function busmColumn(model: BusmModel, table: Table, column: string): Column | undefined {
  const entity = table.entity ? model.entities[table.entity] : undefined;
  if (!entity) return undefined;
  const field = entity.fields[column];
  if (field) return columnOf(model, column, field);
  // The implied key of an entity without one.
  if (column === "id" && !Object.values(entity.fields).some((f) => f.primaryKey))
    return {
      name: "id",
      type: { name: "uuid" },
      nullable: false,
      default: { kind: "expression", sql: "gen_random_uuid()" },
    };
  return undefined;
}

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

export function unionStates(
  model: BusmModel,
  input: readonly ModuleState[],
  resolutions: readonly Resolution[] = [],
): UnionResult {
  const states = [...input].sort((a, b) => byName(a.module, b.module));
  const rules: RuleApplication[] = [];
  const conflicts: Conflict[] = [];
  const tableNames = [...new Set(states.flatMap((s) => s.schema.tables.map((t) => t.name)))].sort(byName);
  const contributions = new Map<string, Map<string, string[]>>();
  const tableModules = new Map<string, string[]>();
  const tables: Table[] = [];

  // Each module's tables by name, indexed once.
  const byModule = states.map((s) => ({ module: s.module, tables: new Map(s.schema.tables.map((t) => [t.name, t])) }));
  for (const tableName of tableNames) {
    const present = byModule.flatMap(({ module, tables: own }) => {
      const table = own.get(tableName);
      return table ? [{ module, table }] : [];
    });
    tableModules.set(
      tableName,
      present.map((p) => p.module),
    );
    const first = present[0]?.table as Table;
    const columnNames: string[] = [];
    for (const { table } of present)
      for (const c of table.columns) if (!columnNames.includes(c.name)) columnNames.push(c.name);
    const perColumn = new Map<string, string[]>();
    contributions.set(tableName, perColumn);
    const columns: Column[] = [];
    for (const name of columnNames) {
      const versions = present.flatMap(({ module, table }) => {
        const column = table.columns.find((c) => c.name === name);
        return column ? [{ module, column }] : [];
      });
      const modules = versions.map((v) => v.module);
      perColumn.set(name, modules);
      const base = versions[0]?.column as Column;
      const busm = busmColumn(model, first, name);
      const resolution = resolutions.find((r) => r.table === tableName && r.column === name);
      const distinctTypes = [...new Set(versions.map((v) => formatType(v.column.type)))];
      let type = base.type;
      if (resolution) {
        type = resolution.type;
        rules.push({
          rule: "resolution-file",
          table: tableName,
          column: name,
          modules,
          detail: `${versions.map((v) => `${v.module}: ${formatType(v.column.type)}`).join(", ")} → ${formatType(type)}${resolution.reason ? ` (${resolution.reason})` : ""}`,
        });
      } else if (distinctTypes.length > 1 && !busm) {
        conflicts.push({
          kind: "module-only-type",
          table: tableName,
          column: name,
          modules: versions.map((v) => ({ module: v.module, value: formatType(v.column.type) })),
        });
      } else if (distinctTypes.length > 1) {
        let folded: ReturnType<typeof unionType> = { type: base.type };
        const applied = new Set<string>();
        for (const v of versions.slice(1)) {
          folded = folded ? unionType(folded.type, v.column.type) : undefined;
          if (folded?.rule) applied.add(folded.rule);
        }
        if (!folded) {
          conflicts.push({
            kind: "incompatible-type",
            table: tableName,
            column: name,
            modules: versions.map((v) => ({ module: v.module, value: formatType(v.column.type) })),
          });
        } else {
          type = folded.type;
          for (const rule of [...applied].sort()) {
            rules.push({
              rule: rule as RuleApplication["rule"],
              table: tableName,
              column: name,
              modules,
              detail: `${versions.map((v) => `${v.module}: ${formatType(v.column.type)}`).join(", ")} → ${formatType(type)}`,
            });
          }
        }
      }
      let nullable = base.nullable;
      if (resolution?.nullable !== undefined) nullable = resolution.nullable;
      else if (new Set(versions.map((v) => v.column.nullable)).size > 1) {
        nullable = busm ? busm.nullable : true;
        rules.push({
          rule: busm ? "busm-nullability" : "module-only-nullable",
          table: tableName,
          column: name,
          modules,
          detail: `${versions.map((v) => `${v.module}: ${v.column.nullable ? "null" : "not null"}`).join(", ")} → ${nullable ? "null" : "not null"}`,
        });
      }
      let columnDefault = base.default;
      if (new Set(versions.map((v) => defaultText(v.column.default))).size > 1) {
        columnDefault = busm ? busm.default : undefined;
        rules.push({
          rule: busm ? "busm-default" : "module-only-default-dropped",
          table: tableName,
          column: name,
          modules,
          detail: `${versions.map((v) => `${v.module}: ${defaultText(v.column.default)}`).join(", ")} → ${defaultText(columnDefault)}`,
        });
      }
      const { default: _d, ...rest } = base;
      columns.push({ ...rest, type, nullable, ...(columnDefault !== undefined ? { default: columnDefault } : {}) });
    }
    const pks = [...new Set(present.map((p) => (p.table.primaryKey?.columns ?? []).join(",")))];
    if (pks.length > 1) {
      conflicts.push({
        kind: "primary-key",
        table: tableName,
        modules: present.map((p) => ({
          module: p.module,
          value: `(${(p.table.primaryKey?.columns ?? []).join(", ")})`,
        })),
      });
    }
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
    for (const x of [...fks, ...uniques, ...indexes].filter((y) => y.renamed)) {
      rules.push({
        rule: "same-key-other-name",
        table: tableName,
        modules: present.map((p) => p.module),
        detail: `the same key under several names; kept ${(x.item as { name: string }).name}`,
      });
    }
    tables.push({
      ...first,
      columns,
      foreignKeys: fks.map((f) => f.item).sort((a, b) => byName(a.name, b.name)),
      uniques: uniques.map((u) => u.item).sort((a, b) => byName(a.name, b.name)),
      indexes: indexes.map((i) => i.item).sort((a, b) => byName(a.name, b.name)),
    });
  }
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
    rules,
    conflicts,
  };
}
