/** What makes two indexes the same index, whatever their names. */
import type { Index } from "./types.js";

/** A key equal for two indexes exactly when they index the same way (columns, method, classes, order, predicate). */
export function indexShape(index: Omit<Index, "name">): string {
  return JSON.stringify([
    index.columns,
    index.unique,
    index.where ?? "",
    index.method ?? "btree",
    index.ops ?? [],
    index.descending ?? [],
  ]);
}

/** Whether an index can serve a foreign key's or a key's lookups: a plain btree. */
export const isBtree = (index: Pick<Index, "method">): boolean => index.method === undefined;
