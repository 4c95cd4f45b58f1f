/** The example's modules merge, and the merged schema applies on PGlite and PostgreSQL 15 as it says. */
import { fileURLToPath } from "node:url";
import { modelFacts, readProject } from "@dbgen/busm-reader";
import { applyStatements, introspectPostgres, openDatabase } from "@dbgen/db";
import { diffSchemas, emptySchema, physicalShape, renderPostgres } from "@dbgen/schema-core";
import { targetEngines } from "@dbgen/tooling/targets";
import { describe, expect, it } from "vitest";
import { mergeModules, readLatestStates, readResolutions } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

describe.each(targetEngines())("the example's merge on $name", (engine) => {
  it.skipIf(engine.skipReason !== "")("applies, and introspects back to the merged schema", async () => {
    const project = await readProject(REPO);
    if (!project.model) throw new Error("no model");
    const states = await readLatestStates(REPO);
    expect(states.map((s) => s.module)).toEqual(["account-management", "master-view", "service-scheduler"]);
    const result = mergeModules(modelFacts(project.model), states, await readResolutions(REPO));
    for (const s of states) expect(result.report).toContain(`${s.module} (iteration ${s.iteration})`);
    const fresh = await engine.fresh();
    const db = await openDatabase(fresh.target);
    try {
      await applyStatements(db.knex, renderPostgres(diffSchemas(emptySchema(), result.merged).operations));
      expect(physicalShape(await introspectPostgres(db.knex))).toEqual(physicalShape(result.merged));
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});

describe("the merge report's access section", () => {
  it("lists who may do what per table, and what changed in access since the previous merge", async () => {
    const project = await readProject(REPO);
    if (!project.model) throw new Error("no model");
    const states = await readLatestStates(REPO);
    const resolutions = await readResolutions(REPO);
    const first = mergeModules(modelFacts(project.model), states, resolutions);
    expect(first.report).toContain("| accounts | owner | owner | owner | owner |");
    expect(first.report).toContain("| services | public | authenticated | authenticated | authenticated |");
    expect(first.report).toMatch(/### Access changes since the last merge\n\nNone\.\n/);
    // Accounts become readable by every signed-in user, still written by their owner only.
    const widened = {
      ...project.model,
      entities: {
        ...project.model.entities,
        Account: {
          ...project.model.entities.Account,
          access: {
            owner: "owner_id",
            select: ["authenticated"],
            insert: ["owner"],
            update: ["owner"],
            delete: ["owner"],
          },
        },
      },
    } as typeof project.model;
    const second = mergeModules(modelFacts(widened), states, resolutions, { previous: first.merged });
    expect(second.report).toContain("| accounts | authenticated | owner | owner | owner |");
    expect(second.report).toMatch(
      /### Access changes since the last merge\n\n- accounts select: owner → authenticated\n\n/,
    );
    expect(mergeModules(modelFacts(widened), states, resolutions, { previous: second.merged }).report).toMatch(
      /### Access changes since the last merge\n\nNone\.\n/,
    );
  });
});
