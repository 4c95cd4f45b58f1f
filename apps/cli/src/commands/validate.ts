/** `dbgen validate`: the BUSM and every module file (where the config says), every error and warning with its place. */
import { readProject } from "@dbgen/busm-reader";
import { readProductionState } from "../inputs.js";
import type { CommandResult, GlobalOptions } from "../output.js";
import { openProject } from "../project.js";
import { conversionProblems } from "../steps.js";

export async function validateCommand(global: GlobalOptions): Promise<CommandResult> {
  const { layout } = await openProject(global);
  const read = await readProject(layout.root, { busm: layout.busm, modules: layout.modules });
  // A type change production cannot make without the model's conversion is refused here too.
  // A production state validate cannot read is harden's to report.
  const production = read.schema ? (await readProductionState(layout).catch(() => undefined))?.schema : undefined;
  const project = {
    ...read,
    diagnostics: [...read.diagnostics, ...conversionProblems(read, production, read.schema, layout.busm)],
  };
  const errors = project.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = project.diagnostics.length - errors;
  const tables = project.schema?.tables.length ?? 0;
  return {
    result: {
      entities: Object.keys(project.model?.entities ?? {}).length,
      tables,
      modules: project.modules.map((m) => ({
        module: m.config.module,
        phase: m.config.phase,
        file: m.file,
        tables: m.schema.tables.length,
      })),
      errors,
      warnings,
    },
    diagnostics: project.diagnostics,
    lines:
      errors === 0
        ? [
            `valid: ${Object.keys(project.model?.entities ?? {}).length} entities (${tables} tables), ${project.modules.length} module files, ${warnings} warning(s)`,
          ]
        : [],
  };
}
