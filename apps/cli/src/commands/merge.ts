/** `dbgen merge`: every module's latest state united and completed from the BUSM, with a report. */
import { publish } from "@dbgen/project";
import { DbgenError } from "@dbgen/schema-core";
import type { CommandResult, GlobalOptions } from "../output.js";
import { readCheckedProject, writing } from "../project.js";
import { mergeStep, writtenLines } from "../steps.js";

export function mergeCommand(global: GlobalOptions): Promise<CommandResult> {
  return writing(global, "merge", async (project) => {
    const merge = await mergeStep(project, await readCheckedProject(project));
    if (!merge) {
      const fix = "generate an iteration of each module first (dbgen generate --module NAME)";
      throw new DbgenError([
        {
          severity: "error",
          code: "INVALID_CONFIG",
          message: `No module has a prototype state under ${project.layout.state}`,
          fix,
        },
      ]);
    }
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
      lines: [
        `merged ${merge.modules.length} modules into ${merge.result.merged.tables.length} tables (${merge.result.rules.length + merge.result.overrides.length} rule(s) applied, no conflicts)`,
        ...writtenLines(merge.files, changed),
      ],
    };
  });
}
