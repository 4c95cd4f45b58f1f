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

function physicalColumn(c: Column, mask: boolean): Column {
  const expression = c.default?.kind === "expression";
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    ...(c.default !== undefined
      ? { default: mask && expression ? { kind: "expression", sql: MASKED } : c.default }
      : {}),
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
        }))
        .sort(byName),
      ...(t.rowLevelSecurity ? { rowLevelSecurity: true } : {}),
    };
  });
  return { name: options.schemaName ?? schema.name, tables, enums: [] };
}
