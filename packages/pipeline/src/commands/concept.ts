/** `dbgen concept [--module M] [--svg]`: ER diagrams, Markdown and an offline HTML page. No SQL. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderSvgs } from "@dbgen/concept-docs";
import { type OutputFile, publish } from "@dbgen/project";
import type { CommandResult, RunContext } from "../context.js";
import { readCheckedProject, writing } from "../project.js";
import { conceptStep } from "../steps.js";

export interface ConceptOptions {
  readonly module?: string;
  readonly svg?: boolean;
}

/** Each diagram as SVG, drawn by Chromium from the page before anything is published. */
async function svgFiles(pages: readonly OutputFile[], dir: string): Promise<OutputFile[]> {
  const page = pages.find((f) => f.path.endsWith("/index.html"));
  if (!page) return [];
  const scratch = await mkdtemp(join(tmpdir(), "dbgen-concept-"));
  try {
    await writeFile(join(scratch, "index.html"), page.content);
    return [...(await renderSvgs(join(scratch, "index.html")))].map(([view, svg]) => ({
      path: `${dir}/${view}.svg`,
      content: svg,
    }));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface ConceptResult {
  readonly files: readonly string[];
  readonly changed: readonly string[];
  /** How long the command took, in milliseconds. */
  readonly ms: number;
}

export function conceptCommand(global: RunContext, options: ConceptOptions): Promise<CommandResult<ConceptResult>> {
  const started = performance.now();
  return writing(global, "concept", async (project) => {
    const checked = await readCheckedProject(project);
    const pages = await conceptStep(project, checked, options.module);
    const files = [...pages, ...(options.svg ? await svgFiles(pages, project.layout.concept) : [])];
    const changed = await publish(project.layout, files);
    const ms = Math.round(performance.now() - started);
    return {
      result: { files: files.map((f) => f.path), changed, ms },
      diagnostics: checked.diagnostics,
    };
  });
}
