/**
 * The change-review panel in Debian's Chromium (playwright-core, never a downloaded browser), served
 * by a real `dbgen panel` process on a copy of the example: no console error and no request leaving
 * 127.0.0.1; an edited module shows its new and modified tables; Review Full Migration shows the SQL;
 * Cancel changes nothing; Apply & Continue applies (`dbgen status` agrees); a destructive change needs
 * its confirmation; a failed apply shows the coded error and changes nothing; no token, 403.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, CHROMIUM_ARGS } from "@dbgen/concept-docs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, copyExample, dbgen, treeOf } from "./helpers.js";

const MODULE = ".pipeline/modules/account-management-phase1.yaml";
let root = "";
let panel: ChildProcess | undefined;
let url = "";
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  root = await copyExample("dbgen-panel-", [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/database",
    ".pipeline/merge-resolutions.yaml",
    ".pipeline/production-backfill.yaml",
    "supabase",
  ]);
  await rm(join(root, ".pipeline/database/dev"), { recursive: true, force: true });
  const applied = await dbgen(["--root", root, "apply", "--module", "account-management"]);
  expect(applied.code, applied.stderr).toBe(0);
  panel = spawn(process.execPath, [BIN, "--root", root, "panel", "--no-open", "--module", "account-management"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: "", SUPABASE_DB_URL: "", NO_COLOR: "1", DBGEN_LOCK_WAIT_MS: "1500" },
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    panel?.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/.exec(out);
      if (match) resolve(match[0]);
    });
    panel?.on("exit", (code) => reject(new Error(`panel exited ${code}: ${out}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => {
    if (!r.url().startsWith("http://127.0.0.1:") && !r.url().startsWith("data:")) foreign.push(r.url());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  // The panel closes its embedded database on SIGTERM; removing the folder before it exits races its last writes.
  if (panel && panel.exitCode === null) {
    const exited = new Promise((resolve) => panel?.once("exit", resolve));
    panel.kill("SIGTERM");
    await exited;
  }
  await rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** The embedded database's columns and dbgen's history: what must not change on Cancel or a failure. */
async function database(): Promise<unknown> {
  const run = await dbgen([
    "--root",
    root,
    "--json",
    "sql",
    "--module",
    "account-management",
    "-c",
    "select table_name, column_name from information_schema.columns where table_schema = 'public' union all select 'history', count(*)::text from dbgen.migration_history order by 1, 2",
  ]);
  return JSON.parse(run.stdout).result.rows;
}

