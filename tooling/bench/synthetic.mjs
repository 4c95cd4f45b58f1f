// A seeded synthetic model for benchmarks: N entities with realistic field mixes, foreign keys
// (with cycles and self-references), and M modules selecting overlapping subsets.
// Plain JavaScript so any bench script can import it without a build.

/** mulberry32: a small, fast, seeded PRNG, so every run builds the same model. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELD_KINDS = [
  () => ({ type: "string", maxLength: 120 }),
  () => ({ type: "string", maxLength: 40, required: true }),
  () => ({ type: "text" }),
  () => ({ type: "integer", min: 0 }),
  () => ({ type: "decimal", precision: 12, scale: 2 }),
  () => ({ type: "boolean", default: false }),
  () => ({ type: "datetime", default: { sql: "now()" } }),
  () => ({ type: "date" }),
  () => ({ type: "enum", values: ["New", "Active", "Closed"], default: "New" }),
  () => ({ type: "json" }),
  () => ({ type: "email" }),
  () => ({ type: "phone" }),
];

/** A BUSM with `entities` entities of 6–12 fields; about a third reference an earlier entity, some a later one (cycles) or themselves. */
export function syntheticModel(entities, seed = 42) {
  const rnd = random(seed);
  const out = {};
  for (let i = 0; i < entities; i++) {
    const fields = {};
    const count = 6 + Math.floor(rnd() * 7);
    for (let f = 0; f < count; f++) fields[`field_${f}`] = FIELD_KINDS[Math.floor(rnd() * FIELD_KINDS.length)]();
    if (i > 0 && rnd() < 0.6) fields.parent_id = { type: "uuid", references: `Entity${Math.floor(rnd() * i)}` };
    if (i > 0 && rnd() < 0.3) fields.other_id = { type: "uuid", references: `Entity${Math.floor(rnd() * i)}` };
    if (rnd() < 0.05) fields.self_id = { type: "uuid", references: `Entity${i}` };
    if (i + 1 < entities && rnd() < 0.05) fields.next_id = { type: "uuid", references: `Entity${i + 1}` };
    out[`Entity${i}`] = { access: { mode: "authenticated" }, fields };
  }
  return { busm: "1", name: `synthetic-${entities}`, entities: out };
}

/** `modules` module files, each selecting `perModule` entities (overlapping) and a subset of their fields. */
export function syntheticModules(model, modules, perModule = 30, seed = 7) {
  const rnd = random(seed);
  const names = Object.keys(model.entities);
  const files = [];
  for (let m = 0; m < modules; m++) {
    const start = Math.floor(rnd() * Math.max(1, names.length - perModule));
    const chosen = names.slice(start, start + perModule);
    const lines = [`module: module-${m}`, "phase: 1", `entities: [${chosen.join(", ")}]`, "fields:"];
    for (const name of chosen) {
      const fields = Object.keys(model.entities[name].fields).filter((f) => !f.endsWith("_id") && rnd() < 0.6);
      lines.push(`  ${name}: [id${fields.length ? `, ${fields.join(", ")}` : ""}]`);
    }
    files.push({ file: `.pipeline/modules/module-${m}-phase1.yaml`, text: `${lines.join("\n")}\n` });
  }
  return files;
}
