/**
 * `index.html`: one self-contained page with every diagram (Mermaid inlined, no network), a module
 * switcher and a search by entity. Every diagram is rendered on load, while all are visible — Mermaid
 * cannot lay out a diagram inside a hidden element — and only then does the switcher filter.
 */
import { createHash } from "node:crypto";
import { ACCESS_OPERATIONS } from "@dbgen/schema-core";
import { renderErDiagram } from "./mermaid.js";
import { PAN_ZOOM_BUTTONS, PAN_ZOOM_SCRIPT, PAN_ZOOM_STYLE } from "./pan-zoom.js";
import { accessRows, type DiagramView } from "./view.js";

const html = (text: string): string =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
/** JSON inside a <script>: nothing in it can close the element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replaceAll("<", "\\u003c");

/** A CSP source for one inline script: its SHA-256, so that no other script runs. */
export const scriptHash = (script: string): string =>
  `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;

/**
 * The page's Content-Security-Policy: its own inline scripts (by hash) and styles (Mermaid writes
 * `<style>` into each SVG), images and fonts from `data:` only; no origin at all, so nothing a
 * diagram's text might smuggle in can fetch, post or frame anything.
 */
export function offlinePolicy(scripts: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(scriptHash).join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "font-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export interface HtmlPage {
  readonly title: string;
  readonly views: readonly { readonly view: DiagramView; readonly overview: boolean }[];
}

/** The view's access matrix (entity × operation × audience), as the Markdown page's "Who may do what". */
function accessTable(view: DiagramView): string {
  const rows = accessRows(view).map((row) => {
    const mode = row.mode ? ` <span class="meta">(${html(row.mode)})</span>` : "";
    const cells = [...ACCESS_OPERATIONS.map((op) => row[op]), row.owner, row.scope].map((c) => `<td>${html(c)}</td>`);
    return `<tr><th>${html(row.entity)}${mode}</th>${cells.join("")}</tr>`;
  });
  return `<details class="access"><summary>Who may do what</summary>
<table><thead><tr><th>entity</th>${ACCESS_OPERATIONS.map((op) => `<th>${op}</th>`).join("")}<th>owner</th><th>scope</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></details>`;
}

export function renderHtml(page: HtmlPage, mermaidScript: string): string {
  const sections = page.views.map(({ view, overview }) => {
    const diagram = renderErDiagram(view, { overview });
    return `<section class="diagram" data-view="${html(view.id)}">
<h2>${html(view.id === "busm" ? `Whole model: ${view.title}` : `Module ${view.title}`)}</h2>
<p class="meta">${view.entities.length} entities, ${view.relationships.length} relationships${overview ? " — overview: entities and relationships only; open a module for its fields" : ""}</p>
<div class="diagram-viewport">${PAN_ZOOM_BUTTONS}<div class="canvas"><pre class="mermaid">${html(diagram)}</pre></div></div>
${accessTable(view)}
</section>`;
  });
  const index = page.views.flatMap(({ view }) => view.entities.map((e) => ({ entity: e.name, view: view.id })));
  const inlineMermaid = mermaidScript.replaceAll("</script", "<\\/script");
  const pageScript = pageBehaviour(index);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${html(offlinePolicy([inlineMermaid, pageScript]))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(page.title)} — concept</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1f2933; }
header { position: sticky; top: 0; background: #f5f7fa; border-bottom: 1px solid #d9e2ec; padding: 0.75rem 1.25rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; z-index: 2; }
header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
main { padding: 1rem 1.25rem; }
.diagram { border: 1px solid #d9e2ec; border-radius: 6px; padding: 0.5rem 1rem; margin-bottom: 1.5rem; }
${PAN_ZOOM_STYLE}
.diagram.hidden { display: none; }
.meta { color: #52606d; margin-top: 0; }
#results { list-style: none; margin: 0; padding: 0; display: flex; gap: 0.5rem; flex-wrap: wrap; }
#results button { font: inherit; cursor: pointer; }
.found { outline: 3px solid #f0b429; outline-offset: 2px; }
#status { color: #52606d; font-size: 0.9rem; }
.access table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
.access th, .access td { border: 1px solid #d9e2ec; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<header>
<h1>${html(page.title)}</h1>
<label>View <select id="switcher"><option value="">All diagrams</option>${page.views.map(({ view }) => `<option value="${html(view.id)}">${html(view.id === "busm" ? "Whole model" : `Module ${view.title}`)}</option>`).join("")}</select></label>
<label>Find entity <input id="search" type="search" placeholder="e.g. Account" autocomplete="off"></label>
<ul id="results"></ul>
<span id="status">Rendering…</span>
</header>
<main>
${sections.join("\n")}
</main>
<script>${inlineMermaid}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}

function pageBehaviour(index: readonly { entity: string; view: string }[]): string {
  return `
${PAN_ZOOM_SCRIPT}
const INDEX = ${scriptJson(index)};
const sections = [...document.querySelectorAll("section.diagram")];
const switcher = document.getElementById("switcher");
const search = document.getElementById("search");
const results = document.getElementById("results");
const status = document.getElementById("status");
function show(viewId) {
  for (const s of sections) s.classList.toggle("hidden", viewId !== "" && s.dataset.view !== viewId);
}
function entityNodes(section, name) {
  return [...section.querySelectorAll("svg g")].filter((g) => [...g.children].some((c) => c.matches(".label, g.label, .entityLabel, text") && c.textContent.trim() === name) || (g.id && g.id.startsWith("entity-") && g.textContent.includes(name)));
}
function reveal(entity, viewId) {
  switcher.value = viewId;
  show(viewId);
  const section = sections.find((s) => s.dataset.view === viewId);
  for (const el of document.querySelectorAll(".found")) el.classList.remove("found");
  const node = section ? entityNodes(section, entity)[0] : undefined;
  (node ?? section)?.classList.add("found");
  section?.scrollIntoView({ block: "start" });
  const viewport = section?.querySelector(".diagram-viewport");
  if (node && viewport?.dbgenView) viewport.dbgenView.focus(node);
}
switcher.addEventListener("change", () => show(switcher.value));
search.addEventListener("input", () => {
  const q = search.value.trim().toLowerCase();
  results.replaceChildren();
  if (!q) return;
  for (const hit of INDEX.filter((i) => i.entity.toLowerCase().includes(q)).slice(0, 30)) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.textContent = hit.entity + (hit.view === "busm" ? "" : " · " + hit.view);
    b.addEventListener("click", () => reveal(hit.entity, hit.view));
    li.append(b);
    results.append(li);
  }
});
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", er: { useMaxWidth: false }, maxTextSize: 10000000 });
mermaid
  .run({ querySelector: "pre.mermaid" })
  .then(() => {
    // Every diagram opens fitted, or at a readable scale, while all are visible; then the switcher may hide some.
    for (const box of document.querySelectorAll(".diagram-viewport")) dbgenPanZoom(box);
    document.body.dataset.rendered = "true";
    status.textContent = sections.length + " diagrams rendered";
  })
  .catch((error) => {
    document.body.dataset.rendered = "error";
    status.textContent = "Rendering failed: " + error.message;
    console.error(error);
  });
`;
}
