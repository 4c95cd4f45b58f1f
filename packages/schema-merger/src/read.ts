/**
 * The merger's file access: every module's latest state, the resolutions file, and the outputs.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DbgenError, parseSnapshot } from "@dbgen/schema-core";
import { parseResolutions, RESOLUTIONS_PATH } from "./resolutions.js";
import type { ModuleState, Resolution } from "./types.js";

export const PROTOTYPE_STATE_DIR = ".pipeline/database/state/prototype";
export const MERGED_DIR = ".pipeline/database/state/merged";
export const MERGE_REPORT_PATH = ".pipeline/database/merge-report.md";

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The latest state of every module under `stateDir` (relative to root). */
export async function readLatestStates(root: string, stateDir = PROTOTYPE_STATE_DIR): Promise<ModuleState[]> {
  const states: ModuleState[] = [];
  for (const module of await list(join(root, stateDir))) {
    const iterations = (await list(join(root, stateDir, module)))
      .map((f) => /^iteration-(\d+)-schema\.json$/.exec(f))
      .flatMap((m) => (m ? [Number(m[1])] : []))
      .sort((a, b) => a - b);
    const latest = iterations.at(-1);
    if (latest === undefined) continue;
    const file = `${stateDir}/${module}/iteration-${latest}-schema.json`;
    states.push({ module, iteration: latest, schema: parseSnapshot(await readFile(join(root, file), "utf8"), file).schema, file });
  }
  if (states.length === 0) {
    throw new DbgenError([
      { severity: "error", code: "INVALID_CONFIG", message: `No module has a prototype state under ${stateDir}`, fix: "generate an iteration of each module first (dbgen generate --module NAME)" },
    ]);
  }
  return states;
}

export async function readResolutions(root: string): Promise<Resolution[]> {
  try {
    return parseResolutions(await readFile(join(root, RESOLUTIONS_PATH), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
