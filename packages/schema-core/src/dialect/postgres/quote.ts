/**
 * The one quoting function for identifiers and the one for literals: every name and every value
 * that reaches PostgreSQL SQL passes through these.
 */
import { needsQuoting } from "../../ir/names.js";

/** Quotes an identifier exactly as PostgreSQL's `quote_ident()` does. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) throw new RangeError("identifier contains a NUL character");
  return needsQuoting(name) ? `"${name.replaceAll('"', '""')}"` : name;
}

/** `schema.name`, each part quoted. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * Quotes a string literal, as `quote_literal()` does: a value with a backslash becomes an escape
 * string (`E'…'`, backslashes doubled), which reads the same whatever the server's
 * standard_conforming_strings — a plain literal would let `\'` end it where that setting is off.
 */
export function quoteLiteral(value: string): string {
  if (value.includes("\u0000")) throw new RangeError("literal contains a NUL character");
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes("\\") ? `E${quoted.replaceAll("\\", "\\\\")}` : quoted;
}
