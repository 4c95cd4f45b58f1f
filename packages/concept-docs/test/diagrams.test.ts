import type { BusmModel } from "@dbgen/busm-reader";
import mermaid from "mermaid";
import { describe, expect, it } from "vitest";
import {
  buildConceptViews,
  modelView,
  OVERVIEW_THRESHOLD,
  renderConceptDocs,
  renderErDiagram,
  renderMarkdown,
} from "../src/index.js";
import { exampleInput, hostileModel } from "./fixtures.js";

describe("Mermaid diagrams", () => {
  it("every diagram of the example passes mermaid's own parser", async () => {
    const { views } = buildConceptViews(await exampleInput());
    expect(views.map((v) => v.view.id)).toEqual(["busm", "account-management", "master-view", "service-scheduler"]);
    for (const { diagram } of views) await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: "er" });
  });

  it("show the §2b types and how the database fills a field, and pass mermaid's parser", async () => {
    const diagram = renderErDiagram(
      modelView({
        busm: "1",
        enums: { MpaaRating: ["G", "PG"] },
        options: { enums: "type" },
        entities: {
          Film: {
            fields: {
              film_id: { type: "integer", primaryKey: true, identity: true },
              title: { type: "text" },
              tags: { type: "string", array: true },
              rating: { type: "enum", enum: "MpaaRating" },
              fulltext: { type: "tsvector", generated: { sql: "to_tsvector('simple', coalesce(title, ''))" } },
              embedding: { type: "vector", dimensions: 3 },
            },
          },
        },
      } as unknown as BusmModel),
    );
    await expect(mermaid.parse(diagram)).resolves.toMatchObject({ diagramType: "er" });
    expect(diagram).toContain('    integer film_id PK "identity"');
    expect(diagram).toContain("    string[] tags");
    expect(diagram).toContain("    vector(3) embedding");
    expect(diagram).toMatch(/ {4}tsvector fulltext "generated from to_tsvector/);
    expect(diagram).toContain('    enum rating "one of: G | PG"');
  });

  it("show keys, required fields and crow's-foot cardinalities", () => {
    const diagram = renderErDiagram(
      modelView({
        busm: "1",
        entities: {
          Account: {
            fields: {
              code: { type: "string", maxLength: 20, unique: true, required: true },
              parent_id: { type: "uuid", references: "Account" },
            },
          },
          Location: { fields: { account_id: { type: "uuid", references: "Account", required: true } } },
          Profile: { fields: { account_id: { type: "uuid" } } },
          Tag: { fields: { label: { type: "string" } } },
        },
        relationships: [
          { from: "Profile", to: "Account", type: "one-to-one", field: "account_id" },
          { from: "Account", to: "Tag", type: "many-to-many" },
        ],
      }),
    );
    expect(diagram).toContain("    uuid id PK");
    expect(diagram).toContain('    string(20) code UK "required"');
    expect(diagram).toContain('  E_Location }o--|| E_Account : "account"'); // many locations, exactly one account
    expect(diagram).toContain('  E_Account }o--o| E_Account : "parent"'); // self-reference, optional
    expect(diagram).toContain('  E_Profile |o--o| E_Account : "account"'); // one-to-one
    expect(diagram).toContain('  E_account_tags }o--|| E_Tag : "tag"'); // many-to-many through its join table
    expect(diagram).toContain('  E_account_tags }o--|| E_Account : "account"');
  });

  it("quote every name, comment and enum value safely", async () => {
    const diagram = renderErDiagram(modelView(hostileModel));
    await expect(mermaid.parse(diagram)).resolves.toBeTruthy();
    expect(diagram).not.toMatch(/"[^"\n]*"[^"\n :]*"/); // no stray quote inside a quoted string
    expect(diagram).toContain("#quot;fine#quot;");
  });

  it(`shows an overview beyond ${OVERVIEW_THRESHOLD} entities, and every field below it`, async () => {
    const entities = Object.fromEntries(
      Array.from({ length: OVERVIEW_THRESHOLD + 1 }, (_, i) => [
        `E${i}`,
        { fields: { name: { type: "string" }, ...(i ? { prev_id: { type: "uuid", references: `E${i - 1}` } } : {}) } },
      ]),
    );
    const big = buildConceptViews({ model: { busm: "1", entities }, modules: [] }).views[0];
    expect(big?.overview).toBe(true);
    expect(big?.diagram).not.toContain("{");
    await expect(mermaid.parse(big?.diagram ?? "")).resolves.toBeTruthy();
    const small = buildConceptViews(await exampleInput()).views[0];
    expect(small?.overview).toBe(false);
  });

  it("writes Markdown with the field tables, the enums and what a module leaves out", async () => {
    const files = renderConceptDocs(await exampleInput(), "/* mermaid */");
    expect(files.map((f) => f.path.split("/").pop())).toEqual([
      "busm.md",
      "account-management.md",
      "master-view.md",
      "service-scheduler.md",
      "index.html",
    ]);
    const busm = files[0]?.content ?? "";
    expect(busm).toContain("| account_number (UK) | string(20) | yes |  |  |  |");
    expect(busm).toContain("- **AccountType**: `Residential`, `Commercial`, `Industrial`");
    expect(busm).toContain("```mermaid\nerDiagram");
    const module = files[1]?.content ?? "";
    expect(module).toMatch(/Left out by this module: `account_number`, .*`notes`\./);
    const hostile =
      renderConceptDocs({ model: hostileModel, modules: [] }, "").find((f) => f.path.endsWith("busm.md"))?.content ??
      "";
    expect(hostile).toContain('It\'s "done" — #1 \\| a\\|b');
  });
});

