/** Markdown pages: the diagram, then per entity its fields, enums and relationships. */

import { ACCESS_OPERATIONS } from "@dbgen/schema-core";
import { renderErDiagram } from "./mermaid.js";
import { accessRows, type DiagramView, type ViewEntity, type ViewRelationship } from "./view.js";

/** A Markdown table cell: pipes escaped, line breaks flattened. */
export function mdCell(text: string): string {
  return text
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replace(/[\r\n]+/g, " ");
}

function entitySection(e: ViewEntity, rels: readonly ViewRelationship[], isModule: boolean): string[] {
  const lines = [`### ${e.name}`, ""];
  if (e.description) lines.push(mdCell(e.description), "");
  lines.push(`Table \`${e.table}\`${e.isJoinTable ? " (join table)" : ""}.`, "");
  lines.push(
    "| field | type | required | default | references | description |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  for (const f of e.fields) {
    const keys = [f.primaryKey ? "PK" : "", f.unique && !f.primaryKey ? "UK" : ""].filter(Boolean).join(", ");
    lines.push(
      `| ${mdCell(f.name)}${keys ? ` (${keys})` : ""} | ${mdCell(f.type)}${f.values ? `: ${mdCell(f.values.map((v) => JSON.stringify(v)).join(", "))}` : ""} | ${f.required ? "yes" : ""} | ${mdCell(f.default ?? "")} | ${mdCell(f.references ?? "")} | ${mdCell(f.description ?? "")} |`,
    );
  }
  if (rels.length > 0) {
    lines.push("", "Relationships:", "");
    for (const r of rels) {
      lines.push(
        r.from === e.name
          ? `- ${r.kind === "one-to-one" ? "one" : "many"} ${e.name} → ${r.required ? "one" : "at most one"} ${r.to} (\`${r.field}\`)`
          : `- ${r.from} (\`${r.field}\`) → this ${e.name}, ${r.kind === "one-to-one" ? "at most one" : "many"} per ${e.name}`,
      );
    }
  }
  if (isModule && e.omitted)
    lines.push(
      "",
      e.omitted.length
        ? `Left out by this module: ${e.omitted.map((n) => `\`${n}\``).join(", ")}.`
        : "Uses every field of the entity.",
    );
  lines.push("");
  return lines;
}

/**
 * The access matrix (spec §2a): entity × operation × audience, what production's policies and
 * `dbgen test`'s checks are made from. A join table is reachable by whoever sees both rows it joins.
 */
function accessMatrix(view: DiagramView): string[] {
  const lines = [
    "## Who may do what",
    "",
    "Production turns these into row-level security policies; `dbgen test` checks each one. An empty cell: nobody through the API (service_role still may).",
    "",
    "| entity | select | insert | update | delete | owner | scope |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of accessRows(view)) {
    const mode = row.mode ? ` (\`${row.mode}\`)` : "";
    const cells = [...ACCESS_OPERATIONS.map((op) => row[op]), row.owner, row.scope].map(mdCell);
    lines.push(`| ${mdCell(row.entity)}${mode} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

export function renderMarkdown(view: DiagramView, options: { isModule: boolean; overview?: boolean }): string {
  const lines = [`# ${options.isModule ? `Module ${view.title}` : view.title}`, ""];
  if (view.description) lines.push(mdCell(view.description), "");
  lines.push(
    `${view.entities.length} entities, ${view.relationships.length} relationships.${options.overview ? " The diagram is an overview (entities and relationships); the fields are in the tables below and in each module's page." : ""}`,
    "",
  );
  lines.push(
    "```mermaid",
    renderErDiagram(view, options.overview !== undefined ? { overview: options.overview } : {}).trimEnd(),
    "```",
    "",
    "## Entities",
    "",
  );
  // Each entity's relationships, indexed once: a filter per entity is quadratic on large models.
  const byEntity = new Map<string, ViewRelationship[]>();
  for (const r of view.relationships) {
    for (const name of r.from === r.to ? [r.from] : [r.from, r.to])
      byEntity.set(name, [...(byEntity.get(name) ?? []), r]);
  }
  for (const e of view.entities)
    for (const line of entitySection(e, byEntity.get(e.name) ?? [], options.isModule)) lines.push(line);
  for (const line of accessMatrix(view)) lines.push(line);
  const enums = Object.entries(view.enums);
  if (enums.length > 0) {
    lines.push("## Enums", "");
    for (const [name, values] of enums)
      lines.push(`- **${name}**: ${values.map((v) => `\`${v.replaceAll("`", "'")}\``).join(", ")}`);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
