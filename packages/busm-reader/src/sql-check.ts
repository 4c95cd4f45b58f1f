/**
 * The BUSM's raw SQL (a `{ "sql": … }` default, an index's `where`) must be one expression and
 * nothing else: PostgreSQL's own parser (libpg-query) reads it as `SELECT <expression>`, so input can
 * never smuggle a second statement into the generated DDL.
 */
import { loadModule, parseSync } from "libpg-query";

// NOTE: the parser is WASM; loading it takes ~30 ms, once per process.
await loadModule();

interface ParsedSelect {
  stmts: { stmt: { SelectStmt?: { targetList?: unknown[]; fromClause?: unknown; whereClause?: unknown; withClause?: unknown; op?: string } } }[];
}

/** Why `expression` is not a single SQL expression, or undefined when it is one. */
export function sqlExpressionProblem(expression: string): string | undefined {
  if (expression.trim() === "") return "it is empty";
  let parsed: ParsedSelect;
  try {
    parsed = parseSync(`SELECT ${expression}`) as ParsedSelect;
  } catch (error) {
    return `PostgreSQL cannot parse it (${(error as Error).message})`;
  }
  if (parsed.stmts.length !== 1) return "it holds more than one statement";
  const select = parsed.stmts[0]?.stmt.SelectStmt;
  if (!select || (select.targetList?.length ?? 0) !== 1 || select.fromClause || select.whereClause || select.withClause || (select.op && select.op !== "SETOP_NONE")) {
    return "it is not a single expression";
  }
  if (JSON.stringify(select).includes('"SubLink"')) return "it holds a subquery";
  return undefined;
}
