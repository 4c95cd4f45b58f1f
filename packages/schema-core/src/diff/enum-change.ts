/** How an enum type's new values are reached: in place where PostgreSQL can, else by a new type. */
import type { AlterEnumType } from "./operations.js";

export type EnumChange =
  /** Each new value added after the one it follows in `to` (or before the first). */
  | { readonly kind: "add"; readonly added: readonly { readonly value: string; readonly after?: string }[] }
  | { readonly kind: "rename"; readonly from: string; readonly to: string }
  /** A new type: values removed or reordered (rows holding a removed value stop the migration). */
  | { readonly kind: "replace"; readonly removed: readonly string[] };

/**
 * The change from `op.from` to `op.to`. Values only added stay in place unless a default of the
 * type takes a new one in the same migration (PostgreSQL refuses a value added in the same
 * transaction); one value changed at its place is a rename.
 */
export function enumChange(op: AlterEnumType): EnumChange {
  const kept = op.to.filter((v) => op.from.includes(v));
  const removed = op.from.filter((v) => !op.to.includes(v));
  const added = op.to.filter((v) => !op.from.includes(v));
  const inOrder = kept.length === op.from.length && kept.every((v, i) => v === op.from[i]);
  if (inOrder && !added.some((v) => op.toDefaults.includes(v)))
    return {
      kind: "add",
      added: added.map((value) => {
        const at = op.to.indexOf(value);
        return at === 0 ? { value } : { value, after: op.to[at - 1] as string };
      }),
    };
  if (removed.length === 1 && added.length === 1 && op.from.length === op.to.length) {
    const at = op.from.indexOf(removed[0] as string);
    if (op.to[at] === added[0] && !op.toDefaults.includes(added[0] as string))
      return { kind: "rename", from: removed[0] as string, to: added[0] as string };
  }
  return { kind: "replace", removed };
}
