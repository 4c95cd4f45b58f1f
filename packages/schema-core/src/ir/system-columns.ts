/**
 * The columns production adds to every table and keeps with its triggers (`created_at`, `version`, …).
 * A model field may share such a name only with a type the triggers can keep; anything else would
 * pass the prototype and then break every UPDATE or DELETE in production.
 */
import type { SqlTypeName } from "./types.js";

export const SYSTEM_COLUMN_TYPES: Readonly<Record<string, readonly SqlTypeName[]>> = {
  created_at: ["timestamptz"],
  created_by: ["uuid"],
  updated_at: ["timestamptz"],
  updated_by: ["uuid"],
  deleted_at: ["timestamptz"],
  version: ["integer", "bigint"],
};
