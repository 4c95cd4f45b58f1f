/** `dbgen concept [--module M] [--svg]`: ER diagrams, Markdown and an offline HTML page. No SQL. */
import { join } from "node:path";
import { CONCEPT_DIR, type ConceptFile, readMermaidBundle, renderConceptDocs, renderSvgs } from "@dbgen/concept-docs";
import { writeOutputs } from "@dbgen/prototype-generator";
import { DbgenError } from "@dbgen/schema-core";
import type { CommandResult, GlobalOptions } from "../output.js";
import { type CheckedProject, readCheckedProject } from "../project.js";

export interface ConceptOptions {
  readonly module?: string;
  readonly svg?: boolean;
}

/** The concept files, computed whole before anything is written. */
export async function planConcept(root: string, options: ConceptOptions = {}, read?: CheckedProject): Promise<{ files: ConceptFile[]; warnings: CommandResult["diagnostics"] }> {
  const project = read ?? (await readCheckedProject(root));
  const modules = project.modules.filter((m) => m.latest).map((m) => ({ name: m.config.module, selection: m.selection }));
  if (options.module !== undefined && !modules.some((m) => m.name === options.module)) {
    throw new DbgenError([{ severity: "error", code: "INVALID_CONFIG", message: `No module "${options.module}"`, fix: `use one of: ${modules.map((m) => m.name).join(", ")}` }]);
  }
  const files = renderConceptDocs({ model: project.model, modules, ...(options.module !== undefined ? { only: options.module } : {}) }, await readMermaidBundle());
  return { files, warnings: project.diagnostics };
}

export async function conceptCommand(global: GlobalOptions, options: ConceptOptions): Promise<CommandResult> {
  const started = performance.now();
  const { files, warnings } = await planConcept(global.root, options);
  const changed = await writeOutputs(global.root, files);
  const svgs: string[] = [];
  if (options.svg) {
    for (const [view, svg] of await renderSvgs(join(global.root, CONCEPT_DIR, "index.html"))) {
      const path = `${CONCEPT_DIR}/${view}.svg`;
      if ((await writeOutputs(global.root, [{ path, content: svg }])).length) changed.push(path);
      svgs.push(path);
    }
  }
  const all = [...files.map((f) => f.path), ...svgs];
  return {
    result: { files: all, changed, ms: Math.round(performance.now() - started) },
    diagnostics: warnings,
    lines: [...all.map((f) => `${changed.includes(f) ? "wrote" : "unchanged"} ${f}`), `concept docs in ${Math.round(performance.now() - started)} ms`],
  };
}
