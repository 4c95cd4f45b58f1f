/** `dbgen merge`: every module's latest state united and completed from the BUSM, with a report. */
import { publish } from "@dbgen/project";
import type { CommandResult, RunContext } from "../context.js";
import { readCheckedProject, writing } from "../project.js";
import { requireMergeStep } from "../steps.js";

export interface MergeResult {
  readonly modules: readonly string[];
  readonly tables: number;
  /** The merge rules and overrides applied. */
  readonly rules: number;
  readonly files: readonly string[];
  readonly changed: readonly string[];
}

export function mergeCommand(global: RunContext): Promise<CommandResult<MergeResult>> {
  return writing(global, "merge", async (project) => {
    const merge = await requireMergeStep(project, await readCheckedProject(project));
    const changed = await publish(project.layout, merge.files);
    return {
      result: {
        modules: merge.modules,
        tables: merge.result.merged.tables.length,
        rules: merge.result.rules.length + merge.result.overrides.length,
        files: merge.files.map((f) => f.path),
        changed,
      },
      diagnostics: merge.warnings,
    };
  });
}
