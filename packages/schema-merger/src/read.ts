/**
 * The merger's file access: every module's latest state and the resolutions file (where the
 * project's layout says), and the files a merge writes.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_PATHS,
  type LayoutPaths,
  listDir,
  type OutputFile,
  readOptional,
  stateFile,
  stateFileIteration,
} from "@dbgen/project";
import { createSnapshot, parseSnapshot, serializeSnapshot, userError } from "@dbgen/schema-core";
import type { MergeResult } from "./merge.js";
import { parseResolutions } from "./resolutions.js";
import type { ModuleState, Resolution } from "./types.js";

/** The contract's places (a project's config may move them). */

/** The latest state of every module under `stateDir` (relative to root); none when no module has one. An unreadable state is an error. */
export async function readModuleStates(root: string, stateDir: string = DEFAULT_PATHS.state): Promise<ModuleState[]> {
  const states: ModuleState[] = [];
  for (const module of await listDir(join(root, stateDir))) {
    const iterations = (await listDir(join(root, stateDir, module)))
      .flatMap((f) => stateFileIteration(f) ?? [])
      .sort((a, b) => a - b);
    const latest = iterations.at(-1);
    if (latest === undefined) continue;
    const file = stateFile({ state: stateDir }, module, latest);
    states.push({
      module,
      iteration: latest,
      schema: parseSnapshot(await readFile(join(root, file), "utf8"), file).schema,
      file,
    });
  }
  return states;
}

/** Like `readModuleStates`, but a project where no module has prototyped yet is an error. */
export async function readLatestStates(root: string, stateDir: string = DEFAULT_PATHS.state): Promise<ModuleState[]> {
  const states = await readModuleStates(root, stateDir);
  if (states.length === 0) {
    throw userError(
      "INVALID_CONFIG",
      `No module has a prototype state under ${stateDir}`,
      "generate an iteration of each module first (dbgen generate --module NAME)",
    );
  }
  return states;
}

export async function readResolutions(root: string, path: string = DEFAULT_PATHS.resolutions): Promise<Resolution[]> {
  const text = await readOptional(join(root, path));
  return text === undefined ? [] : parseResolutions(text, path);
}

/** The merge's output files (pure): the union, the completed schema and the report, where `paths` says. */
export function mergeOutputs(
  result: MergeResult,
  states: readonly ModuleState[],
  paths: Pick<LayoutPaths, "merged" | "mergeReport"> = DEFAULT_PATHS,
): OutputFile[] {
  const modules = states
    .map((s) => `${s.module}@${s.iteration}`)
    .sort()
    .join(",");
  return [
    {
      path: `${paths.merged}/prototype-union.json`,
      content: serializeSnapshot(createSnapshot(result.union, { meta: { modules, kind: "prototype-union" } })),
    },
    {
      path: `${paths.merged}/schema.json`,
      content: serializeSnapshot(createSnapshot(result.merged, { meta: { modules, kind: "merged" } })),
    },
    { path: paths.mergeReport, content: result.report },
  ];
}
