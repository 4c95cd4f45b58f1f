// `pnpm bench`: every stage at 100, 1,000 and 10,000 entities (each size in its own process, for its
// peak memory), the CLI's cold start, and drizzle-kit on the same 1,000-table schema. Writes
// docs/benchmarks.md and docs/benchmarks.json. Medians; ratios against a floor measured in the same
// run (the machine is shared and noisy: compare ratios, not single times).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const repo = here("../../../");
const SIZES = (process.env.BENCH_SIZES ?? "100:10,1000:20,10000:200").split(",").map((s) => s.split(":").map(Number));

const run = (script, args = []) =>
  JSON.parse(
    execFileSync(process.execPath, [here(script), ...args.map(String)], { encoding: "utf8", maxBuffer: 1 << 26 })
      .trim()
      .split("\n")
      .pop(),
  );
console.log("measuring sizes…");
const sizes = SIZES.map(([n, m]) => {
  const r = run("./size.mjs", [n, m]);
  console.log(
    `  ${n} entities, ${m} modules: ${Object.entries(r.stages)
      .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
      .join(", ")}; peak ${r.peakRssMiB.toFixed(0)} MiB`,
  );
  return r;
});

// CLI cold start: `node` on the built entry, not through pnpm.
const bin = here("../../cli/dist/bin.js");
const cold = (args) => {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [bin, "--root", repo, ...args], { stdio: "ignore" });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[3];
};
const nodeFloor = (() => {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[3];
})();
console.log("measuring the CLI's cold start…");
const cli = {
  nodeFloor,
  validate: cold(["validate"]),
  preview: cold(["preview", "--module", "account-management"]),
  help: cold(["--help"]),
};
console.log("measuring drizzle-kit on the same 1,000-table schema…");
const peer = run("./peer.mjs");
console.log("measuring seed 004's generator…");
const spec = run("./spec.mjs");
console.log("measuring the embedded database (generate with apply, status, all)…");
const embedded = run("./embedded.mjs");
console.log("measuring seed data (100,000 rows)…");
const seedData = run("./seed.mjs");

