#!/usr/bin/env node
// `pnpm test`: every test, on a fresh machine too.
// 1. The Debian packages the suites need (tooling/system-packages.json): installed when missing
//    (as root, with apt), else named loudly with the suites that will skip.
// 2. Build every package (turbo; a cache hit when nothing changed).
// 3. vitest over the whole workspace (one PostgreSQL 15 cluster for the run), then one closing
//    line CI can read: "Tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const { packages } = JSON.parse(readFileSync(new URL("../system-packages.json", import.meta.url), "utf8"));

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  return result.status ?? 1;
}

const missing = packages.filter((p) => !existsSync(p.check));
if (missing.length > 0) {
  const names = missing.map((p) => p.name);
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canInstall) {
    console.log(`Installing system packages the tests need: ${names.join(", ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const quiet = { env, stdio: ["ignore", "ignore", "inherit"] };
    run("apt-get", ["update", "-qq"], quiet);
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], quiet);
  }
  for (const p of packages.filter((q) => !existsSync(q.check))) {
    console.error(
      `\n*** SKIPPING ${p.neededBy}: ${p.name} is not installed and could not be installed here (run as root: apt-get install ${p.name}).\n`,
    );
  }
}

if (run("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]) !== 0) {
  console.log("\nTests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "dbgen-test-"));
const summaryFile = join(dir, "summary.json");
const status = run("pnpm", ["exec", "vitest", "run", ...process.argv.slice(2)], {
  env: { ...process.env, DBGEN_SUMMARY_FILE: summaryFile },
});
let line = `Tests: 0 passed, ${status === 0 ? 0 : 1} failed, 0 skipped`;
if (existsSync(summaryFile)) {
  const s = JSON.parse(readFileSync(summaryFile, "utf8"));
  line = `Tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`;
}
rmSync(dir, { recursive: true, force: true });
console.log(`\n${line}`);
process.exit(status);
