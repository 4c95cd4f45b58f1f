/**
 * @dbgen/seed — deterministic, constraint-true seed data from the schema IR (and the model's facts):
 * `planSeed(schema, model, { seed, rows, rowsPer })` gives the SQL and the rows per table.
 *
 * @example
 * const seed = planSeed(productionSchema, modelSchema, { seed: "demo", rows: 20 });
 * console.log(seed.sql);
 */
export { planSeed, type SeedOptions, type SeedPlan } from "./plan.js";
export { keyedUuid } from "./random.js";
export { type SeedValue, valueFor } from "./values.js";
