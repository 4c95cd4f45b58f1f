/** The spec's type mapping (§7) from a BUSM field to a physical column type. */
import type { LogicalType, SqlType } from "@dbgen/schema-core";

/** Enum values are stored as varchar(50); a longer value widens the column so it still fits. */
const ENUM_LENGTH = 50;

export interface TypeFacts {
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly enumValues?: readonly string[];
  readonly dimensions?: number;
  readonly array?: boolean;
}

export function sqlTypeOf(type: LogicalType, facts: TypeFacts = {}): SqlType {
  const element = elementTypeOf(type, facts);
  return facts.array === true ? { ...element, array: true } : element;
}

function elementTypeOf(type: LogicalType, facts: TypeFacts): SqlType {
  switch (type) {
    case "citext":
      return { name: "citext" };
    case "tsvector":
      return { name: "tsvector" };
    case "vector":
      return { name: "vector", dimensions: facts.dimensions ?? 1 };
    case "uuid":
      return { name: "uuid" };
    case "string":
      return { name: "varchar", length: facts.maxLength ?? 255 };
    case "email":
    case "url":
      return { name: "varchar", length: facts.maxLength ?? 255 };
    case "phone":
      return { name: "varchar", length: facts.maxLength ?? 20 };
    case "enum": {
      const longest = Math.max(0, ...(facts.enumValues ?? []).map((v) => v.length));
      return { name: "varchar", length: Math.max(ENUM_LENGTH, longest) };
    }
    case "text":
      return { name: "text" };
    case "integer":
      return { name: "integer" };
    case "bigint":
      return { name: "bigint" };
    case "decimal":
      if (facts.precision === undefined) return { name: "numeric" };
      return { name: "numeric", precision: facts.precision, scale: facts.scale ?? 0 };
    case "boolean":
      return { name: "boolean" };
    case "date":
      return { name: "date" };
    case "time":
      return { name: "time" };
    case "datetime":
      return { name: "timestamptz" };
    case "json":
      return { name: "jsonb" };
    case "smallint":
      return { name: "smallint" };
    case "double":
      return { name: "real" };
    case "timestamp":
      return { name: "timestamp" };
    case "interval":
      return { name: "interval" };
    case "inet":
      return { name: "inet" };
    case "bytea":
      return { name: "blob" };
  }
}
