import { describe, expect, it } from "vitest";
import {
  type Column,
  creationOrder,
  diffSchemas,
  emptySchema,
  invertOperation,
  invertOperations,
  isWidening,
  planHazards,
  type Schema,
  type Table,
  typeChangeKind,
  validateSchema,
} from "../src/index.js";

const id: Column = { name: "id", type: { name: "uuid" }, nullable: false };
function table(name: string, columns: Column[] = [], refs: string[] = []): Table {
  return {
    name,
    columns: [
      id,
      ...columns,
      ...refs.map((r): Column => ({ name: `${r}_id`, type: { name: "uuid" }, nullable: true })),
    ],
    primaryKey: { name: `${name}_pkey`, columns: ["id"] },
    foreignKeys: refs.map((r) => ({
      name: `${name}_${r}_id_fkey`,
      columns: [`${r}_id`],
      referencedTable: r,
      referencedColumns: ["id"],
      onDelete: "no action",
      onUpdate: "no action",
    })),
    uniques: [],
    checks: [],
    indexes: [],
  };
}
const schema = (...tables: Table[]): Schema => ({ name: "public", enums: [], tables });

describe("creationOrder", () => {
  it("puts referenced tables first and defers only the foreign keys of a cycle", () => {
    const order = creationOrder([
      table("c", [], ["b"]),
      table("b", [], ["a"]),
      table("a"),
      table("x", [], ["y"]),
      table("y", [], ["x"]),
      table("s", [], ["s"]),
    ]);
    expect(order.order.indexOf("a")).toBeLessThan(order.order.indexOf("b"));
    expect(order.order.indexOf("b")).toBeLessThan(order.order.indexOf("c"));
    expect(order.cycles).toEqual([["x", "y"]]);
    expect([...order.deferred].sort()).toEqual(["x\u0000x_y_id_fkey", "y\u0000y_x_id_fkey"]);
  });
  it("is deterministic whatever the input order", () => {
    const tables = [table("c", [], ["b"]), table("b", [], ["a"]), table("a"), table("d")];
    expect(creationOrder([...tables].reverse()).order).toEqual(creationOrder(tables).order);
  });
});

describe("diffSchemas", () => {
  it("gives nothing for equal schemas", () => {
    const s = schema(table("a"), table("b", [], ["a"]));
    expect(diffSchemas(s, s).operations).toEqual([]);
  });
  it("renames only when told", () => {
    const from = schema(table("a", [{ name: "old", type: { name: "text" }, nullable: true }]));
    const to = schema(table("a", [{ name: "new", type: { name: "text" }, nullable: true }]));
    expect(diffSchemas(from, to).operations.map((o) => o.kind)).toEqual(["add_column", "drop_column"]);
    const resolved = diffSchemas(from, to, {
      renames: (t, dropped, added) => [{ table: t, from: dropped[0]?.name ?? "", to: added[0]?.name ?? "" }],
    });
    expect(resolved.operations).toEqual([{ kind: "rename_column", table: "a", from: "old", to: "new" }]);
  });
  it("warns about cycles", () => {
    expect(
      diffSchemas(emptySchema(), schema(table("x", [], ["y"]), table("y", [], ["x"]))).warnings.map((w) => w.code),
    ).toEqual(["CIRCULAR_REFERENCE"]);
  });
  it("inverts every operation back to itself", () => {
    const from = schema(
      table("a", [{ name: "n", type: { name: "varchar", length: 10 }, nullable: true, comment: "x" }]),
      table("gone"),
    );
    const to = schema(
      table(
        "a",
        [
          {
            name: "n",
            type: { name: "varchar", length: 20 },
            nullable: false,
            default: { kind: "literal", value: "v" },
          },
        ],
        ["b"],
      ),
      table("b"),
    );
    const ops = diffSchemas(from, to).operations;
    expect(ops.length).toBeGreaterThan(4);
    for (const op of ops) expect(invertOperation(invertOperation(op))).toEqual(op);
    expect(diffSchemas(to, from).operations.length).toBeGreaterThan(0);
    expect(invertOperations(invertOperations(ops))).toEqual(ops);
  });
});

