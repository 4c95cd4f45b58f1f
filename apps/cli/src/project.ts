/** Reading the project once per command: every stage of `dbgen all` shares the same analysis. */
import { type AnalysedProject, type BusmModel, readProject } from "@dbgen/busm-reader";
import { DbgenError, hasErrors } from "@dbgen/schema-core";

export type CheckedProject = AnalysedProject & { readonly model: BusmModel };

/** The project under `root`; any error stops the command before anything is written. */
export async function readCheckedProject(root: string): Promise<CheckedProject> {
  const project = await readProject(root);
  if (hasErrors(project.diagnostics) || !project.model) throw new DbgenError(project.diagnostics);
  return project as CheckedProject;
}
