import { describe, expect, it } from "vitest";
import { parsePostgresType, renderPostgresType, type SqlType } from "../src/index.js";

const TYPES: SqlType[] = [
  { name: "uuid" },
  { name: "varchar", length: 255 },
  { name: "varchar" },
  { name: "char", length: 2 },
  { name: "text" },
  { name: "smallint" },
  { name: "integer" },
  { name: "bigint" },
  { name: "numeric", precision: 12, scale: 2 },
  { name: "numeric" },
  { name: "real" },
  { name: "boolean" },
  { name: "date" },
  { name: "time" },
  { name: "timestamp" },
  { name: "timestamptz" },
  { name: "jsonb" },
  { name: "blob" },
];

describe("PostgreSQL's type grammar", () => {
  it("reads back every type its renderer writes", () => {
    for (const type of TYPES) expect(parsePostgresType(renderPostgresType(type))).toEqual(type);
  });

  it("reads format_type()'s spellings, and nothing it does not model", () => {
    expect(parsePostgresType("character varying(40)")).toEqual({ name: "varchar", length: 40 });
    expect(parsePostgresType("timestamp with time zone")).toEqual({ name: "timestamptz" });
    expect(parsePostgresType("numeric(8,0)")).toEqual({ name: "numeric", precision: 8, scale: 0 });
    expect(parsePostgresType("character(1)")).toEqual({ name: "char", length: 1 });
    expect(parsePostgresType("money")).toBeUndefined();
    expect(parsePostgresType("varchar(x)")).toBeUndefined();
  });
});
