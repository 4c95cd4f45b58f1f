/** `dbgen merge`: every module's latest state united and completed from the BUSM, with a report. */
import { readProject } from "@dbgen/busm-reader";
import { type OutputFile, writeOutputs } from "@dbgen/prototype-generator";
import { createSnapshot, DbgenError, hasErrors, serializeSnapshot } from "@dbgen/schema-core";
import { MERGE_REPORT_PATH, MERGED_DIR, type MergeResult, mergeModules, readLatestStates, readResolutions } from "@dbgen/schema-merger";
import type { CommandResult, GlobalOptions } from "../output.js";

/** The merge's files, computed whole before anything is written. */
export async function planMerge(root: string): Promise<{ result: MergeResult; files: OutputFile[]; modules: string[] }> {
  const project = await readProject(root);
  if (hasErrors(project.diagnostics) || !project.model) throw new DbgenError(project.diagnostics);
  const states = await readLatestStates(root);
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
