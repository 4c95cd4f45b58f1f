/** `dbgen validate`: the BUSM and every module file (where the config says), every error and warning with its place. */
import { type AnalysedProject, readProject } from "@dbgen/busm-reader";
import type { Project } from "@dbgen/project";
import { type Diagnostic, hasErrors } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { readProductionState } from "../inputs.js";
import { type CheckedProject, openProject } from "../project.js";
import { conversionProblems, mergeStep } from "../steps.js";

/**
 * The type changes production could not make (no implicit cast, no `using`), when there is a
 * production state and the modules merge: what harden would refuse, said now. A merge or a state
 * that fails is for merge and harden to report.
 */
async function productionProblems(project: Project, read: AnalysedProject): Promise<Diagnostic[]> {
  if (hasErrors(read.diagnostics) || !read.model) return [];
  try {
    const production = await readProductionState(project.layout);
    const merge = production ? await mergeStep(project, read as CheckedProject) : undefined;
    return merge ? conversionProblems(merge.busm, production?.schema, merge.result.merged, project.layout.busm) : [];
  } catch {
    return [];
  }
}

export interface ValidateResult {
  readonly entities: number;
  readonly tables: number;
  readonly modules: readonly { module: string; phase: number; file: string; tables: number }[];
  readonly errors: number;
  readonly warnings: number;
}

export async function validateCommand(global: RunContext): Promise<CommandResult<ValidateResult>> {
  const opened = await openProject(global);
  const { layout } = opened;
  const read = await readProject(layout.root, { busm: layout.busm, modules: layout.modules });
  const project = { ...read, diagnostics: [...read.diagnostics, ...(await productionProblems(opened, read))] };
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
  };
}
