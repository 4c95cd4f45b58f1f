/**
 * `dbgen panel [--module M] [--port N] [--no-open]`: the local change-review panel (seed 001). Prints
 * its URL (127.0.0.1, a random per-run token), opens it in the browser unless `--no-open`, and runs
 * until interrupted (Ctrl-C).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CommandResult, GlobalOptions } from "../output.js";
import { startPanel } from "../panel/server.js";

export interface PanelCommandOptions {
  readonly module?: string;
  readonly port?: number;
  readonly open?: boolean;
}

/**
 * Opens the panel in the system's browser without its token on any command line (other local users
 * can read those from `ps`): the opener gets a page in a private temporary folder (0700, the file
 * 0600) that redirects to the URL, as Jupyter does. Returns what removes that page; a failure to open
 * only means the user opens the printed URL by hand.
 */
async function openBrowser(url: string): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "dbgen-panel-open-"));
  const file = join(dir, "open.html");
  const href = url.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  await writeFile(
    file,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>dbgen panel</title><a href="${href}">Open the dbgen panel</a>\n`,
    { mode: 0o600 },
  );
  const target = pathToFileURL(file).href;
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "cmd" : "xdg-open";
  const args = process.platform === "win32" ? ["/c", "start", "", target] : [target];
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", () => {});
  child.unref();
  return () => rm(dir, { recursive: true, force: true });
}

export async function panelCommand(
  global: GlobalOptions,
  options: PanelCommandOptions,
): Promise<CommandResult<{ url: string }>> {
  const panel = await startPanel({
    root: global.root,
    token: randomBytes(24).toString("hex"),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.module !== undefined ? { module: options.module } : {}),
  });
  process.stdout.write(`dbgen panel: ${panel.url}\n(127.0.0.1 only; Ctrl-C stops it)\n`);
  const removeOpener = options.open !== false ? await openBrowser(panel.url) : async () => {};
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await panel.close();
  await removeOpener();
  return { result: { url: panel.url }, diagnostics: [] };
}
