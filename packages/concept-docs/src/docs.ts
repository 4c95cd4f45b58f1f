/** All the concept pages of a project (pure: the Mermaid script comes in as text). */
import type { BusmModel, ModuleSelection } from "@dbgen/busm-reader";
import { DEFAULT_PATHS, type OutputFile } from "@dbgen/project";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { OVERVIEW_THRESHOLD, renderErDiagram } from "./mermaid.js";
import { type DiagramView, modelView, moduleView } from "./view.js";

/** The contract's concept folder (a project's config may move it: pass `dir`). */

export type ConceptFile = OutputFile;

export interface ConceptInput {
  readonly model: BusmModel;
  readonly modules: readonly { readonly name: string; readonly selection: ModuleSelection }[];
  /** Only this module (`--module`). */
  readonly only?: string;
  /** The folder the pages go to, relative to the project root (default: the contract's). */
  readonly dir?: string;
}

export interface ConceptViews {
  readonly views: readonly { readonly view: DiagramView; readonly overview: boolean; readonly diagram: string }[];
}

export function buildConceptViews(input: ConceptInput): ConceptViews {
  const whole = modelView(input.model);
  const modules = [...input.modules]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .filter((m) => input.only === undefined || m.name === input.only);
  const list = [
    ...(input.only === undefined ? [{ view: whole, overview: whole.entities.length > OVERVIEW_THRESHOLD }] : []),
    ...modules.map((m) => ({ view: moduleView(input.model, m.name, m.selection), overview: false })),
  ];
  return { views: list.map((v) => ({ ...v, diagram: renderErDiagram(v.view, { overview: v.overview }) })) };
}

export function renderConceptDocs(input: ConceptInput, mermaidScript: string): ConceptFile[] {
  const { views } = buildConceptViews(input);
  const dir = input.dir ?? DEFAULT_PATHS.concept;
  const files: ConceptFile[] = views.map(({ view, overview }) => ({
    path: `${dir}/${view.id === "busm" ? "busm" : view.id}.md`,
    content: renderMarkdown(view, { isModule: view.id !== "busm", overview }),
  }));
  files.push({
    path: `${dir}/index.html`,
    content: renderHtml({ title: input.model.name ?? "BUSM", views }, mermaidScript),
  });
  return files;
}
