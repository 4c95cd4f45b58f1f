/**
 * Mermaid `erDiagram` text for a view: entities with their fields (type; PK, FK, UK; required in the
 * comment), crow's-foot relationships, and every name and text made safe for Mermaid's grammar.
 */
import type { DiagramView, ViewEntity, ViewRelationship } from "./view.js";

/**
 * Above this many entities the whole-model diagram is an overview (entities and relationships, no
 * fields): Mermaid lays out ER diagrams with dagre, and past about forty boxes of fields a page is
 * unreadable and slow to render; each module's diagram and the Markdown tables keep every field.
 */
export const OVERVIEW_THRESHOLD = 40;

/** An id Mermaid's grammar always accepts (no keyword, no punctuation), stable for a name. */
export function entityId(name: string): string {
  return `E_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/**
 * Text inside a Mermaid double-quoted string, as Mermaid entity codes where it matters: `"` (which
 * would end the string), `#` (which would start a code), `<`, `>`, `&` (which Mermaid's HTML
 * sanitizer would otherwise strip as markup), and `%`, `{`, `}`: Mermaid finds `%%{init: …}%%`
 * directives anywhere in a diagram's text, strings included, before it parses, so model text could
 * otherwise restyle the page or load a URL. Line breaks become spaces.
 */
export function mermaidText(text: string): string {
  return text
    .replaceAll("#", "#35;")
    .replaceAll("%", "#37;")
    .replaceAll("{", "#123;")
    .replaceAll("}", "#125;")
    .replaceAll('"', "#quot;")
    .replaceAll("&", "#38;")
    .replaceAll("<", "#lt;")
    .replaceAll(">", "#gt;")
    .replace(/[\r\n\t]+/g, " ")
    .trim();
}

/** A type or name token: Mermaid accepts letters, digits, `_`, `-`, `(`, `)`, `,`, `[`, `]`. */
function token(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_(),[\]-]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function fieldComment(f: ViewEntity["fields"][number]): string {
  const parts = [
    f.required && !f.primaryKey ? "required" : "",
    f.values ? `one of: ${f.values.join(" | ")}` : "",
    f.default !== undefined ? `default ${f.default}` : "",
    f.filled ?? "",
    f.description ?? "",
  ].filter(Boolean);
  return parts.join(" · ");
}

function entityBlock(e: ViewEntity, withFields: boolean): string[] {
  const head = `  ${entityId(e.name)}["${mermaidText(e.name)}"]`;
  if (!withFields || e.fields.length === 0) return [head];
  const lines = e.fields.map((f) => {
    const keys = [f.primaryKey ? "PK" : "", f.foreignKey ? "FK" : "", f.unique && !f.primaryKey ? "UK" : ""]
      .filter(Boolean)
      .join(", ");
    const comment = fieldComment(f);
    return `    ${token(f.type)} ${token(f.name)}${keys ? ` ${keys}` : ""}${comment ? ` "${mermaidText(comment)}"` : ""}`;
  });
  return [`${head} {`, ...lines, "  }"];
}

/** `from }o--|| to`: many (or one) `from` rows to exactly one (or at most one) `to` row. */
function relationshipLine(r: ViewRelationship): string {
  const left = r.kind === "one-to-one" ? "|o" : "}o";
  const right = r.required ? "||" : "o|";
  return `  ${entityId(r.from)} ${left}--${right} ${entityId(r.to)} : "${mermaidText(r.label)}"`;
}

export function renderErDiagram(view: DiagramView, options: { overview?: boolean } = {}): string {
  const withFields = !(options.overview ?? view.entities.length > OVERVIEW_THRESHOLD);
  return [
    "erDiagram",
    ...view.entities.flatMap((e) => entityBlock(e, withFields)),
    ...view.relationships.map(relationshipLine),
  ]
    .join("\n")
    .concat("\n");
}
