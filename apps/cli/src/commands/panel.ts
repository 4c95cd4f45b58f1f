/**
 * `dbgen panel [--module M] [--port N] [--no-open]`: the local change-review panel (seed 001). Prints
 * its URL (127.0.0.1, a random per-run token), opens it in the browser unless `--no-open`, and runs
 * until interrupted (Ctrl-C).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { CommandResult, GlobalOptions } from "../output.js";
import { startPanel } from "../panel/server.js";

export interface PanelCommandOptions {
  readonly module?: string;
  readonly port?: number;
  readonly open?: boolean;
}

/** The system's way to open a URL; a failure only means the user opens it by hand. */
function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "cmd" : "xdg-open";
  const args = process.platform === "win32" ? ["/c", "start", "", url] : [url];
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", () => {});
  child.unref();
}

export async function panelCommand(global: GlobalOptions, options: PanelCommandOptions): Promise<CommandResult> {
  const panel = await startPanel({
    root: global.root,
    token: randomBytes(24).toString("hex"),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.module !== undefined ? { module: options.module } : {}),
  });
  process.stdout.write(`dbgen panel: ${panel.url}\n(127.0.0.1 only; Ctrl-C stops it)\n`);
  if (options.open !== false) openBrowser(panel.url);
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
  });
  await panel.close();
  return { result: { url: panel.url }, diagnostics: [], lines: ["dbgen panel: stopped"] };
}
