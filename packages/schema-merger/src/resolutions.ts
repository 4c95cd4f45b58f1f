/**
 * `merge-resolutions.yaml` (in the pipeline folder): a person's decisions for conflicts the rules cannot settle.
 *
 * ```yaml
 * resolutions:
 *   - table: accounts
 *     column: external_ref
 *     type: text            # uuid, text, varchar(n), integer, bigint, numeric(p,s), boolean, date, time, timestamptz, jsonb
 *     nullable: true        # optional
 *     reason: CRM sends numbers, billing sends codes
 * ```
 */
import { parseSideFile } from "@dbgen/busm-reader";
import { DEFAULT_PATHS } from "@dbgen/project";
import { userError } from "@dbgen/schema-core";
import { Ajv } from "ajv";
import { parseType } from "./type-rules.js";
import type { Resolution } from "./types.js";

const validate = new Ajv({ allErrors: true }).compile({
  type: "object",
  additionalProperties: false,
  properties: {
    resolutions: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["table", "column", "type"],
        properties: {
          table: { type: "string" },
          column: { type: "string" },
          type: { type: "string" },
          nullable: { type: "boolean" },
          reason: { type: "string" },
        },
      },
    },
  },
});

export function parseResolutions(text: string, file: string = DEFAULT_PATHS.resolutions): Resolution[] {
  type Entry = { table: string; column: string; type: string; nullable?: boolean; reason?: string };
  const parsed = parseSideFile<{ resolutions?: Entry[] }>(text, file, validate, "docs/merge.md");
  const entries = parsed.value.resolutions ?? [];
  return entries.map((r, i) => {
    const type = parseType(r.type);
    if (!type) {
      throw userError(
        "UNKNOWN_TYPE",
        `Unknown type "${r.type}"`,
        "use uuid, text, varchar(n), integer, bigint, numeric(p,s), boolean, date, time, timestamptz or jsonb",
        { file, line: parsed.lineOf(["resolutions", i, "type"]), path: `resolutions[${i}].type` },
      );
    }
    return {
      table: r.table,
      column: r.column,
      type,
      ...(r.nullable !== undefined ? { nullable: r.nullable } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    };
  });
}
