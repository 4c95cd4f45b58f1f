/**
 * `dbgen lint [FILES…]`: migration-safety findings for migration files — dbgen's production
 * migrations by default, or any files and folders (hand-written ones too). The front end prints them
 * (the CLI as text, JSON, GitHub annotations or SARIF). Exit 3 when there is a finding.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { type Finding, type LintFile, lintFiles } from "../lint.js";

export type { Finding } from "../lint.js";

import { openProject } from "../project.js";

/** What `status --exit-code` uses for "found something to do" (cli.ts: EXIT.pendingChanges). */
const FINDINGS_EXIT = 3;

export interface LintOptions {
  /** Also the style rules dbgen's output does not follow. */
  readonly allRules?: boolean;
}

async function sqlFilesIn(folder: string, downs: boolean): Promise<string[]> {
  const names = (await readdir(folder)).filter((n) => n.endsWith(".sql") && (downs || !n.endsWith(".down.sql")));
  return names.sort().map((n) => join(folder, n));
}

/** The files named (folders: their `.sql` files, sorted), or the project's production up migrations. */
async function filesToLint(global: RunContext, paths: readonly string[]): Promise<LintFile[]> {
  let absolute: string[] = [];
  let base = process.cwd();
  if (paths.length === 0) {
    const { layout } = await openProject(global);
    base = layout.root;
    absolute = await sqlFilesIn(join(layout.root, layout.productionMigrations), false).catch(() => []);
    if (absolute.length === 0)
      throw userError(
        "INVALID_CONFIG",
        `No production migration in ${layout.productionMigrations}`,
        "run dbgen harden first, or name the files or folders to lint",
      );
  }
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => undefined);
    if (!info)
      throw userError(
        "INVALID_CONFIG",
        `No such file or folder: ${path}`,
        "check the path (it is relative to the current folder)",
        { file: path },
      );
    absolute.push(...(info.isDirectory() ? await sqlFilesIn(full, true) : [full]));
  }
  return Promise.all(
    absolute.map(async (file) => ({
      path: relative(base, file) || file,
      absolute: file,
      sql: await readFile(file, "utf8"),
    })),
  );
}

export interface LintResult {
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
}

export async function lintCommand(
  global: RunContext,
  paths: readonly string[],
  options: LintOptions,
): Promise<CommandResult<LintResult>> {
  const files = await filesToLint(global, paths);
  const findings = await lintFiles(files, { allRules: options.allRules === true });
  return {
    result: { files: files.map((f) => f.path), findings },
    diagnostics: [],
    ...(findings.length > 0 ? { exitCode: FINDINGS_EXIT } : {}),
  };
}
