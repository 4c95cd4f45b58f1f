/**
 * The audiences of an access rule (spec §2a), parsed from the model's text: who an operation is for.
 * Pure: the reader validates them, production turns them into policies, `dbgen test` into expectations.
 */
import type { AccessOperation, TableAccess } from "./types.js";

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

/** The four operations an access rule speaks of, in the order every matrix lists them. */
export const ACCESS_OPERATIONS: readonly AccessOperation[] = ["select", "insert", "update", "delete"];

/** A table's access written as audiences per operation, whatever form the model used. */
export interface ExpandedAccess {
  readonly owner?: string;
  readonly scope: readonly string[];
  /** Audiences as the model writes them; `tenant` stands for the tenant mode's claim compared with a column. */
  readonly operations: Readonly<Record<AccessOperation, readonly string[]>>;
  readonly tenant?: { readonly column: string; readonly claim: string };
  /** The mode it came from (`rules` for per-operation rules). */
  readonly mode: TableAccess["mode"];
}

const every = (audiences: readonly string[]) =>
  Object.fromEntries(ACCESS_OPERATIONS.map((op) => [op, audiences])) as Record<AccessOperation, readonly string[]>;

/**
 * The audiences of each operation (spec §2a), a shorthand mode read as the rules it stands for:
 * `owner` every operation `owner`, `parent` every operation `via:{via}`, `authenticated` every
 * operation `authenticated`, `public-read` select `public` and the rest `authenticated`,
 * `service-only` (and no access at all) nobody, `tenant` every operation `tenant`.
 */
export function expandAccess(access: TableAccess | undefined): ExpandedAccess {
  const mode = access?.mode ?? "service-only";
  switch (mode) {
    case "rules": {
      const rules = access?.rules;
      return {
        mode,
        ...(rules?.owner !== undefined ? { owner: rules.owner } : {}),
        scope: rules?.scope ?? [],
        operations: rules?.operations ?? every([]),
      };
    }
    case "owner":
      return { mode, owner: access?.column ?? "", scope: [], operations: every(["owner"]) };
    case "parent":
      return { mode, scope: [], operations: every([`via:${access?.via ?? ""}`]) };
    case "authenticated":
      return { mode, scope: [], operations: every(["authenticated"]) };
    case "public-read":
      return {
        mode,
        scope: [],
        operations: {
          select: ["public"],
          insert: ["authenticated"],
          update: ["authenticated"],
          delete: ["authenticated"],
        },
      };
    case "tenant":
      return {
        mode,
        scope: [],
        operations: every(["tenant"]),
        tenant: { column: access?.column ?? "", claim: access?.claim ?? "tenant_id" },
      };
    default:
      return { mode, scope: [], operations: every([]) };
  }
}

/** An audience as people read it: the tenant mode's stands for `tenant(claim = column)`. */
export function audienceLabel(access: ExpandedAccess, audience: string): string {
  return audience === "tenant" && access.tenant ? `tenant(${access.tenant.claim} = ${access.tenant.column})` : audience;
}
