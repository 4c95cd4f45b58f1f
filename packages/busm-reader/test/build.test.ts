import type { Diagnostic } from "@dbgen/schema-core";
import { describe, expect, it } from "vitest";
import {
  analyseProject,
  type BusmModel,
  buildModelSchema,
  ensureSqlParser,
  modelColumn,
  modelFacts,
  tableNameOf,
} from "../src/index.js";

const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";
const model: BusmModel = {
  busm: "1",
  enums: { Kind: ["A", "B"] },
  entities: {
    WorkOrder: {
      access: { mode: "authenticated" },
      fields: {
        title: { type: "string", required: true },
        kind: { type: "enum", enum: "Kind", default: "A" },
        account_id: { type: "uuid", references: "Account" },
      },
    },
    Account: {
      access: { mode: "authenticated" },
      fields: {
        name: { type: "string", maxLength: 80 },
        credit: { type: "decimal", precision: 10, scale: 2, default: "0" },
      },
    },
    Technician: { access: { mode: "authenticated" }, fields: { code: { type: "string" } } },
    Skill: { access: { mode: "authenticated" }, fields: { name: { type: "string" } } },
  },
  relationships: [{ from: "Technician", to: "Skill", type: "many-to-many" }],
};
const analyse = (m: BusmModel, modules: Record<string, string> = {}) =>
  analyseProject(
    { file: BUSM, text: JSON.stringify(m, null, 2) },
    Object.entries(modules).map(([name, text]) => ({ file: `.pipeline/modules/${name}`, text })),
  );