const STAGES = ["read", "concept", "iteration50", "merge", "harden", "render"];
const LABELS = {
  read: "read + validate BUSM and modules",
  concept: "concept docs",
  iteration50: "one prototype iteration (50-table module)",
  merge: "merge all modules",
  harden: "harden",
  render: "render production SQL + types",
};
const at = (n) => sizes.find((s) => s.entities === n);
const growth = (stage) => {
  const a = at(1000);
  const b = at(10000);
  if (!a || !b) return undefined;
  const av = stage === "floor" ? a.floor : a.stages[stage];
  const bv = stage === "floor" ? b.floor : b.stages[stage];
  return Math.log(bv / av) / Math.log(b.entities / a.entities);
};
const big = at(10000);
const pipeline = big ? STAGES.filter((s) => s !== "iteration50").reduce((n, s) => n + big.stages[s], 0) : undefined;
const verdict = (ok) => (ok ? "met" : "**missed**");
const targets = [
  ...(big
    ? [
        [
          `whole pipeline at 10,000 entities / 200 modules under 3 s`,
          `${(pipeline / 1000).toFixed(2)} s`,
          verdict(pipeline < 3000),
        ],
        [
          `peak memory at 10,000 entities under 1 GiB`,
          `${big.peakRssMiB.toFixed(0)} MiB`,
          verdict(big.peakRssMiB < 1024),
        ],
        ...STAGES.map((s) => [
          `${LABELS[s]}: growth exponent 1k→10k ≤ 1.15`,
          (growth(s) ?? 0).toFixed(2),
          verdict((growth(s) ?? 0) <= 1.15),
        ]),
      ]
    : []),
  [
    `a 50-table iteration under 20 ms in-process`,
    `${Math.max(...sizes.map((s) => s.stages.iteration50)).toFixed(1)} ms`,
    verdict(Math.max(...sizes.map((s) => s.stages.iteration50)) < 20),
  ],
  [`seed 004: a 10-table migration under 500 ms`, `${spec.generate10.toFixed(1)} ms`, verdict(spec.generate10 < 500)],
  [
    `seed 004: introspecting 100 tables (SQLite) under 1 s`,
    `${spec.introspect100.toFixed(1)} ms`,
    verdict(spec.introspect100 < 1000),
  ],
  [
    `seed data: ${seedData.rows.toLocaleString("en")} rows generated in under 10 s`,
    `${(seedData.generate / 1000).toFixed(2)} s`,
    verdict(seedData.generate < 10_000),
  ],
  [
    "CLI cold start: `dbgen validate` within 1.6× `node -e 0`",
    `${(cli.validate / cli.nodeFloor).toFixed(2)}× (${cli.validate.toFixed(0)} ms)`,
    verdict(cli.validate / cli.nodeFloor <= 1.6),
  ],
  [
    "CLI cold start: `dbgen preview` within 1.6× `node -e 0`",
    `${(cli.preview / cli.nodeFloor).toFixed(2)}× (${cli.preview.toFixed(0)} ms)`,
    verdict(cli.preview / cli.nodeFloor <= 1.6),
  ],
  [
    `\`dbgen generate\` with apply on a new embedded database (${embedded.module}) under 1.6× PGlite's open`,
    `${(embedded.generate / embedded.pgliteOpen).toFixed(2)}× (${embedded.generate.toFixed(0)} ms)`,
    verdict(embedded.generate / embedded.pgliteOpen < 1.6),
  ],
  [
    `\`dbgen generate\` with apply on a new embedded database under 2 s`,
    `${(embedded.generate / 1000).toFixed(2)} s`,
    verdict(embedded.generate < 2000),
  ],
  [
    "`dbgen status` under 1.3× PGlite's open",
    `${(embedded.status / embedded.pgliteOpen).toFixed(2)}× (${embedded.status.toFixed(0)} ms)`,
    verdict(embedded.status / embedded.pgliteOpen < 1.3),
  ],
  [
    `\`dbgen all\` on the example under 2.5 s`,
    `${(embedded.all / 1000).toFixed(2)} s, peak ${embedded.allPeakRssMiB.toFixed(0)} MiB`,
    verdict(embedded.all < 2500),
  ],
  [
    `≥ 5× faster than drizzle-kit's API, first generation`,
    `${(peer.inProcess.drizzleKitApi.first / peer.inProcess.dbgen.first).toFixed(1)}×`,
    verdict(peer.inProcess.drizzleKitApi.first / peer.inProcess.dbgen.first >= 5),
  ],
  [
    `≥ 5× faster than drizzle-kit's API, 50-column change`,
    `${(peer.inProcess.drizzleKitApi.change / peer.inProcess.dbgen.change).toFixed(1)}×`,
    verdict(peer.inProcess.drizzleKitApi.change / peer.inProcess.dbgen.change >= 5),
  ],
  [
    `≥ 5× faster than drizzle-kit's CLI, first generation`,
    `${(peer.processes.drizzleKitCli.first / peer.processes.dbgen.first).toFixed(1)}×`,
    verdict(peer.processes.drizzleKitCli.first / peer.processes.dbgen.first >= 5),
  ],
  [
    `≥ 5× faster than drizzle-kit's CLI, 50-column change`,
    `${(peer.processes.drizzleKitCli.change / peer.processes.dbgen.change).toFixed(1)}×`,
    verdict(peer.processes.drizzleKitCli.change / peer.processes.dbgen.change >= 5),
  ],
];

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString().slice(0, 10),
};
const ms = (x) => `${x.toFixed(1)} ms`;
const md = [
  "# Benchmarks",
  "",
  "Written by `pnpm bench` (`apps/bench`); do not edit. Medians; every stage also as a multiple of the floor",
  "(reading the input JSON and writing output of the same size) measured in the same run, since the machine",
  "is shared and noisy. Each model size runs in its own process, so its peak memory is its own.",
  "",
  `Machine: ${machine.cpu} × ${machine.cores}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.date}.`,
  "",
  "Input: a seeded synthetic model (`tooling/bench/synthetic.mjs`): entities of 6–12 fields with a realistic mix",
  "of types, foreign keys to earlier entities (about 1 in 20 to a later one, making cycles) and self-references,",
  "and modules of 30 overlapping entities each.",
  "",
  "## Stages",
  "",
  `| stage | ${sizes.map((s) => `${s.entities} entities / ${s.modules} modules`).join(" | ")} | growth 1k→10k |`,
  `| --- | ${sizes.map(() => "---").join(" | ")} | --- |`,
  `| floor | ${sizes.map((s) => ms(s.floor)).join(" | ")} | ${(growth("floor") ?? 0).toFixed(2)} |`,
  ...STAGES.map(
    (st) =>
      `| ${LABELS[st]} | ${sizes.map((s) => `${ms(s.stages[st])} (${(s.stages[st] / s.floor).toFixed(1)}×)`).join(" | ")} | ${(growth(st) ?? 0).toFixed(2)} |`,
  ),
  `| tables merged | ${sizes.map((s) => s.tables).join(" | ")} | |`,
  `| peak memory (whole process) | ${sizes.map((s) => `${s.peakRssMiB.toFixed(0)} MiB`).join(" | ")} | |`,
  "",
  "## CLI cold start (a new `node` process on the built entry, on the example project)",
  "",
  `| command | median |`,
  `| --- | --- |`,
  `| floor: \`node -e 0\` | ${ms(cli.nodeFloor)} |`,
  `| \`dbgen validate\` | ${ms(cli.validate)} (${(cli.validate / cli.nodeFloor).toFixed(2)}×) |`,
  `| \`dbgen preview --module account-management\` | ${ms(cli.preview)} (${(cli.preview / cli.nodeFloor).toFixed(2)}×) |`,
  `| \`dbgen --help\` | ${ms(cli.help)} (${(cli.help / cli.nodeFloor).toFixed(2)}×) |`,
  "",
  "The CLI is one esbuild bundle with a chunk per command (`apps/cli/build.mjs`); the JSON Schema validators",
  "are compiled ahead of time (ajv standalone); nothing heavy (PGlite, knex, the SQL parser, Mermaid) loads",
  "on a path that does not use it.",
  "",
  "## The embedded database (PGlite), as processes",
  "",
  "| | median | × PGlite's open |",
  "| --- | --- | --- |",
  `| floor: a new \`node\` opening an existing PGlite data directory | ${ms(embedded.pgliteOpen)} | 1 |`,
  `| the same, with dbgen's V8 setting for PGlite (\`--liftoff-only\`) | ${ms(embedded.pgliteOpenLiftoff)} | ${(embedded.pgliteOpenLiftoff / embedded.pgliteOpen).toFixed(2)}× |`,
  `| \`dbgen generate --module ${embedded.module}\` with apply, new embedded database | ${ms(embedded.generate)} | ${(embedded.generate / embedded.pgliteOpen).toFixed(2)}× (${(embedded.generate / embedded.pgliteOpenLiftoff).toFixed(2)}× the Liftoff open) |`,
  `| \`dbgen status --module ${embedded.module}\` | ${ms(embedded.status)} | ${(embedded.status / embedded.pgliteOpen).toFixed(2)}× (${(embedded.status / embedded.pgliteOpenLiftoff).toFixed(2)}× the Liftoff open) |`,
  `| \`dbgen all\` on the example (peak ${embedded.allPeakRssMiB.toFixed(0)} MiB) | ${ms(embedded.all)} | |`,
  "",
  "New embedded databases and proofs start from a data directory made at build time",
  "(`packages/db/scripts/pgdata.mjs`, PGlite's `dumpDataDir`/`loadDataDir`) instead of running initdb; it",
  "holds only `template1`, the database PGlite opens. dbgen's CLI runs PGlite's WebAssembly on V8's",
  "baseline compiler only (no optimising recompile on background threads, which a process must wait for",
  "before it can exit) and exits as soon as its work is done; `dbgen seed` keeps the optimising compiler",
  "for large loads. The floor above is PGlite's default; the Liftoff row is the like-for-like floor.",
  "",
  `## Against drizzle-kit (${peer.tables} tables, the same schema: dbgen's IR emitted as a drizzle-orm schema)`,
  "",
  "| | dbgen | drizzle-kit | ratio |",
  "| --- | --- | --- | --- |",
  `| in-process, first generation (diff + SQL / \`generateDrizzleJson\` + \`generateMigration\`) | ${ms(peer.inProcess.dbgen.first)} | ${ms(peer.inProcess.drizzleKitApi.first)} | ${(peer.inProcess.drizzleKitApi.first / peer.inProcess.dbgen.first).toFixed(1)}× |`,
  `| in-process, 50-column change | ${ms(peer.inProcess.dbgen.change)} | ${ms(peer.inProcess.drizzleKitApi.change)} | ${(peer.inProcess.drizzleKitApi.change / peer.inProcess.dbgen.change).toFixed(1)}× |`,
  `| CLI, first generation (\`dbgen generate --no-apply\` / \`drizzle-kit generate\`) | ${ms(peer.processes.dbgen.first)} | ${ms(peer.processes.drizzleKitCli.first)} | ${(peer.processes.drizzleKitCli.first / peer.processes.dbgen.first).toFixed(1)}× |`,
  `| CLI, 50-column change | ${ms(peer.processes.dbgen.change)} | ${ms(peer.processes.drizzleKitCli.change)} | ${(peer.processes.drizzleKitCli.change / peer.processes.dbgen.change).toFixed(1)}× |`,
  "",
  "dbgen's CLI also writes the rollback, the state snapshot and the types; drizzle-kit writes its SQL and snapshot.",
  "",
  "## Seed 004's generator (`@dbgen/spec-migrations`, SQLite through sql.js, in-process)",
  "",
  "| | median |",
  "| --- | --- |",
  `| \`generateMigration\` for 10 tables | ${ms(spec.generate10)} |`,
  `| introspecting 100 tables | ${ms(spec.introspect100)} |`,
  "",
  `## Seed data (\`@dbgen/seed\`, the example's production schema, ${seedData.tables} tables)`,
  "",
  "| | median |",
  "| --- | --- |",
  `| generating ${seedData.rows.toLocaleString("en")} rows (${(seedData.bytes / 2 ** 20).toFixed(1)} MiB of multi-row INSERTs) | ${ms(seedData.generate)} (${(seedData.generate / seedData.floor).toFixed(1)}× writing the same bytes) |`,
  `| loading them into a fresh PGlite with the schema's triggers and audit log, one transaction | ${ms(seedData.load)} |`,
  "",
  "## Targets",
  "",
  "| target | figure | |",
  "| --- | --- | --- |",
  ...targets.map(([t, f, v]) => `| ${t} | ${f} | ${v} |`),
  "",
];
writeFileSync(`${repo}docs/benchmarks.md`, `${md.join("\n")}`);
writeFileSync(
  `${repo}docs/benchmarks.json`,
  `${JSON.stringify({ machine, sizes, cli, peer, embedded, seed: seedData, targets: targets.map(([target, figure, verdict]) => ({ target, figure, met: verdict === "met" })) }, null, 2)}\n`,
);
console.log(md.slice(md.indexOf("## Targets")).join("\n"));