/** Waits until no command holds the project (the page re-reads the state after every change). */
async function settled(): Promise<void> {
  for (let i = 0; i < 200 && existsSync(join(root, ".pipeline/.dbgen.lock")); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * The project's files once the panel is idle. The lock is left out: the panel takes it for a moment
 * whenever it refreshes a module's status (a file change wakes it), so a snapshot may catch it held;
 * what the tests hold still is every project file.
 */
async function projectTree(): Promise<Record<string, string>> {
  await settled();
  const { [".pipeline/.dbgen.lock"]: _lock, ...files } = await treeOf(root);
  return files;
}

async function editModule(change: (text: string) => string): Promise<void> {
  await writeFile(join(root, MODULE), change(await readFile(join(root, MODULE), "utf8")));
}

describe("dbgen panel in Chromium", () => {
  it("refuses an API call without the token (403)", async () => {
    const bare = url.replace(/\?token=.*/, "");
    expect((await fetch(`${bare}api/state`)).status).toBe(403);
    expect((await fetch(`${bare}api/state?token=nope`)).status).toBe(403);
    expect((await fetch(`${bare}api/modules/account-management/apply`, { method: "POST" })).status).toBe(403);
  });

  it("refuses a rollback to a fraction of an iteration, and a second panel on its busy port, changing nothing", async () => {
    const before = await projectTree();
    const token = url.replace(/.*\?token=/, "");
    const api = `${url.replace(/\?token=.*/, "")}api/modules/account-management/rollback?token=${token}`;
    for (const to of [1.5, -1, "1"]) {
      const response = await fetch(api, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ to, confirm: true }),
      });
      const body = (await response.json()) as { ok: boolean; errors: { code: string }[] };
      expect(body.ok, String(to)).toBe(false);
      expect(body.errors[0]?.code, String(to)).toBe("INVALID_ITERATION");
    }
    const port = new URL(url).port;
    const second = await dbgen(["--root", root, "panel", "--no-open", "--port", port]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^error INVALID_CONFIG — Port ${port} on 127\\.0\\.0\\.1 is in use`, "m"));
    expect(second.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(await projectTree()).toEqual(before);
  });

  it("answers only for its own host (no DNS rebinding), only for its own module, under a policy allowing no origin", async () => {
    const before = await projectTree();
    const { port, searchParams } = new URL(url);
    const token = searchParams.get("token") ?? "";
    const get = (host: string, path: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders }>((resolve, reject) =>
        httpGet({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, headers: response.headers });
        }).on("error", reject),
      );
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, "127.0.0.1"])
      expect((await get(host, `/?token=${token}`)).status, host).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const page = await get(host, `/?token=${token}`);
      expect(page.status, host).toBe(200);
      const policy = String(page.headers["content-security-policy"]);
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).toMatch(/connect-src 'self'/);
      expect(policy).not.toMatch(/https?:|\*|'unsafe-inline' 'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    }
    const other = await fetch(`${url.replace(/\?token=.*/, "")}api/modules/master-view/apply?token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const body = (await other.json()) as { ok: boolean; errors: { code: string; message: string }[] };
    expect(body.ok).toBe(false);
    expect(body.errors[0]?.code).toBe("INVALID_CONFIG");
    expect(body.errors[0]?.message).toMatch(/account-management/);
    expect(await projectTree()).toEqual(before);
  });

  it("opens the browser without its token on the opener's command line (a private page redirects to it)", async () => {
    const bin = await mkdtemp(join(tmpdir(), "dbgen-opener-"));
    const record = join(bin, "argv");
    await writeFile(join(bin, "xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(record)}\n`, {
      mode: 0o755,
    });
    const opened = spawn(process.execPath, [BIN, "--root", root, "panel"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1" },
    });
    try {
      let printed = "";
      opened.stdout?.on("data", (chunk: Buffer) => {
        printed += chunk.toString();
      });
      let argv = "";
      for (let i = 0; i < 200 && !argv; i++) {
        await new Promise((r) => setTimeout(r, 50));
        argv = existsSync(record) ? (await readFile(record, "utf8")).trim() : "";
      }
      const panelUrl = /http:\/\/127\.0\.0\.1:\d+\/\?token=([0-9a-f]+)/.exec(printed);
      expect(panelUrl, printed).not.toBeNull();
      expect(argv).not.toContain(panelUrl?.[1] ?? "?");
      const page = fileURLToPath(argv);
      expect((await stat(page)).mode & 0o077).toBe(0);
      expect((await stat(dirname(page))).mode & 0o077).toBe(0);
      expect(await readFile(page, "utf8")).toContain(`url=${panelUrl?.[0]}`);
      opened.kill("SIGTERM");
      await new Promise((r) => opened.once("exit", r));
      expect(existsSync(page)).toBe(false);
    } finally {
      opened.kill("SIGKILL");
      await rm(bin, { recursive: true, force: true });
    }
  });

  it("shows the planned iteration of an edited module: new and modified tables, the full migration", async () => {
    await page.goto(url);
    await page.getByRole("heading", { name: /ITERATION 3 — NO CHANGES DETECTED/ }).waitFor();
    // The next iteration: a new table and a new field, while the page is open (file watching).
    await editModule((t) =>
      t
        .replace("iteration: 3", "iteration: 4")
        .replace(/entities: \[([^\]]*)\]/, "entities: [$1, Service]")
        .replace(/(\n\s+Account: \[)/, "$1website, ")
        .replace(/(\n\s+Location: \[[^\]]*\])/, "$1\n  Service: [id, code, name]"),
    );
    await page
      .getByRole("heading", { name: "BUILD ITERATION 4 — DATABASE CHANGES DETECTED" })
      .waitFor({ timeout: 20_000 });
    const body = await page.locator("main").innerText();
    expect(body).toMatch(/New Tables[\s\S]*services \(\d+ columns\)/i);
    expect(body).toMatch(/Modified Tables[\s\S]*accounts[\s\S]*\+ website/i);
    await page.getByRole("button", { name: "Review Full Migration" }).click();
    await expect(page.getByLabel("Full migration").innerText()).resolves.toMatch(/CREATE TABLE public\.services/);
    await page.getByRole("tab", { name: "Rollback" }).click();
    await expect(page.getByLabel("Full migration").innerText()).resolves.toMatch(/DROP TABLE public\.services/);
    await page.getByRole("tab", { name: "Types diff" }).click();
    await expect(page.getByLabel("Full migration").innerText()).resolves.toMatch(/^\+\s+website: string \| null$/m);
    await page.getByRole("tab", { name: "Migration" }).click();
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
  }, 60_000);

  it("Cancel writes and applies nothing", async () => {
    await settled();
    const tree = await projectTree();
    const db = await database();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByText("Cancelled: nothing was written or applied.").waitFor();
    await settled();
    expect(await projectTree()).toEqual(tree);
    expect(await database()).toEqual(db);
  });

  it("Apply & Continue applies it, and dbgen status agrees", async () => {
    await page.getByRole("button", { name: "Apply & Continue" }).click();
    await page.getByRole("heading", { name: /ITERATION 4 — NO CHANGES DETECTED/ }).waitFor({ timeout: 30_000 });
    const status = await dbgen(["--root", root, "--json", "status", "--module", "account-management"]);
    const result = JSON.parse(status.stdout).result;
    expect(result.applied).toContain(4);
    expect(result.pending).toEqual([]);
  }, 60_000);

  it("a destructive change is not applied without its confirmation naming what is dropped", async () => {
    await editModule((t) => t.replace("iteration: 4", "iteration: 5").replace("website, ", ""));
    await page
      .getByRole("heading", { name: "BUILD ITERATION 5 — DATABASE CHANGES DETECTED" })
      .waitFor({ timeout: 20_000 });
    await settled();
    const tree = await projectTree();
    await page.getByRole("button", { name: "Apply & Continue" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Confirm" });
    await expect(dialog.innerText()).resolves.toMatch(/DROP COLUMN accounts\.website/);
    await page.getByRole("button", { name: "Keep everything" }).click();
    await settled();
    expect(await projectTree()).toEqual(tree);
    await page.getByRole("button", { name: "Apply & Continue" }).click();
    await page.getByRole("button", { name: "Drop and apply" }).click();
    await page.getByRole("heading", { name: /ITERATION 5 — NO CHANGES DETECTED/ }).waitFor({ timeout: 30_000 });
  }, 60_000);

  it("while another process holds the project, Apply shows LOCKED naming it and changes nothing", async () => {
    await editModule((t) => t.replace("iteration: 5", "iteration: 6").replace(/(\n\s+Account: \[)/, "$1website, "));
    await page
      .getByRole("heading", { name: "BUILD ITERATION 6 — DATABASE CHANGES DETECTED" })
      .waitFor({ timeout: 20_000 });
    await settled();
    const tree = await projectTree();
    const db = await database();
    // A live process (this test's) holds the project lock, as a running `dbgen generate` would.
    const lock = join(root, ".pipeline/.dbgen.lock");
    const holder = {
      pid: process.pid,
      host: hostname(),
      command: "generate --module account-management",
      since: new Date().toISOString(),
    };
    await writeFile(lock, JSON.stringify(holder));
    try {
      await page.getByRole("button", { name: "Apply & Continue" }).click();
      const alert = page.getByRole("alert").filter({ hasText: "LOCKED" });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.innerText()).toMatch(/dbgen generate --module account-management \(pid \d+/);
    } finally {
      await rm(lock, { force: true });
    }
    await settled();
    expect(await projectTree()).toEqual(tree);
    expect(await database()).toEqual(db);
    // Put the module back as iteration 5 left it, for the next test.
    await editModule((t) => t.replace("iteration: 6", "iteration: 5").replace("website, ", ""));
    await page.getByRole("heading", { name: /ITERATION 5 — NO CHANGES DETECTED/ }).waitFor({ timeout: 20_000 });
  }, 90_000);

  it("a failed apply shows the coded error and changes nothing", async () => {
    // A row, then a required field without a default (the BUSM's account_number): the database refuses.
    await dbgen([
      "--root",
      root,
      "sql",
      "--module",
      "account-management",
      "-c",
      "insert into public.accounts (name, type, status) values ('Acme', 'Commercial', 'Active')",
    ]);
    await editModule((t) =>
      t.replace("iteration: 5", "iteration: 6").replace(/(\n\s+Account: \[)/, "$1account_number, "),
    );
    await page
      .getByRole("heading", { name: "BUILD ITERATION 6 — DATABASE CHANGES DETECTED" })
      .waitFor({ timeout: 20_000 });
    await settled();
    const tree = await projectTree();
    const db = await database();
    await page.getByRole("button", { name: "Apply & Continue" }).click();
    await page.getByRole("alert").filter({ hasText: "MIGRATION_FAILED" }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("alert").filter({ hasText: "MIGRATION_FAILED" }).innerText()).toMatch(/Fix:/);
    await settled();
    expect(await projectTree()).toEqual(tree);
    expect(await database()).toEqual(db);
  }, 60_000);

  it("Rollback asks first, then rolls the latest iteration back (dbgen status agrees)", async () => {
    await editModule((t) => t.replace("account_number, ", ""));
    await page.getByRole("button", { name: "Rollback iteration 5" }).waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Rollback iteration 5" }).click();
    // Iteration 5 dropped accounts.website: undoing it drops nothing.
    await expect(page.getByRole("alertdialog", { name: "Confirm" }).innerText()).resolves.toMatch(/Nothing is dropped/);
    await page.getByRole("button", { name: "Keep everything" }).click();
    const before = JSON.parse(
      (await dbgen(["--root", root, "--json", "status", "--module", "account-management"])).stdout,
    );
    expect(before.result.applied).toContain(5);
    await page.getByRole("button", { name: "Rollback iteration 5" }).click();
    await page.getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("button", { name: "Rollback iteration 4" }).waitFor({ timeout: 30_000 });
    const after = JSON.parse(
      (await dbgen(["--root", root, "--json", "status", "--module", "account-management"])).stdout,
    );
    expect(after.result.applied).not.toContain(5);
  }, 60_000);

  it("production: the plan and its lint findings, and an apply that names its database and asks first", async () => {
    await page.getByRole("button", { name: "production", exact: true }).click();
    await page.getByRole("heading", { name: /^PRODUCTION — / }).waitFor({ timeout: 30_000 });
    // The access matrix: a shorthand mode read as its audiences, service-only open to nobody.
    const access = page.getByRole("table", { name: "Who may do what" });
    expect(await access.getByRole("row").filter({ hasText: "Account" }).first().innerText()).toMatch(
      /Account \(owner\)\s+owner\s+owner\s+owner\s+owner\s+owner_id/,
    );
    expect(await access.getByRole("row").filter({ hasText: "User" }).first().innerText()).toMatch(/nobody/);
    await page.getByRole("button", { name: "Apply production migrations" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Confirm" });
    await expect(dialog.innerText()).resolves.toMatch(/embedded database .*dev\/production/);
    await page.getByRole("button", { name: "Apply to this database" }).click();
    await page.getByRole("status").filter({ hasText: "production migrations" }).waitFor({ timeout: 60_000 });
    const files = (await readFile(join(root, ".pipeline/database/state/production/schema.json"), "utf8")).length;
    expect(files).toBeGreaterThan(0);
    expect(await page.getByRole("status").filter({ hasText: "production migrations" }).innerText()).toMatch(
      /has (\d+) of \1 production migrations/,
    );
  }, 90_000);

  it("had no console error and no request leaving 127.0.0.1", () => {
    expect(consoleErrors.join("\n")).toBe("");
    expect(foreign).toEqual([]);
  });
});