describe("join tables", () => {
  it("show the columns the reader builds (species_id, not specie_id)", async () => {
    const { buildModelSchema } = await import("@dbgen/busm-reader");
    const model = {
      busm: "1",
      entities: {
        Technician: { fields: { name: { type: "string" } } },
        Species: { fields: { name: { type: "string" } } },
      },
      relationships: [{ from: "Technician", to: "Species", type: "many-to-many" }],
    } as const;
    const view = modelView(model as never);
    const join = view.entities.find((e) => e.isJoinTable);
    const built = buildModelSchema(model as never).tables.find((t) => !t.entity);
    expect(join?.table).toBe(built?.name);
    expect(join?.fields.map((f) => f.name)).toEqual(built?.columns.map((c) => c.name));
    expect(join?.fields.map((f) => f.name)).toContain("species_id");
  });
});

describe("the access matrix (who may do what)", () => {
  it("shows each entity's audiences per operation, shorthand modes read as their audiences", async () => {
    const { views } = buildConceptViews(await exampleInput());
    const busm = views.find((v) => v.view.id === "busm")?.view;
    if (!busm) throw new Error("no whole-model view");
    const markdown = renderMarkdown(busm, { isModule: false });
    const row = (entity: string) => markdown.split("\n").find((l) => l.startsWith(`| ${entity} `));
    expect(markdown).toContain("| entity | select | insert | update | delete | owner | scope |");
    expect(row("Account")).toBe("| Account (`owner`) | owner | owner | owner | owner | owner_id |  |");
    expect(row("Service")).toBe(
      "| Service (`public-read`) | public | authenticated | authenticated | authenticated |  |  |",
    );
    expect(row("Location")).toBe(
      "| Location (`parent`) | via:account_id | via:account_id | via:account_id | via:account_id |  |  |",
    );
    expect(row("WorkOrder")).toContain("tenant(tenant_id = tenant_id)");
    expect(row("User")).toBe("| User (`service-only`) |  |  |  |  |  |  |");
  });

  it("shows per-operation rules, scopes and members, escaped for Markdown", () => {
    const view = modelView({
      busm: "1",
      entities: {
        Org: {
          fields: { id: { type: "uuid", primaryKey: true } },
          members: { entity: "Member", user: "user_id", role: "role", creatorRole: "owner" },
          access: { select: ["members"], insert: ["authenticated"], update: ["members:owner|admin"] },
        },
        Member: {
          fields: {
            id: { type: "uuid", primaryKey: true },
            org_id: { type: "uuid", references: "Org" },
            user_id: { type: "uuid", references: "auth.users" },
            role: { type: "string" },
          },
          access: { scope: "org_id", select: ["members", "self"], delete: ["self"] },
        },
      },
    } as unknown as BusmModel);
    const markdown = renderMarkdown(view, { isModule: false });
    expect(markdown).toContain(
      "| Org | members | authenticated | members:owner\\|admin |  |  | itself, members Member.user_id (role: role; creator: owner) |",
    );
    expect(markdown).toContain("| Member | members, self |  |  | self |  | org_id |");
  });
});
