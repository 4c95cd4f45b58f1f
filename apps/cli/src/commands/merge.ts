/** `dbgen merge`: every module's latest state united and completed from the BUSM, with a report. */
import { type OutputFile, writeOutputs } from "@dbgen/prototype-generator";
import { createSnapshot, serializeSnapshot } from "@dbgen/schema-core";
import { MERGE_REPORT_PATH, MERGED_DIR, type MergeResult, type ModuleState, mergeModules, readLatestStates, readResolutions } from "@dbgen/schema-merger";
import type { CommandResult, GlobalOptions } from "../output.js";
import { type CheckedProject, readCheckedProject } from "../project.js";

export interface MergePlan {
  readonly result: MergeResult;
  readonly files: OutputFile[];
  readonly modules: string[];
}

/** The merge's files, computed whole before anything is written (the project and states may come read). */
export async function planMerge(root: string, project?: CheckedProject, latest?: ModuleState[]): Promise<MergePlan> {
  project ??= await readCheckedProject(root);
  const states = latest ?? (await readLatestStates(root));
  const result = mergeModules(project.model, states, await readResolutions(root));
  const meta = {
    modules: states
      .map((s) => `${s.module}@${s.iteration}`)
      .sort()
      .join(","),
  };
  return {
    result,
    modules: states.map((s) => s.module).sort(),
    files: [
      { path: `${MERGED_DIR}/prototype-union.json`, content: serializeSnapshot(createSnapshot(result.union, { meta: { ...meta, kind: "prototype-union" } })) },
      { path: `${MERGED_DIR}/schema.json`, content: serializeSnapshot(createSnapshot(result.merged, { meta: { ...meta, kind: "merged" } })) },
      { path: MERGE_REPORT_PATH, content: result.report },
    ],
  };
}

export async function mergeCommand(options: GlobalOptions): Promise<CommandResult> {
  const { result, files, modules } = await planMerge(options.root);
  const changed = await writeOutputs(options.root, files);
  return {
    result: { modules, tables: result.merged.tables.length, rules: result.rules.length, files: files.map((f) => f.path), changed },
    diagnostics: [],
    lines: [
      `merged ${modules.length} modules into ${result.merged.tables.length} tables (${result.rules.length} rule(s) applied, no conflicts)`,
      ...files.map((f) => `${changed.includes(f.path) ? "wrote" : "unchanged"} ${f.path}`),
    ],
  };
}
