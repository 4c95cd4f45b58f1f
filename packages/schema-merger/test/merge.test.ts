import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { analyseProject, type BusmModel, modelFacts } from "@dbgen/busm-reader";
import { createSnapshot, DbgenError, serializeSnapshot } from "@dbgen/schema-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ModuleState, mergeModules, parseResolutions, unionType } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const exampleBusm = await readFile(`${REPO}/.pipeline/factory-tools/busm-reader/busm-model.json`, "utf8");

const model: BusmModel = {
  busm: "1",
  entities: {
    Account: {
      access: { mode: "authenticated" },
      fields: {
        name: { type: "string", maxLength: 100, required: true },
        code: { type: "string", maxLength: 10 },
        score: { type: "integer" },
        amount: { type: "decimal", precision: 10, scale: 2 },
        status: { type: "enum", values: ["A", "B"], default: "A" },
        owner_id: { type: "uuid", references: "User" },
      },
    },
    User: {
      access: { mode: "authenticated" },
      fields: { email: { type: "email", required: true }, team_id: { type: "uuid", references: "Team" } },
    },
    Team: { access: { mode: "authenticated" }, fields: { label: { type: "string" } } },
    Tag: { access: { mode: "authenticated" }, fields: { label: { type: "string" } } },
  },
  relationships: [{ from: "Account", to: "Tag", type: "many-to-many" }],
};

/** A module's state, built exactly as prototype mode builds it. */
function state(
  module: string,
  fields: string,
  busm: BusmModel | string = model,
  entities = "[Account]",
  relationships = "",
): ModuleState {
  const text = typeof busm === "string" ? busm : JSON.stringify(busm);
  const project = analyseProject({ file: "busm.json", text }, [
    {
      file: `.pipeline/modules/${module}-phase1.yaml`,
      text: `module: ${module}\nphase: 1\nentities: ${entities}\nfields:\n${fields}\n${relationships}`,
    },
  ]);
  const errors = project.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(JSON.stringify(errors));
  return { module, iteration: 1, schema: (project.modules[0] as { schema: ModuleState["schema"] }).schema };
}

const rulesOf = (states: ModuleState[], resolutions = "") =>
  mergeModules(modelFacts(model), states, resolutions ? parseResolutions(resolutions) : []).rules.map(
    (r) => `${r.table}.${r.column} ${r.rule}`,
  );

describe("type rules", () => {
  it("widen compatible types and refuse the rest", () => {
    expect(unionType({ name: "varchar", length: 10 }, { name: "varchar", length: 40 })).toEqual({
      type: { name: "varchar", length: 40 },
      rule: "widen-varchar",
    });
    expect(unionType({ name: "integer" }, { name: "bigint" })).toEqual({
      type: { name: "bigint" },
      rule: "widen-integer",
    });
    expect(unionType({ name: "varchar", length: 10 }, { name: "text" })).toEqual({
      type: { name: "text" },
      rule: "varchar-to-text",
    });
    expect(
      unionType({ name: "numeric", precision: 10, scale: 2 }, { name: "numeric", precision: 8, scale: 4 }),
    ).toEqual({ type: { name: "numeric", precision: 12, scale: 4 }, rule: "widen-numeric" });
    expect(unionType({ name: "uuid" }, { name: "integer" })).toBeUndefined();
    expect(unionType({ name: "boolean" }, { name: "integer" })).toBeUndefined();
  });
});

