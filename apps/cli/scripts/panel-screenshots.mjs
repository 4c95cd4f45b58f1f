// Screenshots of each panel view for docs/panel.md, in Debian's Chromium at 1280×800:
// `node apps/cli/scripts/panel-screenshots.mjs` (after `pnpm build`). Not part of `pnpm test`.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, CHROMIUM_ARGS } from "@dbgen/concept-docs";
import { chromium } from "playwright-core";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const out = join(repo, "docs/panel");
const root = mkdtempSync(join(tmpdir(), "dbgen-panel-shots-"));
for (const part of [
  ".pipeline/factory-tools",
  ".pipeline/modules",
  ".pipeline/database",
  ".pipeline/merge-resolutions.yaml",
  ".pipeline/production-backfill.yaml",
  "supabase",
])
  cpSync(join(repo, part), join(root, part), { recursive: true });
rmSync(join(root, ".pipeline/database/dev"), { recursive: true, force: true });
execFileSync(process.execPath, [bin, "--root", root, "apply", "--module", "account-management"], { stdio: "ignore" });
const moduleFile = join(root, ".pipeline/modules/account-management-phase1.yaml");
writeFileSync(
  moduleFile,
  readFileSync(moduleFile, "utf8")
    .replace("iteration: 3", "iteration: 4")
    .replace(/entities: \[([^\]]*)\]/, "entities: [$1, Service]")
    .replace(/(\n\s+Account: \[)/, "$1website, ")
    .replace(", email, phone]", ", email]")
    .replace(/(\n\s+Location: \[[^\]]*\])/, "$1\n  Service: [id, code, name, unit_price]"),
);
const panel = spawn(process.execPath, [bin, "--root", root, "panel", "--no-open", "--module", "account-management"], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, DATABASE_URL: "", SUPABASE_DB_URL: "" },
});
const url = await new Promise((resolve) => {
  let text = "";
  panel.stdout.on("data", (c) => {
    text += c;
    const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(text);
    if (m) resolve(m[0]);
  });
});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
mkdirSync(out, { recursive: true });
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`) });
await page.goto(url);
await page.getByRole("heading", { name: /DATABASE CHANGES DETECTED/ }).waitFor({ timeout: 30_000 });
await page.locator(".diagram-viewport svg").waitFor();
await shot("1-review");
await page.getByRole("button", { name: "Review Full Migration" }).click();
await page.getByLabel("Full migration").scrollIntoViewIfNeeded();
await shot("2-full-migration");
await page.getByRole("button", { name: "Apply & Continue" }).click();
await page.getByRole("alertdialog", { name: "Confirm" }).scrollIntoViewIfNeeded();
await shot("3-destructive-confirmation");
await page.getByRole("button", { name: "Keep everything" }).click();
await page.locator(".diagram-viewport").scrollIntoViewIfNeeded();
await shot("4-iterations-and-diagram");
await page.getByRole("button", { name: "production" }).click();
await page.getByRole("heading", { name: /PRODUCTION/ }).waitFor();
await shot("5-production");
await browser.close();
panel.kill("SIGTERM");
rmSync(root, { recursive: true, force: true });
console.log(`screenshots in ${out}`);
