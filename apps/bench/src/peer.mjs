// dbgen against drizzle-kit on the same 1,000-table schema, in one process: node src/peer.mjs
// Prints one JSON line. In-process: our diff + SQL against drizzle-kit/api's generateDrizzleJson +
// generateMigration. As processes: `dbgen generate --no-apply` against `drizzle-kit generate`.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildModelSchema } from "@dbgen/busm-reader";
import { diffSchemas, emptySchema, renderPostgres } from "@dbgen/schema-core";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { syntheticModel } from "../../../tooling/bench/synthetic.mjs";
import { drizzleSchemaModule } from "./drizzle.mjs";

const TABLES = Number(process.env.BENCH_PEER_TABLES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const here = fileURLToPath(new URL("..", import.meta.url));
const tmp = join(here, ".tmp");
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

async function median(fn, runs = RUNS) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const model = syntheticModel(TABLES, 11);
const before = buildModelSchema(model);
// The change: one new column on each of 50 tables.
const after = {
  ...before,
  tables: before.tables.map((t, i) =>
    i < 50
      ? {
          ...t,
          columns: [...t.columns, { name: "bench_extra", type: { name: "varchar", length: 80 }, nullable: true }],
        }
      : t,
  ),
};
writeFileSync(join(tmp, "before.mjs"), drizzleSchemaModule(before));
writeFileSync(join(tmp, "after.mjs"), drizzleSchemaModule(after));
const importsBefore = await import(pathToFileURL(join(tmp, "before.mjs")).href);
const importsAfter = await import(pathToFileURL(join(tmp, "after.mjs")).href);

const ours = {
  first: await median(() => renderPostgres(diffSchemas(emptySchema(), before).operations)),
  change: await median(() => renderPostgres(diffSchemas(before, after).operations)),
};
const empty = generateDrizzleJson({});
const drizzleBefore = generateDrizzleJson(importsBefore);
const theirs = {
  first: await median(async () => generateMigration(empty, generateDrizzleJson(importsBefore))),
  change: await median(async () =>
    generateMigration(drizzleBefore, generateDrizzleJson(importsAfter, drizzleBefore.id)),
  ),
};

// As processes. drizzle-kit: `generate` from the schema file; the change is a second run after it.
// The bin is not in drizzle-kit's exports map: find it beside its package.json.
const drizzleBin = join(createRequire(import.meta.url).resolve("drizzle-kit/api"), "..", "bin.cjs");
const cli = (args, cwd) => {
  const t = performance.now();
  execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
  return performance.now() - t;
};
const drizzleCli = { first: [], change: [] };
for (let i = 0; i < 3; i++) {
  const dir = join(tmp, `drizzle-${i}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "schema.mjs"), drizzleSchemaModule(before));
  const args = [drizzleBin, "generate", "--dialect", "postgresql", "--schema", "./schema.mjs", "--out", "./out"];
  drizzleCli.first.push(cli(args, dir));
  writeFileSync(join(dir, "schema.mjs"), drizzleSchemaModule(after));
  drizzleCli.change.push(cli(args, dir));
}
// dbgen: one module with every table; the change adds a module-only column to 50 of them.
const dbgenBin = fileURLToPath(new URL("../../cli/dist/bin.js", import.meta.url));
const entities = Object.keys(model.entities);
const moduleText = (extra) =>
  [
    "module: bench",
    "phase: 1",
    `entities: [${entities.join(", ")}]`,
    "fields:",
    ...entities.map(
      (name, i) =>
        `  ${name}: [id, ${Object.keys(model.entities[name].fields)
          .filter((f) => !f.endsWith("_id"))
          .join(", ")}${extra && i < 50 ? ", { bench_extra: string }" : ""}]`,
    ),
  ].join("\n");
const dbgenCli = { first: [], change: [] };
for (let i = 0; i < 3; i++) {
  const root = join(tmp, `dbgen-${i}`);
  mkdirSync(join(root, ".pipeline/modules"), { recursive: true });
  mkdirSync(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  writeFileSync(join(root, ".pipeline/factory-tools/busm-reader/busm-model.json"), JSON.stringify(model));
  writeFileSync(join(root, ".pipeline/modules/bench-phase1.yaml"), moduleText(false));
  dbgenCli.first.push(cli([dbgenBin, "--root", root, "generate", "--no-apply"], root));
  writeFileSync(join(root, ".pipeline/modules/bench-phase1.yaml"), moduleText(true));
  dbgenCli.change.push(cli([dbgenBin, "--root", root, "generate", "--no-apply"], root));
}
const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    tables: before.tables.length,
    inProcess: { dbgen: ours, drizzleKitApi: theirs },
    processes: {
      dbgen: { first: mid(dbgenCli.first), change: mid(dbgenCli.change) },
      drizzleKitCli: { first: mid(drizzleCli.first), change: mid(drizzleCli.change) },
    },
  })}\n`,
);
