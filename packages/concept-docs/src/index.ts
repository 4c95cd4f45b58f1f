/**
 * @dbgen/concept-docs — the concept stage: Mermaid ER diagrams, Markdown and an offline HTML page for
 * the whole model and each module. No SQL.
 *
 * @example
 * const files = renderConceptDocs({ model, modules }, await readMermaidBundle());
 */
export { buildConceptViews, type ConceptFile, type ConceptInput, renderConceptDocs } from "./docs.js";
export { type HtmlPage, offlinePolicy, renderHtml, scriptHash } from "./html.js";
export { mdCell, renderMarkdown } from "./markdown.js";
export { entityId, mermaidText, OVERVIEW_THRESHOLD, renderErDiagram } from "./mermaid.js";
export { PAN_ZOOM_BUTTONS, PAN_ZOOM_SCRIPT, PAN_ZOOM_STYLE } from "./pan-zoom.js";
export { CHROMIUM, CHROMIUM_ARGS, readMermaidBundle, renderSvgs } from "./read.js";
export {
  type AccessRow,
  accessRows,
  type DiagramView,
  modelView,
  moduleView,
  typeLabel,
  type ViewAccess,
  type ViewEntity,
  type ViewField,
  type ViewRelationship,
} from "./view.js";
