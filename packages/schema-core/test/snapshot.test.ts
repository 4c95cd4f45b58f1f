import { describe, expect, it } from "vitest";
import {
  createSnapshot,
  DbgenError,
  parseSnapshot,
  type Schema,
  SNAPSHOT_FORMAT_VERSION,
  serializeSnapshot,
} from "../src/index.js";

const schema: Schema = {
  name: "public",
  enums: [],
  tables: [
    {
      name: "accounts",
      columns: [
        {
          name: "id",
          type: { name: "uuid" },
          nullable: false,
          default: { kind: "expression", sql: "gen_random_uuid()" },
        },
      ],
      primaryKey: { name: "accounts_pkey", columns: ["id"] },
      foreignKeys: [],
      uniques: [],
      checks: [],
      indexes: [],
    },
  ],
};

describe("snapshots", () => {
  it("serialize with sorted keys, a format version and the parent's id", () => {
    const text = serializeSnapshot(createSnapshot(schema, { parentId: "abc", meta: { module: "m", iteration: 2 } }));
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(["formatVersion", "id", "meta", "parentId", "schema"]);
    expect(doc.formatVersion).toBe(SNAPSHOT_FORMAT_VERSION);
    expect(doc.parentId).toBe("abc");
    expect(text.endsWith("}\n")).toBe(true);
  });
  it("give the same bytes and id whatever the key order of the input", () => {
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : value !== null && typeof value === "object"
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const reordered = reverseKeys(schema) as Schema;
    expect(Object.keys(reordered)).toEqual(["tables", "enums", "name"]);
    expect(serializeSnapshot(createSnapshot(reordered))).toBe(serializeSnapshot(createSnapshot(schema)));
  });
  it("round-trip", () => {
    const snapshot = createSnapshot(schema, { parentId: null });
    expect(parseSnapshot(serializeSnapshot(snapshot))).toEqual(snapshot);
  });
  it("refuse a newer format, garbage and a missing schema with INVALID_SNAPSHOT", () => {
    const cases = ['{"formatVersion": 99, "schema": {"tables": []}}', "not json", '{"formatVersion": 1}', "[]"];
    for (const text of cases) {
      expect(() => parseSnapshot(text, "state.json")).toThrow(DbgenError);
      try {
        parseSnapshot(text, "state.json");
      } catch (error) {
        expect((error as DbgenError).diagnostics[0]).toMatchObject({ code: "INVALID_SNAPSHOT", file: "state.json" });
      }
    }
  });
});
