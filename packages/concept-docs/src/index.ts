/**
 * @dbgen/concept-docs — the concept stage: Mermaid ER diagrams, Markdown and an offline HTML page
 * for the whole model and each module. No SQL.
 *
 * NOTE: not built yet; it arrives with its own issue ("Concept docs"). The package exists so the
 * workspace, its build and its imports are in place; it exports only what it can stand behind.
 */
export const stage = { name: "concept", status: "planned", emitsSql: false } as const;
