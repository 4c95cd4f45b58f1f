/** The ahead-of-time validators are what the JSON Schemas give now (run `pnpm validators:generate` when not). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GENERATED } from "../scripts/validators.js";

describe("the generated validators", () => {
  it.each(Object.keys(GENERATED))("%s is up to date", (path) => {
    const committed = readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8");
    expect(committed, "run pnpm validators:generate").toBe(GENERATED[path]?.());
  });
});
