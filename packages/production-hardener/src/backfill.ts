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
import { parseSideFile } from "@dbgen/busm-reader";
import { DEFAULT_PATHS } from "@dbgen/project";
import { Ajv } from "ajv";

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
  return parseSideFile<{ backfill?: BackfillRule[] }>(text, file, validate, "docs/production.md").value.backfill ?? [];
}
