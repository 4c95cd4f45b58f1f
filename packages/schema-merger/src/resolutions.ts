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
import { DEFAULT_PATHS } from "@dbgen/project";
import { DbgenError, type Diagnostic } from "@dbgen/schema-core";
import { Ajv } from "ajv";
import { LineCounter, parseDocument } from "yaml";
import { parseType } from "./type-rules.js";
import type { Resolution } from "./types.js";

export const RESOLUTIONS_PATH = DEFAULT_PATHS.resolutions;

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

export function parseResolutions(text: string, file = RESOLUTIONS_PATH): Resolution[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const fail = (diagnostics: Diagnostic[]): never => {
    throw new DbgenError(diagnostics);
  };
  if (doc.errors.length > 0) {
    fail(
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
    fail(
      (validate.errors ?? []).map((e) => ({
        severity: "error",
        code: "INVALID_CONFIG",
        file,
        path: e.instancePath.split("/").slice(1).join("."),
        message: `${e.instancePath || "the file"} ${e.message ?? "is invalid"}`,
        fix: "see docs/merge.md for the format",
      })),
    );
  }
  const entries =
    (value as { resolutions?: { table: string; column: string; type: string; nullable?: boolean; reason?: string }[] })
      .resolutions ?? [];
  return entries.map((r, i) => {
    const type = parseType(r.type);
    if (!type) {
      const node = doc.getIn(["resolutions", i, "type"], true) as { range?: [number] } | undefined;
      fail([
        {
          severity: "error",
          code: "UNKNOWN_TYPE",
          file,
          line: node?.range ? lineCounter.linePos(node.range[0]).line : 1,
          path: `resolutions[${i}].type`,
          message: `Unknown type "${r.type}"`,
          fix: "use uuid, text, varchar(n), integer, bigint, numeric(p,s), boolean, date, time, timestamptz or jsonb",
        },
      ]);
    }
    return {
      table: r.table,
      column: r.column,
      type: type as NonNullable<typeof type>,
      ...(r.nullable !== undefined ? { nullable: r.nullable } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    };
  });
}
