/**
 * The audiences of an access rule (spec §2a), parsed from the model's text: who an operation is for.
 * Pure: the reader validates them, production turns them into policies, `dbgen test` into expectations.
 */

export type Audience =
  | { readonly kind: "public" }
  | { readonly kind: "authenticated" }
  | { readonly kind: "owner" }
  | { readonly kind: "self" }
  /** Members of the row's scope; with `roles`, only those whose role column holds one of them. */
  | { readonly kind: "members"; readonly roles?: readonly string[] }
  /** A JWT claim at `path` (`app_metadata.role` → ["app_metadata", "role"]) holding one of `values`. */
  | { readonly kind: "claim"; readonly path: readonly string[]; readonly values: readonly string[] }
  /** Whoever may see the row the reference `field` points at. */
  | { readonly kind: "via"; readonly field: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VALUE = /^[^|=\s]+$/;

/** The audience a text names, or a sentence saying why it names none. */
export function parseAudience(text: string): Audience | string {
  if (text === "public" || text === "authenticated" || text === "owner" || text === "self") return { kind: text };
  if (text === "members") return { kind: "members" };
  const [head, rest] = splitOnce(text, ":");
  if (rest === undefined) return `"${text}" is no audience`;
  if (head === "members") {
    const roles = rest.split("|");
    if (roles.some((r) => !VALUE.test(r))) return `"${text}" lists an empty or spaced role`;
    return { kind: "members", roles };
  }
  if (head === "claim") {
    const [path, values] = splitOnce(rest, "=");
    const segments = path.split(".");
    if (values === undefined || segments.some((s) => !NAME.test(s)))
      return `"${text}" is not claim:PATH=VALUE|VALUE (a path such as user_role or app_metadata.role)`;
    const list = values.split("|");
    if (list.some((v) => !VALUE.test(v))) return `"${text}" lists an empty or spaced value`;
    return { kind: "claim", path: segments, values: list };
  }
  if (head === "via") return NAME.test(rest) ? { kind: "via", field: rest } : `"${text}" does not name a field`;
  return `"${text}" is no audience`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/** Every audience kind, in the order the docs and error messages list them. */
export const AUDIENCE_KINDS = [
  "public",
  "authenticated",
  "owner",
  "self",
  "members",
  "members:ROLE|ROLE",
  "claim:PATH=VALUE|VALUE",
  "via:FIELD",
] as const;
