// Benchmark: one prototype iteration of a typical 10-table module (seed 000 asks < 2 s).
// Run: pnpm bench (or node packages/prototype-generator/bench/generate.mjs after a build).
// Reports the machine, the input size, medians, and each figure as a multiple of a floor measured
// in the same run (parsing and writing JSON of the state's size): the machine is shared and noisy.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyseProject } from "@dbgen/busm-reader";
import { DEFAULT_CONFIG, planIteration } from "@dbgen/prototype-generator";

const TABLES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const entities = {};
for (let i = 0; i < TABLES; i++) {
  const fields = {
    name: { type: "string", required: true },
    code: { type: "string", maxLength: 20, unique: true },
    status: { type: "enum", values: ["Active", "Inactive"], default: "Active" },
    amount: { type: "decimal", precision: 12, scale: 2 },
    notes: { type: "text" },
    created_on: { type: "datetime", default: { sql: "now()" } },
    payload: { type: "json" },
  };
  if (i > 0) fields[`entity${i - 1}_id`] = { type: "uuid", references: `Entity${i - 1}` };
  entities[`Entity${i}`] = { access: { mode: "authenticated" }, fields };
}
const busm = JSON.stringify({ busm: "1", entities });
const moduleText = (extra) =>
  [
    "module: bench",
    "phase: 1",
    `entities: [${Object.keys(entities).join(", ")}]`,
    "fields:",
    ...Object.entries(entities).map(
      ([name, e]) =>
        `  ${name}: [id, ${Object.keys(e.fields)
          .filter((f) => extra || f !== "notes")
          .join(", ")}]`,
    ),
    "relationships:",
    ...Object.keys(entities)
      .slice(1)
      .map((name, i) => `  - { from: ${name}, to: Entity${i}, type: many-to-one, field: entity${i}_id }`),
  ].join("\n");

function median(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const first = analyseProject({ file: "busm.json", text: busm }, [
  { file: ".pipeline/modules/bench-phase1.yaml", text: moduleText(false) },
]);
const second = analyseProject({ file: "busm.json", text: busm }, [
  { file: ".pipeline/modules/bench-phase1.yaml", text: moduleText(true) },
]);
const base = { model: first.model, config: DEFAULT_CONFIG, nowMs: Date.UTC(2026, 0, 1) };
const iteration1 = planIteration({ ...base, module: first.modules[0], generated: [] });
const generated = [
  { iteration: 1, state: JSON.parse(iteration1.state.content), migrationFile: "x.sql", version: "20260101000000" },
];

const dir = mkdtempSync(join(tmpdir(), "dbgen-bench-"));
const stateText = iteration1.state.content;
const outputSize = [iteration1.migration, iteration1.rollback, iteration1.state, iteration1.types].reduce(
  (n, f) => n + f.content.length,
  0,
);
const floor = median(() => {
  writeFileSync(join(dir, "floor.json"), JSON.stringify(JSON.parse(stateText)));
});
const create = median(() => planIteration({ ...base, module: first.modules[0], generated: [] }));
const change = median(() =>
  planIteration({ ...base, model: second.model, module: second.modules[0], generated, nowMs: base.nowMs + 1000 }),
);
const read = median(() =>
  analyseProject({ file: "busm.json", text: busm }, [
    { file: ".pipeline/modules/bench-phase1.yaml", text: moduleText(true) },
  ]),
);

// The whole command as a user runs it: a cold `dbgen generate --no-apply` process.
const bin = fileURLToPath(new URL("../../../apps/cli/dist/bin.js", import.meta.url));
const cliTimes = [];
for (let i = 0; i < 5; i++) {
  const root = join(dir, `p${i}`);
  mkdirSync(join(root, ".pipeline/modules"), { recursive: true });
  mkdirSync(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  writeFileSync(join(root, ".pipeline/factory-tools/busm-reader/busm-model.json"), busm);
  writeFileSync(join(root, ".pipeline/modules/bench-phase1.yaml"), moduleText(false));
  const t = performance.now();
  execFileSync(process.execPath, [bin, "--root", root, "generate", "--no-apply"], { stdio: "ignore" });
  cliTimes.push(performance.now() - t);
}
cliTimes.sort((a, b) => a - b);
const cli = cliTimes[2];
rmSync(dir, { recursive: true, force: true });

const ms = (x) => `${x.toFixed(3)} ms`;
const rows = [
  ["floor: parse + write the state JSON", floor],
  ["read + check BUSM and module (10 tables)", read],
  ["iteration 1: diff + render SQL, rollback, types, state", create],
  ["iteration 2 (10 added columns): diff + render + types", change],
  ["CLI `dbgen generate --no-apply`, cold process (median of 5)", cli],
];
console.log(
  `machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`,
);
console.log(
  `input: ${TABLES} tables, ${Object.values(entities).reduce((n, e) => n + Object.keys(e.fields).length + 1, 0)} columns; output ${outputSize} bytes; ${RUNS} runs, medians`,
);
for (const [label, value] of rows)
  console.log(`${label.padEnd(62)} ${ms(value).padStart(12)}  ${(value / floor).toFixed(1).padStart(8)}× floor`);
console.log(`target: one iteration under 2 s (PRD) — ${create < 2000 && cli < 2000 ? "met" : "MISSED"}`);
