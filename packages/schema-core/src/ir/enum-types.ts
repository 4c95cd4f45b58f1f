/** Which of a schema's enum types its tables use. */
import type { Schema, Table } from "./types.js";

/**
 * The enum types (first definition of each name wins) that a column of `tables` holds, sorted by
 * name, as a spread: `{ enumTypes }` when there are any, else nothing (so a schema without stays so).
 */
export function enumTypesUsed(source: Pick<Schema, "enumTypes">, tables: readonly Table[]): Pick<Schema, "enumTypes"> {
  const used = new Set(tables.flatMap((t) => t.columns.flatMap((c) => (c.type.enumType ? [c.type.enumType] : []))));
  const byName = new Map<string, NonNullable<Schema["enumTypes"]>[number]>();
  for (const e of source.enumTypes ?? []) if (used.has(e.name) && !byName.has(e.name)) byName.set(e.name, e);
  const enumTypes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return enumTypes.length ? { enumTypes } : {};
}
