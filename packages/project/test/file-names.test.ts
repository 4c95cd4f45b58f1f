/** The file-name grammar: what a writer names, its reader reads back; anything else reads as nothing. */
import { describe, expect, it } from "vitest";
import {
  isProductionStep,
  migrationVersion,
  productionMigrationName,
  prototypeMigrationFileName,
  readProductionMigrationName,
  readPrototypeMigrationName,
  rollbackFile,
  rollbackFileIteration,
  stateFile,
  stateFileIteration,
  typesFile,
  typesFileIteration,
} from "../src/index.js";

const base = (path: string) => path.slice(path.lastIndexOf("/") + 1);

describe("file names", () => {
  it("reads back every name it writes", () => {
    const paths = { state: "s", rollbacks: "r", types: "t" };
    expect(stateFileIteration(base(stateFile(paths, "crm", 12)))).toBe(12);
    expect(rollbackFileIteration(base(rollbackFile(paths, "crm", 3)))).toBe(3);
    expect(typesFileIteration(base(typesFile(paths, "crm", 7)))).toBe(7);
    const migration = { version: "20250823143000", iteration: 2, description: "create_locations" };
    expect(readPrototypeMigrationName(prototypeMigrationFileName(migration))).toEqual(migration);
    const up = `${productionMigrationName("20250823143000", "production_change_validate")}.sql`;
    expect(readProductionMigrationName(up)).toEqual({
      version: "20250823143000",
      description: "production_change_validate",
    });
    expect(migrationVersion(up)).toBe("20250823143000");
  });
  it("tells a step's files from others, and reads stray names as nothing", () => {
    expect(isProductionStep("20250823143000_production_change.sql", "production_change")).toBe(true);
    expect(isProductionStep("20250823143000_production_change_validate.sql", "production_change")).toBe(true);
    expect(isProductionStep("20250823143000_production_changes.sql", "production_change")).toBe(false);
    expect(isProductionStep("20250823143000_harden.down.sql", "harden")).toBe(false);
    for (const stray of ["iteration-x-schema.json", "notes.sql", "2025_iter1_a.sql", "iteration-1-schema.json.bak"]) {
      expect(stateFileIteration(stray)).toBeUndefined();
      expect(readPrototypeMigrationName(stray)).toBeUndefined();
      expect(readProductionMigrationName(stray)).toBeUndefined();
    }
    expect(migrationVersion("notes.sql")).toBeUndefined();
  });
});