const codes = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.severity} ${d.code}`);

describe("table names", () => {
  it("are the snake_case plural of the entity, unless `table` says otherwise", () => {
    expect(tableNameOf("WorkOrder", {})).toBe("work_orders");
    expect(tableNameOf("Territory", {})).toBe("territories");
    expect(tableNameOf("InvoiceLine", {})).toBe("invoice_lines");
    expect(tableNameOf("Person", {})).toBe("people");
    expect(tableNameOf("Person", { table: "persons" })).toBe("persons");
  });
});

describe("buildModelSchema", () => {
  const schema = buildModelSchema(model);
  const byName = (n: string) => schema.tables.find((t) => t.name === n);
  it("maps types, keys, defaults and references", () => {
    const orders = byName("work_orders");
    expect(orders?.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ["id", { name: "uuid" }, false],
      ["title", { name: "varchar", length: 255 }, false],
      ["kind", { name: "varchar", length: 50 }, true],
      ["account_id", { name: "uuid" }, true],
    ]);
    expect(orders?.columns[0]?.default).toEqual({ kind: "expression", sql: "gen_random_uuid()" });
    expect(orders?.columns[2]?.enum).toEqual({ name: "Kind", values: ["A", "B"] });
    expect(orders?.foreignKeys).toEqual([
      {
        name: "work_orders_account_id_fkey",
        columns: ["account_id"],
        referencedTable: "accounts",
        referencedColumns: ["id"],
        onDelete: "no action",
        onUpdate: "no action",
      },
    ]);
    expect(orders?.indexes.map((i) => i.name)).toEqual(["work_orders_account_id_idx"]);
    // A numeric default given as text is held as a number, as the database gives it back.
    expect(byName("accounts")?.columns.find((c) => c.name === "credit")?.default).toEqual({
      kind: "literal",
      value: 0,
    });
  });
  it("adds a join table for a many-to-many", () => {
    const join = byName("technician_skills");
    expect(join?.primaryKey?.columns).toEqual(["technician_id", "skill_id"]);
    expect(join?.foreignKeys.map((f) => [f.referencedTable, f.onDelete])).toEqual([
      ["technicians", "cascade"],
      ["skills", "cascade"],
    ]);
  });
  it("is deterministic", () => {
    expect(JSON.stringify(buildModelSchema(model))).toBe(JSON.stringify(schema));
  });
});

describe("modules", () => {
  it("keep only the listed fields, the key and the module's own foreign keys", () => {
    const project = analyse(model, {
      "ops-phase1.yaml":
        "module: ops\nphase: 1\nentities: [WorkOrder, Account]\nfields:\n  WorkOrder: [title, account_id]\n  Account: [name]\nrelationships:\n  - { from: WorkOrder, to: Account, type: many-to-one, field: account_id }\n",
    });
    expect(codes(project.diagnostics)).toEqual([]);
    const schema = project.modules[0]?.schema;
    expect(schema?.tables.map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ["accounts", ["id", "name"]],
      ["work_orders", ["id", "title", "account_id"]],
    ]);
    expect(schema?.tables[1]?.foreignKeys.map((f) => f.referencedTable)).toEqual(["accounts"]);
  });
  it("warn on a type override and a missing entity, and the module wins", () => {
    const project = analyse(model, {
      "ops-phase1.yaml":
        "module: ops\nphase: 1\nentities: [Account, Ghost]\nfields:\n  Account: [{ name: text }]\n  Ghost: [{ label: string }]\n",
    });
    expect(codes(project.diagnostics)).toEqual(["warning TYPE_MISMATCH", "warning MISSING_ENTITY"]);
    const schema = project.modules[0]?.schema;
    expect(schema?.tables.find((t) => t.name === "accounts")?.columns[1]?.type).toEqual({ name: "text" });
    expect(schema?.tables.find((t) => t.name === "ghosts")?.columns.map((c) => c.name)).toEqual(["id", "label"]);
  });
  it("mark the highest phase of each module as the latest", () => {
    const project = analyse(model, {
      "ops-phase1.yaml": "module: ops\nphase: 1\nentities: [Account]\n",
      "ops-phase2.yaml": "module: ops\nphase: 2\nentities: [Account, Skill]\n",
    });
    expect(project.modules.map((m) => [m.config.phase, m.latest])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe("model checks", () => {
  it("warn about entities without access and names that are keywords", () => {
    const project = analyse({
      busm: "1",
      entities: { Order: { table: "order", fields: { user: { type: "string" } } } },
    });
    expect(codes(project.diagnostics)).toEqual([
      "warning RESERVED_KEYWORD",
      "warning RESERVED_KEYWORD",
      "warning NO_ACCESS_MODE",
    ]);
  });
  it("refuse an enum default outside its values, and a scale above the precision", () => {
    const project = analyse({
      busm: "1",
      entities: {
        Thing: {
          access: { mode: "authenticated" },
          fields: { s: { type: "enum", values: ["x"], default: "y" }, d: { type: "decimal", precision: 2, scale: 3 } },
        },
      },
    });
    expect(codes(project.diagnostics)).toEqual(["error INVALID_CONFIG", "error INVALID_CONFIG"]);
    expect(project.schema).toBeUndefined();
  });
  it("point schema errors at the place: an unknown option", () => {
    const project = analyse({
      busm: "1",
      entities: { Thing: { fields: { s: { type: "string", lenght: 3 } } } },
    } as unknown as BusmModel);
    expect(project.diagnostics).toEqual([
      {
        severity: "error",
        code: "INVALID_CONFIG",
        file: BUSM,
        line: 8,
        path: "entities.Thing.fields.s.lenght",
        message: 'Unknown property "lenght"',
        fix: "correct it as docs/formats.md describes",
      },
    ]);
  });
});

describe("a relationship's field that is not one of its entity's fields", () => {
  const model: BusmModel = {
    busm: "1",
    entities: {
      Account: { access: { mode: "authenticated" }, fields: { id: { type: "uuid", primaryKey: true } } },
      Lease: {
        access: { mode: "authenticated" },
        fields: { id: { type: "uuid", primaryKey: true }, account_id: { type: "uuid" } },
      },
    },
  };
  const module = (field: string) =>
    [
      "module: leasing",
      "phase: 1",
      "entities: [Account, Lease]",
      "fields:",
      "  Account: [id]",
      "  Lease: [id, account_id]",
      "relationships:",
      `  - { from: Lease, to: Account, type: many-to-one, field: ${field} }`,
      "",
    ].join("\n");

  it("is a warning with the near name when it looks like a typo, placed at the field", () => {
    const project = analyse(model, { "leasing-phase1.yaml": module("acount_id") });
    const warning = project.diagnostics.find((d) => d.code === "UNKNOWN_FIELD");
    expect(warning).toMatchObject({
      severity: "warning",
      file: ".pipeline/modules/leasing-phase1.yaml",
      line: 8,
      path: "relationships[0].field",
    });
    expect(warning?.message).toMatch(
      /Lease\.acount_id is not a field of Lease.*Lease\.account_id would get no foreign key/,
    );
    expect(warning?.fix).toMatch(/^did you mean "account_id"\?/);
  });

  it("is quiet for the intended field, and for a new field with no near name", () => {
    for (const field of ["account_id", "landlord_account_ref"]) {
      const project = analyse(model, { "leasing-phase1.yaml": module(field) });
      expect(
        codes(project.diagnostics).filter((c) => c.includes("UNKNOWN_FIELD")),
        field,
      ).toEqual([]);
    }
  });
});

describe("a module's many-to-many through a join entity", () => {
  const model: BusmModel = {
    busm: "1",
    entities: {
      Technician: { access: { mode: "authenticated" }, fields: { id: { type: "uuid", primaryKey: true } } },
      Skill: { access: { mode: "authenticated" }, fields: { id: { type: "uuid", primaryKey: true } } },
      TechnicianSkill: {
        access: { mode: "authenticated" },
        fields: {
          id: { type: "uuid", primaryKey: true },
          technician_id: { type: "uuid", references: "Technician", required: true },
          skill_ref: { type: "uuid", references: "Skill.id", required: true },
          level: { type: "integer" },
        },
      },
    },
  };
  const module = [
    "module: skills",
    "phase: 1",
    "entities: [Technician, Skill, TechnicianSkill]",
    "fields:",
    "  Technician: [id]",
    "  Skill: [id]",
    "  TechnicianSkill: [id, technician_id, skill_ref, level]",
    "relationships:",
    "  - { from: Technician, to: Skill, type: many-to-many, through: TechnicianSkill }",
    "",
  ].join("\n");

  it("gives the join table its foreign keys to both sides, as `through: join_table` does", () => {
    const project = analyse(model, { "skills-phase1.yaml": module });
    expect(codes(project.diagnostics).filter((c) => c.startsWith("error"))).toEqual([]);
    const schema = project.modules[0]?.schema;
    const join = schema?.tables.find((t) => t.name === "technician_skills");
    expect(join?.foreignKeys.map((fk) => [fk.columns, fk.referencedTable, fk.referencedColumns])).toEqual([
      [["technician_id"], "technicians", ["id"]],
      [["skill_ref"], "skills", ["id"]],
    ]);
  });
});

describe("table features (#25): identity, composite keys, checks, ON UPDATE, per-entity switches", () => {
  const base: BusmModel = {
    busm: "1",
    entities: {
      Film: {
        access: { mode: "public-read" },
        fields: {
          film_id: { type: "integer", primaryKey: true, identity: true },
          title: { type: "string", required: true },
          release_year: { type: "smallint" },
        },
        checks: [{ name: "film_release_year_check", sql: "release_year BETWEEN 1901 AND 2155" }],
      },
      FilmTag: {
        access: { mode: "public-read" },
        primaryKey: ["film_id", "tag"],
        softDelete: false,
        audit: false,
        versioned: false,
        fields: {
          film_id: { type: "integer", references: "Film", onUpdate: "cascade", onDelete: "cascade" },
          tag: { type: "string", maxLength: 40 },
        },
      },
    },
  };
  const refused = async (entities: BusmModel["entities"]) => {
    await ensureSqlParser();
    return analyse({ busm: "1", entities }).diagnostics.filter((d) => d.severity === "error");
  };
  const refusedModel = async (model: BusmModel) => {
    await ensureSqlParser();
    return analyse(model).diagnostics.filter((d) => d.severity === "error");
  };

  it("builds them into the IR: identity columns, a composite key (its columns required), checks, actions, switches", async () => {
    await ensureSqlParser();
    const schema = analyse(base).schema;
    const films = schema?.tables.find((t) => t.name === "films");
    const tags = schema?.tables.find((t) => t.name === "film_tags");
    expect(films?.columns[0]).toMatchObject({ name: "film_id", autoIncrement: true, nullable: false });
    expect(films?.checks).toEqual([
      { name: "film_release_year_check", expression: "release_year BETWEEN 1901 AND 2155" },
    ]);
    expect(tags?.primaryKey?.columns).toEqual(["film_id", "tag"]);
    expect(tags?.columns.map((c) => [c.name, c.nullable, c.autoIncrement])).toEqual([
      ["film_id", false, undefined],
      ["tag", false, undefined],
    ]);
    expect(tags?.foreignKeys[0]).toMatchObject({ onDelete: "cascade", onUpdate: "cascade" });
    expect(tags?.features).toEqual({ softDelete: false, audit: false, versioned: false });
    expect(films?.features).toBeUndefined();
    // The same IR from the raw model (a caller that skips the reader's normalisation).
    expect(
      buildModelSchema(base)
        .tables.find((t) => t.name === "film_tags")
        ?.columns.map((c) => c.nullable),
    ).toEqual([false, false]);
  });

  it.each([
    [
      "identity on a non-integer",
      { Item: { fields: { code: { type: "string", identity: true } } } },
      "INVALID_CONFIG entities.Item.fields.code.identity",
    ],
    [
      "identity with a default",
      { Item: { fields: { n: { type: "bigint", identity: true, default: 5 } } } },
      "INVALID_CONFIG entities.Item.fields.n.default",
    ],
    [
      "a composite key naming an unknown field",
      { Item: { primaryKey: ["a", "bb"], fields: { a: { type: "integer" }, b: { type: "integer" } } } },
      "UNKNOWN_FIELD entities.Item.primaryKey[1]",
    ],
    [
      "a composite key beside a marked key",
      {
        Item: { primaryKey: ["a", "b"], fields: { a: { type: "integer", primaryKey: true }, b: { type: "integer" } } },
      },
      "INVALID_CONFIG entities.Item.fields.a.primaryKey",
    ],
    [
      "a check calling a function off the allow-list",
      { Item: { fields: { a: { type: "text" } }, checks: [{ name: "a_check", sql: "pg_read_file(a) <> ''" }] } },
      "INVALID_EXPRESSION entities.Item.checks[0].sql",
    ],
    [
      "a check over another table",
      {
        Item: {
          fields: { a: { type: "integer" } },
          checks: [{ name: "a_check", sql: "a > (SELECT max(a) FROM public.others)" }],
        },
      },
      "INVALID_EXPRESSION entities.Item.checks[0].sql",
    ],
    [
      "a check naming a field the entity lacks",
      {
        Item: { fields: { start_date: { type: "date" } }, checks: [{ name: "a_check", sql: "end_date > start_dat" }] },
      },
      "UNKNOWN_FIELD entities.Item.checks[0].sql",
    ],
    [
      "two checks of one name",
      {
        Item: {
          fields: { a: { type: "integer" } },
          checks: [
            { name: "a_check", sql: "a > 0" },
            { name: "a_check", sql: "a < 10" },
          ],
        },
      },
      "INVALID_CONFIG entities.Item.checks[1].name",
    ],
    [
      "a vector without dimensions",
      { Item: { fields: { embedding: { type: "vector" } } } },
      "INVALID_CONFIG entities.Item.fields.embedding.type",
    ],
    [
      "dimensions on a field that is no vector",
      { Item: { fields: { n: { type: "integer", dimensions: 3 } } } },
      "INVALID_CONFIG entities.Item.fields.n.dimensions",
    ],
    [
      "an array of json",
      { Item: { fields: { data: { type: "json", array: true } } } },
      "INVALID_CONFIG entities.Item.fields.data.array",
    ],
    [
      "a value rule on an array",
      { Item: { fields: { scores: { type: "integer", array: true, min: 0 } } } },
      "INVALID_CONFIG entities.Item.fields.scores.min",
    ],
    [
      "an array default that is no array literal",
      { Item: { fields: { tags: { type: "text", array: true, default: "a,b" } } } },
      "INVALID_EXPRESSION entities.Item.fields.tags.default",
    ],
    [
      "a generated column over another table",
      {
        Item: {
          fields: {
            title: { type: "text" },
            search: { type: "tsvector", generated: { sql: "to_tsvector('english', other.title)" } },
          },
        },
      },
      "INVALID_EXPRESSION entities.Item.fields.search.generated.sql",
    ],
    [
      "a generated column with a subquery",
      {
        Item: {
          fields: { n: { type: "integer", generated: { sql: "(SELECT count(*) FROM public.items)" } } },
        },
      },
      "INVALID_EXPRESSION entities.Item.fields.n.generated.sql",
    ],
    [
      "a generated column over a field the entity lacks",
      { Item: { fields: { title: { type: "text" }, n: { type: "integer", generated: { sql: "length(titel)" } } } } },
      "UNKNOWN_FIELD entities.Item.fields.n.generated.sql",
    ],
    [
      "a generated column with a default",
      { Item: { fields: { a: { type: "integer" }, n: { type: "integer", default: 1, generated: { sql: "a + 1" } } } } },
      "INVALID_CONFIG entities.Item.fields.n.default",
    ],
    [
      "a conversion that reads another field",
      { Item: { fields: { a: { type: "integer" }, n: { type: "integer", using: { sql: "round(a)" } } } } },
      "INVALID_EXPRESSION entities.Item.fields.n.using.sql",
    ],
    [
      "a conversion calling a function off the allow-list",
      { Item: { fields: { n: { type: "integer", using: { sql: "pg_sleep(n)::int" } } } } },
      "INVALID_EXPRESSION entities.Item.fields.n.using.sql",
    ],
    [
      "a conversion of a generated column",
      {
        Item: {
          fields: { a: { type: "integer" }, n: { type: "integer", generated: { sql: "a + 1" }, using: { sql: "n" } } },
        },
      },
      "INVALID_CONFIG entities.Item.fields.n.using",
    ],
    [
      "an hnsw index without a distance",
      { Doc: { fields: { e: { type: "vector", dimensions: 3 } }, indexes: [{ fields: ["e"], method: "hnsw" }] } },
      "INVALID_CONFIG entities.Doc.indexes[0].fields",
    ],
    [
      "a gin index over plain text",
      { Doc: { fields: { t: { type: "text" } }, indexes: [{ fields: ["t"], method: "gin" }] } },
      "INVALID_CONFIG entities.Doc.indexes[0].fields",
    ],
    [
      "an operator class dbgen does not know",
      {
        Doc: {
          fields: { t: { type: "text" } },
          indexes: [{ fields: ["t"], method: "gin", ops: { t: "gin_trgm_op" } }],
        },
      },
      "INVALID_CONFIG entities.Doc.indexes[0].ops.t",
    ],
    [
      "an operator class of another type",
      {
        Doc: {
          fields: { t: { type: "text" } },
          indexes: [{ fields: ["t"], method: "hnsw", ops: { t: "vector_cosine_ops" } }],
        },
      },
      "INVALID_CONFIG entities.Doc.indexes[0].ops.t",
    ],
    [
      "a unique gin index",
      { Doc: { fields: { s: { type: "tsvector" } }, indexes: [{ fields: ["s"], method: "gin", unique: true }] } },
      "INVALID_CONFIG entities.Doc.indexes[0].unique",
    ],
    [
      "an order on a field the index does not list",
      {
        Doc: {
          fields: { a: { type: "date" }, b: { type: "date" } },
          indexes: [{ fields: ["a"], order: { b: "desc" } }],
        },
      },
      "INVALID_CONFIG entities.Doc.indexes[0].order.b",
    ],
    [
      "a reference to an auth table other than auth.users",
      { Session: { fields: { s: { type: "uuid", references: "auth.sessions" } } } },
      "INVALID_FOREIGN_KEY entities.Session.fields.s.references",
    ],
    [
      "a reference to auth.users by a non-uuid",
      { Login: { fields: { who: { type: "string", references: "auth.users" } } } },
      "INVALID_FOREIGN_KEY entities.Login.fields.who.type",
    ],
    [
      "a profile whose key does not reference auth.users",
      { Profile: { profile: true, fields: { id: { type: "uuid", primaryKey: true }, name: { type: "text" } } } },
      "INVALID_CONFIG entities.Profile.profile",
    ],
    [
      "a profile with a required field its signup trigger cannot fill",
      {
        Profile: {
          profile: true,
          fields: {
            id: { type: "uuid", primaryKey: true, references: "auth.users" },
            handle: { type: "string", required: true },
          },
        },
      },
      "INVALID_CONFIG entities.Profile.fields.handle.required",
    ],
    [
      "an owner audience without an owner",
      { Note: { fields: { body: { type: "text" } }, access: { select: ["owner"] } } },
      "INVALID_CONFIG entities.Note.access.select[0]",
    ],
    [
      "an audience that is none",
      { Note: { fields: { body: { type: "text" } }, access: { select: ["everyone"] } } },
      "INVALID_CONFIG entities.Note.access.select[0]",
    ],
    [
      "a members audience without a scope",
      { Note: { fields: { body: { type: "text" } }, access: { insert: ["members"] } } },
      "INVALID_CONFIG entities.Note.access.insert[0]",
    ],
    [
      "a scope that is not a chain of references",
      { Note: { fields: { team_id: { type: "uuid" } }, access: { scope: "team_id", select: ["members"] } } },
      "INVALID_CONFIG entities.Note.access.scope",
    ],
    [
      "a role the role column cannot hold",
      {
        Team: {
          fields: { name: { type: "text" } },
          members: { entity: "Member", user: "user_id", role: "role" },
          access: { select: ["members"], update: ["members:boss"] },
        },
        Member: {
          fields: {
            team_id: { type: "uuid", references: "Team" },
            user_id: { type: "uuid", references: "auth.users" },
            role: { type: "enum", values: ["owner", "member"] },
          },
          access: { scope: "team_id", select: ["members"] },
        },
      },
      "INVALID_CONFIG entities.Team.access.update[0]",
    ],
    [
      "a creator role that is not a role",
      {
        Team: {
          fields: { name: { type: "text" } },
          members: { entity: "Member", user: "user_id", role: "role", creatorRole: "founder" },
          access: { select: ["members"] },
        },
        Member: {
          fields: {
            team_id: { type: "uuid", references: "Team" },
            user_id: { type: "uuid", references: "auth.users" },
            role: { type: "enum", values: ["owner", "member"] },
          },
          access: { scope: "team_id", select: ["members"] },
        },
      },
      "INVALID_CONFIG entities.Team.members.creatorRole",
    ],
  ])("refuses %s, with its place", async (_label, entities, expected) => {
    const errors = await refused(entities as unknown as BusmModel["entities"]);
    expect(errors.map((d) => `${d.code} ${d.path}`)).toContain(expected);
    expect(errors.every((d) => (d.fix ?? "").length > 0)).toBe(true);
  });

  it("refuses an enum type named like a table, and a value PostgreSQL cannot hold, with their places", async () => {
    const errors = await refusedModel({
      busm: "1",
      enums: { Film: ["a"], Rating: ["G", "x".repeat(64)] },
      options: { enums: "type" },
      entities: { Film: { table: "film", fields: { rating: { type: "enum", enum: "Rating" } } } },
    } as unknown as BusmModel);
    expect(errors.map((d) => `${d.code} ${d.path}`)).toEqual(
      expect.arrayContaining(["INVALID_CONFIG enums.Rating", "DUPLICATE_TABLE entities.Film.table"]),
    );
  });

  it("suggests the operator class an index meant", async () => {
    const [error] = await refused({
      Doc: { fields: { t: { type: "text" } }, indexes: [{ fields: ["t"], method: "gin", ops: { t: "gin_trgm_op" } }] },
    } as unknown as BusmModel["entities"]);
    expect(error?.fix).toMatch(/did you mean "gin_trgm_ops"/);
  });

  it("suggests the field a check meant", async () => {
    const [error] = await refused({
      Item: { fields: { start_date: { type: "date" } }, checks: [{ name: "a_check", sql: "start_dat IS NOT NULL" }] },
    } as unknown as BusmModel["entities"]);
    expect(error?.fix).toMatch(/start_date/);
  });
});

describe("modelFacts", () => {
  const withAssignee: BusmModel = {
    ...model,
    relationships: [
      ...(model.relationships ?? []),
      { from: "WorkOrder", to: "Technician", type: "many-to-one", field: "technician_id" },
    ],
  };
  it("is built with the model's schema, once: the project's facts hold the very schema it analysed", () => {
    const project = analyse(withAssignee);
    expect(project.facts?.schema).toBe(project.schema);
  });
  it("tells the columns an entity's own fields declare (the implied id too) from those a relationship adds", () => {
    const facts = modelFacts(withAssignee);
    const orders = facts.schema.tables.find((t) => t.name === "work_orders");
    expect(orders?.columns.map((c) => c.name)).toContain("technician_id");
    expect([...(facts.entities.get("WorkOrder")?.fields ?? [])]).toEqual(["id", "title", "kind", "account_id"]);
    expect(modelColumn(facts, "WorkOrder", "title")).toBe(orders?.columns.find((c) => c.name === "title"));
    expect(modelColumn(facts, "WorkOrder", "id")?.default).toEqual({ kind: "expression", sql: "gen_random_uuid()" });
    expect(modelColumn(facts, "WorkOrder", "technician_id")).toBeUndefined();
    expect(modelColumn(facts, "Missing", "title")).toBeUndefined();
    expect(modelColumn(facts, undefined, "title")).toBeUndefined();
  });
});