describe("mergeModules", () => {
  it("applies each widening rule, naming it", () => {
    const a = state(
      "a",
      "  Account: [id, { code: string }, { score: integer }, { amount: decimal }, { name: string }]",
    );
    const busm = {
      ...model,
      entities: {
        ...model.entities,
        Account: {
          ...model.entities.Account,
          fields: {
            ...model.entities.Account?.fields,
            code: { type: "string", maxLength: 40 },
            score: { type: "bigint" },
            amount: { type: "decimal", precision: 8, scale: 4 },
          },
        },
      },
    } as BusmModel;
    const b = state("b", "  Account: [id, code, score, amount, { name: text }]", busm);
    expect(rulesOf([a, b]).sort()).toEqual([
      "accounts.amount widen-numeric",
      "accounts.code widen-varchar",
      "accounts.name varchar-to-text",
      "accounts.score widen-integer",
    ]);
  });

  it("lets the BUSM settle nullability and defaults; module-only fields become nullable and lose a disputed default", () => {
    const strict = {
      ...model,
      entities: {
        ...model.entities,
        Account: {
          ...model.entities.Account,
          fields: {
            ...model.entities.Account?.fields,
            code: { type: "string", maxLength: 10, required: true, default: "X" },
            status: { type: "enum", values: ["A", "B"], default: "B" },
          },
        },
      },
    } as BusmModel;
    const withExtra = (m: BusmModel, required: boolean, def: string) =>
      ({
        ...m,
        entities: {
          ...m.entities,
          Account: {
            ...m.entities.Account,
            fields: { ...m.entities.Account?.fields, extra: { type: "string", required, default: def } },
          },
        },
      }) as BusmModel;
    const a = state("a", "  Account: [id, code, status, { nick: string }]", model);
    const b = state("b", "  Account: [id, code, status]", strict);
    expect(rulesOf([a, b]).sort()).toEqual([
      "accounts.code busm-default",
      "accounts.code busm-nullability",
      "accounts.status busm-default",
    ]);
    const merged = mergeModules(modelFacts(model), [a, b]).union.tables[0];
    expect(merged?.columns.find((c) => c.name === "code")).toMatchObject({ nullable: true });
    expect(merged?.columns.find((c) => c.name === "status")?.default).toEqual({ kind: "literal", value: "A" });
    // A field only modules declare: disagreements fall to the open side.
    const c = state("c", "  Account: [id, extra]", withExtra(model, true, "x"));
    const d = state("d", "  Account: [id, extra]", withExtra(model, false, "y"));
    expect(
      mergeModules(modelFacts(model), [c, d])
        .rules.map((r) => r.rule)
        .sort(),
    ).toEqual(["module-only-default-dropped", "module-only-nullable"]);
  });

  it("refuses incompatible types and a module-only field with two types, listing every module", () => {
    const busm = {
      ...model,
      entities: {
        ...model.entities,
        Account: {
          ...model.entities.Account,
          fields: { ...model.entities.Account?.fields, score: { type: "boolean" } },
        },
      },
    } as BusmModel;
    const a = state("alpha", "  Account: [id, score]");
    const b = state("beta", "  Account: [id, score]", busm);
    const c = state("gamma", "  Account: [id, score]");
    try {
      mergeModules(modelFacts(model), [a, b, c]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DbgenError);
      expect((error as DbgenError).diagnostics).toEqual([
        expect.objectContaining({
          code: "MERGE_CONFLICT",
          path: "accounts.score",
          message: expect.stringContaining("integer in alpha, boolean in beta, integer in gamma"),
        }),
      ]);
      expect((error as DbgenError).diagnostics[0]?.message).toContain("modules involved: alpha, beta, gamma");
    }
    const x = state("x", "  Account: [id, { nick: string }]");
    const y = state("y", "  Account: [id, { nick: text }]");
    expect(() => mergeModules(modelFacts(model), [x, y])).toThrow(
      /a field the BUSM lacks, declared with different types \(varchar\(255\) in x, text in y\)/,
    );
    // The fix names the project's resolutions file, wherever its configuration moved it.
    const fixOf = (options: Parameters<typeof mergeModules>[3]) => {
      try {
        mergeModules(modelFacts(model), [x, y], [], options);
      } catch (error) {
        return (error as DbgenError).diagnostics[0]?.fix ?? "";
      }
      return "";
    };
    expect(fixOf({ resolutionsFile: "config/merge.yaml" })).toMatch(/^add to config\/merge\.yaml: /);
    expect(fixOf({})).toMatch(/^add to \.pipeline\/merge-resolutions\.yaml: /);
  });

  it("follows a resolution file", () => {
    const busm = {
      ...model,
      entities: {
        ...model.entities,
        Account: {
          ...model.entities.Account,
          fields: { ...model.entities.Account?.fields, score: { type: "boolean" } },
        },
      },
    } as BusmModel;
    const a = state("alpha", "  Account: [id, score]");
    const b = state("beta", "  Account: [id, score]", busm);
    const resolutions =
      "resolutions:\n  - table: accounts\n    column: score\n    type: text\n    reason: both fit in text\n";
    expect(rulesOf([a, b], resolutions)).toEqual(["accounts.score resolution-file"]);
    const merged = mergeModules(modelFacts(model), [a, b], parseResolutions(resolutions));
    expect(
      merged.merged.tables.find((t) => t.name === "accounts")?.columns.find((c) => c.name === "score")?.type,
    ).toEqual({ name: "text" });
    expect(merged.report).toContain(
      "| accounts | score | resolution-file | alpha, beta | alpha: integer, beta: boolean → text (both fit in text) |",
    );
    expect(() => parseResolutions("resolutions:\n  - { table: a, column: b, type: money }\n")).toThrow(
      /Unknown type "money"/,
    );
  });

  it("completes from the BUSM, with closure and join tables", () => {
    const merged = mergeModules(modelFacts(model), [
      state("a", "  Account: [id, name]"),
      state("b", "  Tag: [id]", model, "[Tag]"),
    ]);
    expect(merged.merged.tables.map((t) => t.name)).toEqual(["account_tags", "accounts", "tags", "teams", "users"]);
    expect(merged.details.completion.origins.get("users")).toBe("closure");
    expect(merged.details.completion.origins.get("teams")).toBe("closure");
    expect(merged.details.completion.origins.get("account_tags")).toBe("join-table");
    const accounts = merged.details.completion.columns.get("accounts") ?? [];
    expect(accounts.map((c) => [c.column.name, c.sources])).toEqual([
      ["id", ["a"]],
      ["name", ["a"]],
      ["code", "completion"],
      ["score", "completion"],
      ["amount", "completion"],
      ["status", "completion"],
      ["owner_id", "completion"],
    ]);
    for (const table of merged.merged.tables)
      for (const fk of table.foreignKeys) expect(merged.merged.tables.map((t) => t.name)).toContain(fk.referencedTable);
  });

  it("gives the same bytes whatever order the modules come in", () => {
    const states = [
      state(
        "account-management",
        "  Account: [id, name, type, status, email]\n  Location: [id, account_id, address]",
        exampleBusm,
        "[Account, Location]",
        "relationships:\n  - { from: Location, to: Account, type: many-to-one, field: account_id }",
      ),
      state(
        "master-view",
        "  Account: [id, name, { phone: text }, primary_location_id]\n  Location: [id, city]",
        exampleBusm,
        "[Account, Location]",
        "relationships:\n  - { from: Account, to: Location, type: many-to-one, field: primary_location_id }",
      ),
      state("billing", "  Invoice: [id, invoice_number, total]", exampleBusm, "[Invoice]"),
      state(
        "scheduler",
        "  WorkOrder: [id, number, { summary: text }]\n  Service: [id, code]",
        exampleBusm,
        "[WorkOrder, Service]",
      ),
    ];
    const busm = JSON.parse(exampleBusm) as BusmModel;
    const bytes = (s: readonly ModuleState[]) => {
      const r = mergeModules(modelFacts(busm), s);
      return [r.report, serializeSnapshot(createSnapshot(r.union)), serializeSnapshot(createSnapshot(r.merged))].join(
        "\n",
      );
    };
    const reference = bytes(states);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(states, { minLength: states.length, maxLength: states.length }),
        (shuffled) => bytes(shuffled) === reference,
      ),
      { numRuns: 50 },
    );
  });
});
