/** What the CLI tests share: running the built CLI as a user would, and snapshots of a project tree. */

import { type ExecFileOptions, execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
export const REPO = fileURLToPath(new URL("../../..", import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `dbgen ARGS` in a real process; never rejects. */
export function dbgen(
  args: readonly string[],
  options: ExecFileOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { ...options, env: { ...process.env, NO_COLOR: "1", ...options.env }, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : error.signal ? 128 : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Every file under `root` (the embedded databases aside) with a hash of its bytes: equal trees, equal maps. */
export async function treeOf(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = (await readdir(root, { recursive: true })).sort();
  for (const rel of entries) {
    if (/(^|\/)dev(\/|$)/.test(rel)) continue;
    const path = join(root, rel);
    const info = await stat(path);
    out[rel] = info.isDirectory()
      ? "dir"
      : createHash("sha256")
          .update(await readFile(path))
          .digest("hex")
          .slice(0, 16);
  }
  return out;
}

/** A new temporary folder (`prefix`…) holding `parts` of the example project, copied from the repository. */
export async function copyExample(prefix: string, parts: readonly string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  for (const part of parts) await cp(join(REPO, part), join(root, part), { recursive: true });
  return root;
}
