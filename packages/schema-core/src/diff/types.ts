import type { SqlType } from "../ir/types.js";

/** Widening a type keeps every value: varchar(n) → varchar(m ≥ n) or text, integer → bigint, numeric growing. */
export function isWidening(from: SqlType, to: SqlType): boolean {
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
  return a.name === b.name && a.length === b.length && a.precision === b.precision && a.scale === b.scale;
}
