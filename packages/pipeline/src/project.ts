/**
 * The project a command works on: its layout resolved once from the config, read once, and — for a
 * command that writes — held under the project lock from before it reads until after it publishes.
 */
import { join } from "node:path";
import { type AnalysedProject, type BusmModel, type ModelFacts, readProject } from "@dbgen/busm-reader";
import { exists, type Project, type Recovery, resolveProject, withProjectLock } from "@dbgen/project";
import { DbgenError, hasErrors } from "@dbgen/schema-core";
import type { RunContext } from "./context.js";

/** A project whose BUSM and modules have no errors: the model, its schema and its facts are there. */
export type CheckedProject = AnalysedProject & { readonly model: BusmModel; readonly facts: ModelFacts };

/** Tells the front end what was done with a write a crash interrupted. */
function reportRecovery(global: RunContext, recovery: Recovery): void {
  if (recovery.action === "none") return;
  const what = recovery.action === "completed" ? "completed" : "undid";
  global.notice(
    `dbgen: ${what} an interrupted write of ${recovery.files.length} file(s) (${recovery.files.join(", ")})`,
  );
}

/**
 * The project at `--root`, for a command that only reads: a write a crash interrupted is finished
 * or undone first (under the lock), so nothing half-published is ever read.
 */
export async function openProject(global: RunContext): Promise<Project> {
  const project = await resolveProject(global.root);
  if (await exists(join(project.layout.root, project.layout.journalFile))) {
    await withProjectLock(project.layout, { command: "recover" }, async (lock) =>
      reportRecovery(global, lock.recovery),
    );
  }
  return project;
}

/** Runs a writing command's read → plan → prove → write under the project lock. */
export async function writing<T>(
  global: RunContext,
  command: string,
  work: (project: Project) => Promise<T>,
): Promise<T> {
  const project = await resolveProject(global.root);
  return withProjectLock(project.layout, { command }, async (lock) => {
    reportRecovery(global, lock.recovery);
    return work(project);
  });
}

/** The BUSM and module files where the layout says; any error stops the command before anything is written. */
export async function readCheckedProject(project: Project): Promise<CheckedProject> {
  const read = await readProject(project.layout.root, { busm: project.layout.busm, modules: project.layout.modules });
  if (hasErrors(read.diagnostics) || !read.model || !read.facts) throw new DbgenError(read.diagnostics);
  return read as CheckedProject;
}
