/**
 * The BUSM's raw SQL (a `{ "sql": … }` default, an index's `where`) must be one expression and
 * nothing else: PostgreSQL's own parser (libpg-query) reads it as `SELECT <expression>`, so input can
 * never smuggle a second statement into the generated DDL.
 *
 * NOTE: the parser is WASM and takes ~40 ms to load, so it loads only when an expression needs it
 * (`ensureSqlParser`, which `readProject` calls); the everyday defaults (`now()`,
 * `gen_random_uuid()`, `CURRENT_TIMESTAMP`) need no parser.
 */

interface ParsedSelect {
  stmts: {
    stmt: {
      SelectStmt?: {
        targetList?: unknown[];
        fromClause?: unknown;
        whereClause?: unknown;
        withClause?: unknown;
        op?: string;
      };
    };
  }[];
}

let parse: ((sql: string) => unknown) | undefined;

/** Loads PostgreSQL's parser once per process. */
export async function ensureSqlParser(): Promise<void> {
  if (parse) return;
  const { loadModule, parseSync } = await import("libpg-query");
  await loadModule();
  parse = parseSync;
}

/** A call of a known function without arguments, or a SQL keyword value: safe without parsing. */
const TRIVIAL =
  /^\s*(now\(\)|gen_random_uuid\(\)|current_timestamp|current_date|current_time|localtimestamp|true|false|null|-?\d+(\.\d+)?)\s*$/i;

/** True when some expression among `texts` needs the parser (so `ensureSqlParser` must run first). */
export function needsSqlParser(texts: readonly string[]): boolean {
  return texts.some((t) => !TRIVIAL.test(t));
}

/** Why `expression` is not a single SQL expression, or undefined when it is one. */
export function sqlExpressionProblem(expression: string): string | undefined {
  if (expression.trim() === "") return "it is empty";
  if (TRIVIAL.test(expression)) return undefined;
  if (!parse)
    return "it could not be checked: PostgreSQL's parser is not loaded (await ensureSqlParser() before analysing)";
  let parsed: ParsedSelect;
  try {
    parsed = parse(`SELECT ${expression}`) as ParsedSelect;
  } catch (error) {
    return `PostgreSQL cannot parse it (${(error as Error).message})`;
  }
  if (parsed.stmts.length !== 1) return "it holds more than one statement";
  const select = parsed.stmts[0]?.stmt.SelectStmt;
  if (
    !select ||
    (select.targetList?.length ?? 0) !== 1 ||
    select.fromClause ||
    select.whereClause ||
    select.withClause ||
    (select.op && select.op !== "SETOP_NONE")
  ) {
    return "it is not a single expression";
  }
  if (JSON.stringify(select).includes('"SubLink"')) return "it holds a subquery";
  return undefined;
}
