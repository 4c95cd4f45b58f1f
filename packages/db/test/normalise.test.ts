/** Expressions compared through the database's own printing: what dbgen wrote, read back as PostgreSQL prints it. */
import { diffSchemas, emptySchema, physicalShape, renderPostgres, type Schema } from "@dbgen/schema-core";
import { targetEngines } from "@dbgen/tooling/targets";
import { describe, expect, it } from "vitest";
import { applyStatements, introspectPostgres, openDatabase, printedExpressions } from "../src/index.js";

const written: Schema = {
  name: "public",
  enums: [],
  tables: [
    {
      name: "tickets",
      columns: [
        {
          name: "id",
          type: { name: "uuid" },
          nullable: false,
          default: { kind: "expression", sql: "gen_random_uuid()" },
        },
        { name: "status", type: { name: "varchar", length: 20 }, nullable: true },
        {
          name: "code",
          type: { name: "text" },
          nullable: true,
          default: { kind: "expression", sql: "upper(md5(CAST(random() AS text)))" },
        },
      ],
      primaryKey: { name: "tickets_pkey", columns: ["id"] },
      foreignKeys: [],
      uniques: [],
      checks: [{ name: "tickets_status_check", expression: "status IN ('a', 'b')" }],
      indexes: [{ name: "tickets_open_idx", columns: ["status"], unique: false, where: "status IN ('a', 'b')" }],
    },
  ],
};

for (const engine of targetEngines()) {
  describe.skipIf(engine.skipReason !== "")(`expressions as ${engine.name} prints them`, () => {
    it("make a schema equal to the database built from it, and leave the database as it was", async () => {
      const target = await engine.fresh();
      const db = await openDatabase(target.target);
      try {
        await applyStatements(db.knex, renderPostgres(diffSchemas(emptySchema(), written).operations));
        const live = await introspectPostgres(db.knex);
        const shape = (s: Schema) => physicalShape(s, { columnOrder: "name" });
        expect(shape(written)).not.toEqual(shape(live));
        const printed = await printedExpressions(db.knex, written);
        expect(shape(printed)).toEqual(shape(live));
        expect(shape(await introspectPostgres(db.knex))).toEqual(shape(live));
      } finally {
        await db.close();
        await target.drop();
      }
    });
  });
}
