/**
 * @dbgen/schema-merger — production, part one: the graph union of every module's latest state,
 * completed from the BUSM, with a conflict report.
 *
 * NOTE: not built yet; it arrives with its own issue ("Schema merger").
 */
export const stage = { name: "merge", status: "planned", emitsSql: false } as const;
