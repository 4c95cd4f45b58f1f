// Where users wait on the embedded database, as processes, against PGlite's own time to open a data
// directory in a new `node` process (the floor): `dbgen generate` with apply on a new embedded
// database for the example's largest module, `dbgen status` on it, and `dbgen all` on the example
// (with its peak memory, from inside the process). Prints one JSON line.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../cli/dist/bin.js", import.meta.url));
const index = new URL("../../cli/dist/index.js", import.meta.url).href;
const pglite = new URL("../node_modules/@electric-sql/pglite/dist/index.js", import.meta.url).href;
const tmp = mkdtempSync(join(tmpdir(), "dbgen-bench-embedded-"));
const time = (args, cwd = repo) => {
  const t = performance.now();
  execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
  return performance.now() - t;
};
const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MODULE = "account-management";

/** A copy of the example with its largest module's file and no state: its first generation builds every table. */
const project = (i) => {
  const root = join(tmp, `project-${i}`);
  mkdirSync(join(root, ".pipeline/modules"), { recursive: true });
  cpSync(join(repo, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), { recursive: true });
  cpSync(join(repo, `.pipeline/modules/${MODULE}-phase1.yaml`), join(root, `.pipeline/modules/${MODULE}-phase1.yaml`));
  return root;
};
const generate = [];
const status = [];
const open = [];
// The same open with the V8 setting dbgen's CLI uses for PGlite (Liftoff only, see apps/cli/src/cli.ts):
// what PGlite itself costs under dbgen's conditions, so the ratio against it is dbgen's own overhead.
const openLiftoff = [];
for (let i = 0; i < 3; i++) {
  const root = project(i);
  generate.push(time([bin, "--root", root, "generate", "--module", MODULE, "--iteration", "1"]));
  for (let k = 0; k < 2; k++) status.push(time([bin, "--root", root, "status", "--module", MODULE]));
  const dir = join(root, `.pipeline/database/dev/${MODULE}`);
  const openScript = `const { PGlite } = await import(${JSON.stringify(pglite)}); const db = new PGlite(${JSON.stringify(dir)}); await db.waitReady; await db.close();`;
  for (let k = 0; k < 2; k++) {
    open.push(time(["--input-type=module", "-e", openScript]));
    openLiftoff.push(time(["--liftoff-only", "--input-type=module", "-e", openScript]));
  }
}
const all = [];
for (let i = 0; i < 3; i++) all.push(time([bin, "--root", repo, "all"]));
// Peak memory from inside one more run: the CLI's main(), then the process's own maximum RSS.
const measured = spawnSync(
  process.execPath,
  [
    "--input-type=module",
    "-e",
    `const { main } = await import(${JSON.stringify(index)}); await main(["--root", ${JSON.stringify(repo)}, "--json", "all"]); process.stderr.write("\\n" + JSON.stringify({ rss: process.resourceUsage().maxRSS }) + "\\n");`,
  ],
  { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 26 },
);
const peakRssMiB = JSON.parse(measured.stderr.trim().split("\n").pop()).rss / 1024;
rmSync(tmp, { recursive: true, force: true });
console.log(
  JSON.stringify({
    module: MODULE,
    pgliteOpen: mid(open),
    pgliteOpenLiftoff: mid(openLiftoff),
    generate: mid(generate),
    status: mid(status),
    all: mid(all),
    allPeakRssMiB: peakRssMiB,
  }),
);