describe("hazards", () => {
  it("does not flag widening", () => {
    expect(isWidening({ name: "varchar", length: 10 }, { name: "varchar", length: 20 })).toBe(true);
    expect(isWidening({ name: "varchar", length: 10 }, { name: "text" })).toBe(true);
    expect(isWidening({ name: "integer" }, { name: "bigint" })).toBe(true);
    expect(isWidening({ name: "numeric", precision: 10, scale: 2 }, { name: "numeric", precision: 12, scale: 2 })).toBe(
      true,
    );
    expect(isWidening({ name: "numeric", precision: 10, scale: 2 }, { name: "numeric", precision: 10, scale: 3 })).toBe(
      false,
    );
    expect(isWidening({ name: "varchar", length: 20 }, { name: "varchar", length: 10 })).toBe(false);
    expect(isWidening({ name: "bigint" }, { name: "integer" })).toBe(false);
  });
  it("says how production changes a type: in place, by a rewrite, or only with the model's conversion", () => {
    const kinds = (
      [
        [
          { name: "varchar", length: 10 },
          { name: "varchar", length: 20 },
        ],
        [{ name: "varchar", length: 10 }, { name: "text" }],
        [
          { name: "numeric", precision: 10, scale: 2 },
          { name: "numeric", precision: 12, scale: 2 },
        ],
        [{ name: "numeric", precision: 10, scale: 2 }, { name: "numeric" }],
        [{ name: "integer" }, { name: "bigint" }],
        [{ name: "smallint" }, { name: "integer" }],
        [{ name: "integer" }, { name: "real" }],
        [{ name: "timestamp" }, { name: "timestamptz" }],
        [
          { name: "numeric", precision: 10, scale: 2 },
          { name: "numeric", precision: 12, scale: 4 },
        ],
        [{ name: "uuid" }, { name: "text" }],
        [{ name: "bigint" }, { name: "integer" }],
        [
          { name: "varchar", length: 20 },
          { name: "varchar", length: 10 },
        ],
        [{ name: "text" }, { name: "integer" }],
        [{ name: "timestamptz" }, { name: "date" }],
        [{ name: "text", array: true }, { name: "text" }],
      ] as const
    ).map(([from, to]) => typeChangeKind(from, to));
    expect(kinds).toEqual([
      ...["in-place", "in-place", "in-place", "in-place"],
      ...["rewrite", "rewrite", "rewrite", "rewrite", "rewrite", "rewrite"],
      ...["conversion", "conversion", "conversion", "conversion", "conversion"],
    ]);
  });
  it("flags drops as destructive and new constraints on existing tables as data-dependent", () => {
    const from = schema(table("a", [{ name: "n", type: { name: "text" }, nullable: true }]), table("b"));
    const to = schema(table("a", [], ["b"]), table("b"));
    const hazards = planHazards(diffSchemas(from, to).operations).filter((h) => h.hazards.length > 0);
    expect(hazards.map((h) => [h.operation.kind, h.hazards])).toEqual([
      ["drop_column", ["destructive"]],
      ["add_foreign_key", ["data-dependent"]],
    ]);
  });
});

describe("validateSchema", () => {
  it("reports each structural problem with its code", () => {
    const broken = schema(
      table("a", [{ name: "id", type: { name: "uuid" }, nullable: false }]),
      table("a"),
      { ...table("b", [], ["nowhere"]) },
      { ...table("c"), primaryKey: undefined },
      table("Bad"),
    );
    expect(validateSchema(broken).map((d) => d.code)).toEqual([
      "DUPLICATE_TABLE",
      "DUPLICATE_COLUMN",
      "INVALID_FOREIGN_KEY",
      "MISSING_PRIMARY_KEY",
      "INVALID_NAME",
    ]);
  });
});
