// One model size, in its own process so its peak memory is its own: node src/size.mjs N M
// Prints one JSON line: medians (ms) per stage, the floor, and peak RSS.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyseProject } from "@dbgen/busm-reader";
import { buildConceptViews, renderConceptDocs } from "@dbgen/concept-docs";
import { harden } from "@dbgen/production-hardener";
import { DEFAULT_CONFIG, planIteration } from "@dbgen/prototype-generator";
import { diffSchemas, emptySchema, renderPostgres, renderTypescript } from "@dbgen/schema-core";
import { mergeModules } from "@dbgen/schema-merger";
import { syntheticModel, syntheticModules } from "../../../tooling/bench/synthetic.mjs";

const N = Number(process.argv[2] ?? 1000);
const M = Number(process.argv[3] ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? (N >= 10000 ? 3 : N >= 1000 ? 5 : 9));

function median(fn) {
  const times = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const model = syntheticModel(N);
const busmText = JSON.stringify(model);
const moduleFiles = syntheticModules(model, M);
// A 50-table module for one prototype iteration.
const fifty = syntheticModules(model, 1, 50, 99)[0];

const read = median(() => analyseProject({ file: "busm.json", text: busmText }, moduleFiles));
const project = read.result;
const modules = project.modules.map((m) => ({ name: m.config.module, selection: m.selection }));
const concept = median(() => renderConceptDocs({ model: project.model, modules }, ""));
const fiftyProject = analyseProject({ file: "busm.json", text: busmText }, [fifty]);
const iteration = median(() =>
  planIteration({
    model: project.model,
    module: fiftyProject.modules[0],
    config: DEFAULT_CONFIG,
    generated: [],
    nowMs: 0,
  }),
);
const states = project.modules.map((m) => ({ module: m.config.module, iteration: 1, schema: m.schema }));
const merge = median(() => mergeModules(project.model, states));
const hardened = median(() => harden(merge.result.merged));
const render = median(() => {
  const sql = renderPostgres(diffSchemas(emptySchema(), hardened.result).operations).join("\n");
  return sql.length + renderTypescript(hardened.result).length;
});
// The floor: reading the input JSON and writing output of the same size.
const out = join(tmpdir(), `dbgen-bench-floor-${process.pid}.json`);
const floor = median(() => {
  const parsed = JSON.parse(busmText);
  writeFileSync(out, JSON.stringify(parsed));
});
void buildConceptViews;
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    entities: N,
    modules: M,
    tables: merge.result.merged.tables.length,
    runs: RUNS,
    floor: floor.ms,
    stages: {
      read: read.ms,
      concept: concept.ms,
      iteration50: iteration.ms,
      merge: merge.ms,
      harden: hardened.ms,
      render: render.ms,
    },
    peakRssMiB: maxRSS / 1024,
  })}\n`,
);
