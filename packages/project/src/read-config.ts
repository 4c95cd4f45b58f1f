/**
 * Finding and loading the configuration file: `dbgen.config.json`, `dbgen.config.js`/`.mjs`/`.cjs`,
 * or the seed's `database-generator.config.js`, at the project root. All optional.
 */

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { userError } from "@dbgen/schema-core";
import { branchFolder, gitBranch } from "./branch.js";
import {
  DEFAULT_CONFIG,
  DEFAULT_PRODUCTION_CONFIG,
  type ProductionConfig,
  type ProjectConfig,
  type PrototypeConfig,
  resolveProjectConfig,
} from "./config.js";
import { exists } from "./fs.js";
import { DEFAULT_PATHS, makeLayout, type ProjectLayout } from "./layout.js";

export const CONFIG_FILES = [
  "dbgen.config.json",
  "dbgen.config.js",
  "dbgen.config.mjs",
  "dbgen.config.cjs",
  "database-generator.config.js",
  "database-generator.config.cjs",
] as const;

async function loadDocument(root: string, name: string): Promise<unknown> {
  const path = join(root, name);
  try {
    if (name.endsWith(".json")) return JSON.parse(await readFile(path, "utf8"));
    const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return loaded.default ?? loaded;
  } catch (error) {
    throw userError(
      "PARSE_ERROR",
      `Cannot load the configuration: ${(error as Error).message}`,
      "make it valid JSON, or a module exporting the settings object",
      { file: name },
    );
  }
}

/** The project's configuration and the file it came from (none: the defaults). */
export async function readProjectConfig(root: string): Promise<ProjectConfig & { file?: string }> {
  for (const name of CONFIG_FILES) {
    if (!(await exists(join(root, name)))) continue;
    return { ...resolveProjectConfig(await loadDocument(root, name), name), file: name };
  }
  return { paths: DEFAULT_PATHS, prototype: DEFAULT_CONFIG, production: DEFAULT_PRODUCTION_CONFIG };
}

/** The prototype's settings (the seed's shape) and the file they came from. */
export async function readConfig(root: string): Promise<{ config: PrototypeConfig; file?: string }> {
  const { prototype, file } = await readProjectConfig(root);
  return { config: prototype, ...(file !== undefined ? { file } : {}) };
}

/** A project opened for a command: its layout (resolved once from the config) and its prototype settings. */
export interface Project {
  readonly layout: ProjectLayout;
  readonly prototype: PrototypeConfig;
  readonly production: ProductionConfig;
}

/** Resolves the project at `root` (absolute) once: every command and stage takes what this returns. */
export async function resolveProject(root: string): Promise<Project> {
  const { paths, prototype, production, file } = await readProjectConfig(root);
  // In a git repository each branch has its own embedded databases: `{dev}/branches/{branch}/`.
  const branch = await gitBranch(root);
  if (branch === undefined) return { layout: makeLayout(root, paths, file), prototype, production };
  const dev = `${paths.dev}/branches/${branchFolder(branch)}`;
  return {
    layout: { ...makeLayout(root, { ...paths, dev }, file), branch },
    prototype: { ...prototype, paths: { ...prototype.paths, dev } },
    production,
  };
}
