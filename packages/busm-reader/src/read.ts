/**
 * The only file-system access of the reader: find and read the project's input files.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_PATHS } from "@dbgen/project";
import { userError } from "@dbgen/schema-core";
import type { BuildOptions } from "./build.js";
import { ensureSqlParser, needsSqlParser } from "./postgres/expressions.js";
import { type AnalysedProject, analyseProject, type SourceFile } from "./project.js";

async function readSource(root: string, file: string): Promise<SourceFile> {
  return { file, text: await readFile(join(root, file), "utf8") };
}

export interface ProjectPaths {
  /** The BUSM file, relative to the root. */
  readonly busm?: string;
  /** The module files' folder, relative to the root. */
  readonly modules?: string;
}

/**
 * Reads the project's BUSM and every module file under `root` (where `paths` says), and analyses them
 * (module schemas built with `moduleBuild`, see analyseProject).
 */
export async function readProject(
  root: string,
  paths: ProjectPaths = {},
  moduleBuild: BuildOptions = {},
): Promise<AnalysedProject> {
  const busmPath = paths.busm ?? DEFAULT_PATHS.busm;
  const modulesDir = (paths.modules ?? DEFAULT_PATHS.modules).replace(/\/+$/, "");
  let busm: SourceFile;
  try {
    busm = await readSource(root, busmPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw userError(
      "INVALID_CONFIG",
      `No BUSM model at ${join(root, busmPath)}`,
      "create it, point --root at the project folder, or set paths.busm in the project's config",
      { file: busmPath },
    );
  }
  let names: string[] = [];
  try {
    names = (await readdir(join(root, modulesDir))).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const modules = await Promise.all(names.map((n) => readSource(root, `${modulesDir}/${n}`)));
  // Raw SQL beyond the everyday defaults is checked by PostgreSQL's parser: load it only then.
  const snippets = [...busm.text.matchAll(/"(?:sql|where)"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
  const backfills = modules.some((m) => /\bbackfill\s*:/.test(m.text));
  if (needsSqlParser(snippets) || backfills || /"(?:sql|where)"\s*:\s*[^"\s]/.test(busm.text)) await ensureSqlParser();
  return analyseProject(busm, modules, moduleBuild);
}
