import { operatorClassExtensions } from "../dialect/postgres/index-methods.js";
import type { Schema, SqlType } from "../ir/types.js";

/** The extension each type needs (pgvector's `vector`, contrib's `citext`). */
const TYPE_EXTENSIONS: Partial<Record<SqlType["name"], string>> = { vector: "vector", citext: "citext" };

/** The extensions a schema's columns need, sorted: what the diff creates before the tables. */
export function requiredExtensions(schema: Schema): string[] {
  const names = new Set<string>();
  for (const t of schema.tables)
    for (const c of t.columns) {
      const extension = TYPE_EXTENSIONS[c.type.name];
      if (extension) names.add(extension);
    }
  for (const t of schema.tables)
    for (const i of t.indexes) for (const e of operatorClassExtensions(i.ops ?? [])) names.add(e);
  return [...names].sort();
}

/** Widening a type keeps every value: varchar(n) → varchar(m ≥ n) or text, integer → bigint, numeric growing. */
export function isWidening(from: SqlType, to: SqlType): boolean {
  // An array widens as its elements do; a value never widens into an array or out of one.
  if ((from.array === true) !== (to.array === true)) return false;
  if (from.name === "varchar" && to.name === "varchar") return (to.length ?? 0) >= (from.length ?? 0);
  if (from.name === "varchar" && to.name === "text") return true;
  if (from.name === "integer" && to.name === "bigint") return true;
  if (from.name === "smallint" && (to.name === "integer" || to.name === "bigint")) return true;
  if ((from.name === "integer" || from.name === "bigint") && to.name === "numeric") {
    return to.precision === undefined || to.precision - (to.scale ?? 0) >= (from.name === "integer" ? 10 : 19);
  }
  if (from.name === "numeric" && to.name === "numeric") {
    if (to.precision === undefined) return true;
    if (from.precision === undefined) return false;
    const fromScale = from.scale ?? 0;
    const toScale = to.scale ?? 0;
    return toScale >= fromScale && to.precision - toScale >= from.precision - fromScale;
  }
  return false;
}

export function sameType(a: SqlType, b: SqlType): boolean {
  return (
    a.name === b.name &&
    a.length === b.length &&
    a.precision === b.precision &&
    a.scale === b.scale &&
    a.dimensions === b.dimensions &&
    a.enumType === b.enumType &&
    (a.array === true) === (b.array === true)
  );
}
