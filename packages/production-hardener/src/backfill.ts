/**
 * `production-backfill.yaml` (in the pipeline folder): how to fill a column that becomes NOT NULL on a table that
 * already holds rows, when it has no default to fill it with.
 *
 * ```yaml
 * backfill:
 *   - table: accounts
 *     column: account_number
 *     value: "'AC-' || lpad(…)"         # SQL expression: UPDATE … SET column = <value> WHERE column IS NULL
 *     before: "INSERT INTO …"           # optional: a statement to run first
 * ```
 */
import { DEFAULT_PATHS } from "@dbgen/project";
import { DbgenError } from "@dbgen/schema-core";
import { Ajv } from "ajv";
import { parseDocument } from "yaml";

/** The contract's place for the backfill file (a project's config may move it). */
export const BACKFILL_PATH = DEFAULT_PATHS.backfill;

export interface BackfillRule {
  readonly table: string;
  readonly column: string;
  readonly value?: string;
  readonly before?: string;
}

const validate = new Ajv({ allErrors: true }).compile({
  type: "object",
  additionalProperties: false,
  properties: {
    backfill: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["table", "column"],
        anyOf: [{ required: ["value"] }, { required: ["before"] }],
        properties: {
          table: { type: "string" },
          column: { type: "string" },
          value: { type: "string" },
          before: { type: "string" },
        },
      },
    },
  },
});

export function parseBackfill(text: string, file = BACKFILL_PATH): BackfillRule[] {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new DbgenError(
      doc.errors.map((e) => ({
        severity: "error",
        code: e.code === "DUPLICATE_KEY" ? "DUPLICATE_KEY" : "PARSE_ERROR",
        file,
        line: e.linePos?.[0]?.line ?? 1,
        message: e.message.split("\n")[0] ?? e.code,
        fix: "correct the YAML",
      })),
    );
  }
  const value: unknown = doc.toJS() ?? {};
  if (!validate(value)) {
    throw new DbgenError(
      (validate.errors ?? []).map((e) => ({
        severity: "error",
        code: "INVALID_CONFIG",
        file,
        path: e.instancePath.split("/").slice(1).join("."),
        message: `${e.instancePath || "the file"} ${e.message ?? "is invalid"}`,
        fix: "see docs/production.md for the format",
      })),
    );
  }
  return (value as { backfill?: BackfillRule[] }).backfill ?? [];
}
