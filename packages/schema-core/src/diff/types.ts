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

/**
 * How a production column's type change runs on a table holding rows: `in-place` changes only the
 * catalog (a longer varchar, text, more numeric precision at the same scale); `rewrite` is a cast
 * PostgreSQL makes implicitly but by rewriting the table (integer → bigint, to text, to a later
 * time type); `conversion` has no implicit cast (a narrowing, text → a number): it needs the model's `using`.
 */
export type TypeChangeKind = "in-place" | "rewrite" | "conversion";

const IMPLICIT: Readonly<Record<string, readonly string[]>> = {
  // The IR's `real` is double precision.
  smallint: ["integer", "bigint", "numeric", "real"],
  integer: ["bigint", "numeric", "real"],
  bigint: ["numeric", "real"],
  numeric: ["real"],
  date: ["timestamp", "timestamptz"],
  timestamp: ["timestamptz"],
  varchar: ["text", "citext"],
  text: ["citext"],
  citext: ["text"],
};

export function typeChangeKind(from: SqlType, to: SqlType): TypeChangeKind {
  if (sameType(from, to)) return "in-place";
  const array = from.array === true;
  if (array !== (to.array === true)) return "conversion";
  if (from.name === to.name && (from.name === "varchar" || from.name === "numeric")) {
    if (!isWidening(from, to)) return "conversion";
    const sameScale = (to.scale ?? 0) === (from.scale ?? 0) || to.precision === undefined;
    return from.name === "varchar" || sameScale ? "in-place" : "rewrite";
  }
  if (from.name === "varchar" && to.name === "text") return "in-place";
  if (isWidening(from, to) || IMPLICIT[from.name]?.includes(to.name)) return "rewrite";
  // Every value has a text form, read back the same: text takes any type (not an array's elements).
  if (!array && (to.name === "text" || (to.name === "varchar" && to.length === undefined))) return "rewrite";
  return "conversion";
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
