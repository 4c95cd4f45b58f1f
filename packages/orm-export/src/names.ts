/**
 * Names in generated code: TypeScript and Prisma identifiers from SQL names, never colliding with
 * each other or with a reserved word, and text escaped for the place it goes (a template literal, a
 * string, a comment).
 */
import { escapeControl } from "@dbgen/schema-core";
import { camelCase, pascalCase } from "change-case";
import pluralize from "pluralize";

/** `work_orders` → `workOrders`; a name that starts with a digit gets a leading `_`. */
export function camel(name: string): string {
  const out = camelCase(name) || "x";
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/** `work_orders` → `WorkOrder` (singular). */
export function pascalSingular(name: string): string {
  const out = pascalCase(pluralize.singular(name)) || "X";
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/** `account_id` → `account`; `owner` → `owner` (the name of the row a foreign key points at). */
export function referenceName(columns: readonly string[], table: string): string {
  const only = columns.length === 1 ? columns[0] : undefined;
  if (only && /_id$/.test(only) && only.length > 3) return camel(only.slice(0, -3));
  return camel(pluralize.singular(table));
}

/**
 * Hands out names unique within one scope: the wanted one, else `wanted` + the suffix, else
 * numbered. `taken` starts with what may not be used (reserved words, names already given).
 */
export class NameScope {
  private readonly taken: Set<string>;
  constructor(taken: Iterable<string> = []) {
    this.taken = new Set(taken);
  }
  claim(wanted: string, suffix: string): string {
    let name = this.taken.has(wanted) ? `${wanted}${suffix}` : wanted;
    for (let i = 2; this.taken.has(name); i++) name = `${wanted}${suffix}${i}`;
    this.taken.add(name);
    return name;
  }
}

/** Text inside a `sql\`…\`` template literal: backslashes, backticks and `${` kept as text. */
export function templateText(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${");
}

/** One line of a comment (`//`, `///`): control characters escaped, so nothing ends the comment. */
export function commentText(text: string): string {
  return escapeControl(text).replaceAll("*/", "* /");
}

/** A Prisma string literal (the schema language's escapes). */
export function prismaString(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n").replaceAll("\r", "\\r")}"`;
}
