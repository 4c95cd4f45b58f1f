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
import { containExpression, containInsert, parseSideFile } from "@dbgen/busm-reader";
import { DEFAULT_PATHS } from "@dbgen/project";
import { DbgenError, type Diagnostic } from "@dbgen/schema-core";
import { Ajv } from "ajv";

/** The contract's place for the backfill file (a project's config may move it). */

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

/**
 * The backfill rules, each value checked and deparsed like every expression from the model (a scalar
 * subquery over the schema's own tables allowed), each `before` an INSERT … VALUES into one of them.
 * Call `ensureSqlParser()` (from @dbgen/busm-reader) first.
 */
export function parseBackfill(text: string, file: string = DEFAULT_PATHS.backfill, schema = "public"): BackfillRule[] {
  const side = parseSideFile<{ backfill?: BackfillRule[] }>(text, file, validate, "docs/production.md");
  const rules = side.value.backfill ?? [];
  const problems: Diagnostic[] = [];
  const contained = rules.map((rule, i) => {
    const refuse = (key: "value" | "before", problem: string, fix: string): undefined => {
      const message = `The backfill of ${rule.table}.${rule.column} is refused (its ${key}): ${problem}`;
      const line = side.lineOf(["backfill", i, key]);
      problems.push({
        severity: "error",
        code: "INVALID_EXPRESSION",
        file,
        line,
        path: `backfill.${i}.${key}`,
        message,
        fix,
      });
      return undefined;
    };
    const value =
      rule.value === undefined ? undefined : containExpression(rule.value, { subqueries: "scalar", schema });
    const before = rule.before === undefined ? undefined : containInsert(rule.before, schema);
    if (value?.problem)
      refuse("value", value.problem, "write one SQL expression; a scalar (SELECT …) may read the schema's own tables");
    if (before?.problem)
      refuse(
        "before",
        before.problem,
        `write one INSERT INTO ${schema}.<table> (…) VALUES (…) [ON CONFLICT DO NOTHING]`,
      );
    return {
      table: rule.table,
      column: rule.column,
      ...(value?.sql !== undefined ? { value: value.sql } : {}),
      ...(before?.sql !== undefined ? { before: before.sql } : {}),
    };
  });
  if (problems.length > 0) throw new DbgenError(problems);
  return contained;
}
