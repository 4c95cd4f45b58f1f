/**
 * Identifier rules: PostgreSQL's 63-byte limit, deterministic shortening, derived constraint and
 * index names, and which names are keywords.
 */
import { createHash } from "node:crypto";
import { PG_KEYWORDS } from "../dialect/postgres/keywords.js";

/** PostgreSQL's NAMEDATALEN - 1. */
export const MAX_IDENTIFIER_BYTES = 63;
const HASH_CHARS = 8;

const encoder = new TextEncoder();

export function byteLength(name: string): number {
  // Plain ASCII (nearly every name) is one byte a character: no need to encode.
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) return encoder.encode(name).length;
  return name.length;
}

export function shortHash(text: string, length = HASH_CHARS): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** The longest prefix of `name` that fits in `maxBytes` without splitting a UTF-8 character. */
function prefixWithinBytes(name: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of name) {
    const size = byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return name.slice(0, end);
}

/**
 * A name that fits PostgreSQL's 63 bytes. Longer names keep a prefix and end with `_` and a hash of
 * the whole name, so two names that share their first 63 bytes still differ.
 *
 * @example shortenIdentifier("a".repeat(70)) // "aaaa…aaa_3f1c2b9e" (63 bytes)
 */
export function shortenIdentifier(name: string): string {
  if (byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const prefix = prefixWithinBytes(name, MAX_IDENTIFIER_BYTES - HASH_CHARS - 1);
  return `${prefix}_${shortHash(name)}`;
}

export type DerivedNameKind = "pkey" | "fkey" | "key" | "idx" | "check";

/** PostgreSQL's own naming convention (`accounts_pkey`, `locations_account_id_fkey`), shortened. */
export function derivedName(table: string, columns: readonly string[], kind: DerivedNameKind): string {
  const parts = kind === "pkey" ? [table] : [table, ...columns];
  return shortenIdentifier(`${parts.join("_")}_${kind}`);
}

/**
 * Allocates derived names inside one schema, where index and constraint names share a namespace
 * with tables. A name already taken gets a hash of what it names, so no two ever collide.
 */
export class NameAllocator {
  readonly #taken = new Set<string>();

  reserve(name: string): void {
    this.#taken.add(name);
  }

  /**
   * @param pattern a naming pattern with `{table}` and `{column}` (the columns joined by `_`), e.g.
   * the seed's `idx_{table}_{column}`; PostgreSQL's convention when absent.
   */
  allocate(table: string, columns: readonly string[], kind: DerivedNameKind, pattern?: string): string {
    let name = pattern
      ? shortenIdentifier(pattern.replaceAll("{table}", table).replaceAll("{column}", columns.join("_")))
      : derivedName(table, columns, kind);
    if (this.#taken.has(name)) {
      const salt = shortHash(`${table}\u0000${kind}\u0000${columns.join("\u0000")}`);
      name = shortenIdentifier(`${table}_${columns.join("_")}_${salt}_${kind}`);
    }
    this.#taken.add(name);
    return name;
  }
}

/**
 * True when PostgreSQL needs `name` quoted: the same rule as the server's `quote_ident()` —
 * anything but lower-case letters, digits and `_`, a leading digit, or any keyword that is
 * not unreserved.
 */
export function needsQuoting(name: string): boolean {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) return true;
  const category = PG_KEYWORDS.get(name);
  return category !== undefined && category !== "U";
}

/** True for any PostgreSQL keyword that `quote_ident()` would quote (`order`, `user`, `group`). */
export function isReservedWord(name: string): boolean {
  const category = PG_KEYWORDS.get(name);
  return category !== undefined && category !== "U";
}
