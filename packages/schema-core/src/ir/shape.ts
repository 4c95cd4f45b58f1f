/**
 * What a database can tell back about a schema: the physical shape without the model's facts
 * (logical types, enum names, renames, entities), in a canonical order. Two schemas that build the
 * same database have equal shapes.
 */
import type { Column, Schema, Table } from "./types.js";

const byName = <T extends { readonly name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** What stands for an expression's text when shapes are compared without it. */
const MASKED = "<expression>";

/** A JSON value's text with object keys sorted at every depth, or undefined when it is not JSON. */
function canonicalJson(text: string): string | undefined {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;
  try {
    return JSON.stringify(sorted(JSON.parse(text)));
  } catch {
    return undefined;
  }
}

/**
 * A default as the database holds it: a json(b) literal by its value (jsonb prints `{"a": 1}` with its
 * own spacing and key order, so text would differ where the value does not).
 */
function physicalDefault(c: Column, mask: boolean): Column["default"] {
  const d = c.default;
  if (d?.kind === "expression") return mask ? { kind: "expression", sql: MASKED } : d;
  if (d?.kind === "literal" && typeof d.value === "string" && c.type.name === "jsonb")
    return { kind: "literal", value: canonicalJson(d.value) ?? d.value };
  return d;
}

function physicalColumn(c: Column, mask: boolean): Column {
  const physical = physicalDefault(c, mask);
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    ...(physical !== undefined ? { default: physical } : {}),
    ...(c.comment !== undefined ? { comment: c.comment } : {}),
  };
}

/**
 * @param columnOrder `name` compares columns as a set: PostgreSQL appends added columns, so a table
 * grown by ALTERs and one created fresh hold the same columns in different positions.
 * @param expressions `mask` leaves out the text of expressions (defaults, checks, index predicates),
 * keeping where they are: for comparing a database with the IR it was just built from, where
 * PostgreSQL's own printing of an expression (casts, parentheses) is the only possible difference.
 */
export function physicalShape(
  schema: Schema,
  options: { columnOrder?: "keep" | "name"; schemaName?: string; expressions?: "keep" | "mask" } = {},
): Schema {
  const mask = options.expressions === "mask";
  const tables = [...schema.tables].sort(byName).map((t): Table => {
    const columns = t.columns.map((c) => physicalColumn(c, mask));
    return {
      name: t.name,
      ...(t.comment !== undefined ? { comment: t.comment } : {}),
      columns: options.columnOrder === "name" ? columns.sort(byName) : columns,
      ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
      foreignKeys: [...t.foreignKeys].sort(byName),
      uniques: [...t.uniques].sort(byName),
      checks: [...t.checks].map((c) => (mask ? { ...c, expression: MASKED } : c)).sort(byName),
      indexes: [...t.indexes]
        .map((i) => ({
          name: i.name,
          columns: i.columns,
          unique: i.unique,
          ...(i.where !== undefined ? { where: mask ? MASKED : i.where } : {}),
          ...(i.method !== undefined ? { method: i.method } : {}),
          ...(i.ops !== undefined ? { ops: i.ops } : {}),
          ...(i.descending !== undefined ? { descending: i.descending } : {}),
        }))
        .sort(byName),
      ...(t.rowLevelSecurity ? { rowLevelSecurity: true } : {}),
      ...(t.publications?.length ? { publications: [...t.publications].sort() } : {}),
    };
  });
  const enumTypes = [...(schema.enumTypes ?? [])].sort(byName);
  return { name: options.schemaName ?? schema.name, tables, enums: [], ...(enumTypes.length ? { enumTypes } : {}) };
}
