/** The compatible widenings: two modules' types → the type that holds both, and the rule's name. */
import { formatSqlType, parsePostgresType, type SqlType } from "@dbgen/schema-core";
import type { RuleName } from "./types.js";

export const formatType = formatSqlType;

const same = (a: SqlType, b: SqlType): boolean => formatType(a) === formatType(b);

/** The union of two types, or undefined when no type holds both (uuid and integer, boolean and integer). */
export function unionType(a: SqlType, b: SqlType): { type: SqlType; rule?: RuleName } | undefined {
  if (same(a, b)) return { type: a };
  if (a.name === "varchar" && b.name === "varchar") {
    if (a.length === undefined || b.length === undefined) return { type: { name: "varchar" }, rule: "widen-varchar" };
    return { type: { name: "varchar", length: Math.max(a.length, b.length) }, rule: "widen-varchar" };
  }
  if ((a.name === "varchar" && b.name === "text") || (a.name === "text" && b.name === "varchar"))
    return { type: { name: "text" }, rule: "varchar-to-text" };
  if ((a.name === "integer" && b.name === "bigint") || (a.name === "bigint" && b.name === "integer"))
    return { type: { name: "bigint" }, rule: "widen-integer" };
  if (a.name === "numeric" && b.name === "numeric") {
    if (a.precision === undefined || b.precision === undefined)
      return { type: { name: "numeric" }, rule: "widen-numeric" };
    // The larger scale, and room for the larger integer part: no value of either fits worse.
    const scale = Math.max(a.scale ?? 0, b.scale ?? 0);
    const integerDigits = Math.max(a.precision - (a.scale ?? 0), b.precision - (b.scale ?? 0));
    return {
      type: { name: "numeric", precision: Math.min(1000, integerDigits + scale), scale },
      rule: "widen-numeric",
    };
  }
  return undefined;
}

/** `varchar(40)`, `numeric(12,2)`, `text`… → a type; undefined when not one dbgen models. */
export function parseType(text: string): SqlType | undefined {
  return parsePostgresType(text);
}
