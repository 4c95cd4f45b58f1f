/**
 * Snapshots: a schema saved with a format version, its own id and its parent's id, serialized with
 * a stable key order so the same schema always gives the same bytes.
 */
import { createHash } from "node:crypto";
import { userError } from "../diagnostics.js";
import type { Schema } from "../ir/types.js";

export const SNAPSHOT_FORMAT_VERSION = 1;

export interface Snapshot {
  readonly formatVersion: number;
  /** A hash of the schema: two snapshots of the same schema have the same id. */
  readonly id: string;
  /** The id of the snapshot this one was diffed from; null for the first. */
  readonly parentId: string | null;
  readonly schema: Schema;
  /** Free, stable facts about how it was made (module, phase, iteration). */
  readonly meta: Readonly<Record<string, string | number>>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A copy with object keys sorted and `undefined` members removed; arrays keep their order. */
export function canonicalize(value: unknown): Json {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonicalize(member);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null)
    return value;
  throw new TypeError(`cannot serialize a ${typeof value}`);
}

export function schemaId(schema: Schema): string {
  return createHash("sha256")
    .update(JSON.stringify(canonicalize(schema)))
    .digest("hex")
    .slice(0, 16);
}

export function createSnapshot(
  schema: Schema,
  options: { parentId?: string | null; meta?: Record<string, string | number> } = {},
): Snapshot {
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    id: schemaId(schema),
    parentId: options.parentId ?? null,
    schema,
    meta: options.meta ?? {},
  };
}

/** The snapshot as JSON text: sorted keys, two-space indent, a final newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(canonicalize(snapshot), null, 2)}\n`;
}

/**
 * Upgrades from older format versions: `UPGRADES[n]` turns a version-n document into version n+1.
 * NOTE: version 1 is the first format, so the list is empty; a format change adds its step here
 * and bumps SNAPSHOT_FORMAT_VERSION, and old state files keep loading.
 */
const UPGRADES: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {};

/** Reads a snapshot, upgrading older formats; refuses a newer format or a malformed file. */
export function parseSnapshot(text: string, file?: string): Snapshot {
  const fail = (message: string, fix: string): never => {
    throw userError("INVALID_SNAPSHOT", message, fix, { file });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return fail(
      `State file is not JSON (${(error as Error).message})`,
      "restore it from version control, or regenerate the iteration",
    );
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    return fail("State file is not a snapshot object", "restore it from version control");
  let current = doc as Record<string, unknown>;
  let version = current.formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version))
    return fail("State file has no formatVersion", "restore it from version control");
  if (version > SNAPSHOT_FORMAT_VERSION)
    return fail(
      `State file format ${version} is newer than this dbgen understands (${SNAPSHOT_FORMAT_VERSION})`,
      "upgrade dbgen",
    );
  while (version < SNAPSHOT_FORMAT_VERSION) {
    const step = UPGRADES[version];
    if (!step) return fail(`State file format ${version} has no upgrade path`, "regenerate the iteration");
    current = step(current);
    version += 1;
  }
  const schema = current.schema as Schema | undefined;
  if (!schema || !Array.isArray(schema.tables))
    return fail("State file has no schema", "restore it from version control");
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    id: String(current.id),
    parentId: typeof current.parentId === "string" ? current.parentId : null,
    schema,
    meta: (current.meta as Record<string, string | number> | undefined) ?? {},
  };
}
