/**
 * PostgreSQL's type text back to the IR: the grammar beside its renderer. Takes what the renderer
 * writes (`varchar(255)`, `numeric(12,2)`, `timestamptz`) and what the catalog prints through
 * `format_type()` (`character varying(255)`, `timestamp with time zone`).
 */
import type { SqlType } from "../../ir/types.js";

const SIMPLE: Readonly<Record<string, SqlType["name"]>> = {
  uuid: "uuid",
  text: "text",
  smallint: "smallint",
  integer: "integer",
  int: "integer",
  int4: "integer",
  bigint: "bigint",
  int8: "bigint",
  boolean: "boolean",
  bool: "boolean",
  date: "date",
  time: "time",
  "time without time zone": "time",
  timestamp: "timestamp",
  "timestamp without time zone": "timestamp",
  timestamptz: "timestamptz",
  "timestamp with time zone": "timestamptz",
  jsonb: "jsonb",
  "double precision": "real",
  bytea: "blob",
  interval: "interval",
  inet: "inet",
  tsvector: "tsvector",
  citext: "citext",
};

/** The IR type of a PostgreSQL type text, or undefined for a type the IR does not hold. */
export function parsePostgresType(text: string): SqlType | undefined {
  const trimmed = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (trimmed.endsWith("[]")) {
    const element = parseElementType(trimmed.slice(0, -2));
    return element && !element.array ? { ...element, array: true } : undefined;
  }
  return parseElementType(trimmed);
}

function parseElementType(text: string): SqlType | undefined {
  // An extension's type is printed with its schema when that schema is not on the search_path.
  const t = text.replace(/^(?:extensions|public)\./, "");
  const vector = /^vector\((\d+)\)$/.exec(t);
  if (vector) return { name: "vector", dimensions: Number(vector[1]) };
  const varchar = /^(?:varchar|character varying)(?:\((\d+)\))?$/.exec(t);
  if (varchar) return varchar[1] ? { name: "varchar", length: Number(varchar[1]) } : { name: "varchar" };
  const numeric = /^(?:numeric|decimal)(?:\((\d+)(?:, ?(\d+))?\))?$/.exec(t);
  if (numeric)
    return numeric[1]
      ? { name: "numeric", precision: Number(numeric[1]), scale: Number(numeric[2] ?? 0) }
      : { name: "numeric" };
  const char = /^(?:char|character)(?:\((\d+)\))?$/.exec(t);
  if (char) return { name: "char", length: Number(char[1] ?? 1) };
  const name = SIMPLE[t];
  return name ? { name } : undefined;
}
