// Benchmark: merging 100 modules over a 2,000-entity model (target: under a second).
// Run: pnpm bench. Medians, against a floor measured in the same run (parsing and serializing the
// module states as JSON), on a shared, noisy machine: compare ratios.
import { cpus, totalmem } from "node:os";
import { analyseProject } from "@dbgen/busm-reader";
import { mergeModules } from "@dbgen/schema-merger";
import { syntheticModel, syntheticModules } from "../../../tooling/bench/synthetic.mjs";

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 2000);
const MODULES = Number(process.env.BENCH_MODULES ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const model = syntheticModel(ENTITIES);
const project = analyseProject({ file: "busm.json", text: JSON.stringify(model) }, syntheticModules(model, MODULES));
const errors = project.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) throw new Error(JSON.stringify(errors.slice(0, 3)));
const states = project.modules.map((m) => ({ module: m.config.module, iteration: 1, schema: m.schema }));
const stateText = JSON.stringify(states);

function measure(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const floor = measure(() => JSON.stringify(JSON.parse(stateText)));
let result;
const merge = measure(() => {
  result = mergeModules(project.model, states);
});
const unionTables = result.union.tables.length;
console.log(
  `machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`,
);
console.log(
  `input: ${ENTITIES} entities, ${MODULES} modules, ${states.reduce((n, s) => n + s.schema.tables.length, 0)} module tables (${(stateText.length / 1e6).toFixed(1)} MB of state); ${RUNS} runs, medians`,
);
console.log(`floor: parse + serialize the states ${floor.toFixed(1).padStart(10)} ms   1.0× floor`);
console.log(
  `merge (union, completion, closure, report) ${merge.toFixed(1).padStart(10)} ms   ${(merge / floor).toFixed(1)}× floor → ${unionTables} union tables, ${result.merged.tables.length} merged tables, ${result.rules.length} rules`,
);
console.log(`target: under 1 s — ${merge < 1000 ? "met" : "MISSED"}`);
