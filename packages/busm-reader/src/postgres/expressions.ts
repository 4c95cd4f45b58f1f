/**
 * SQL from the model and its side files is data until proven an expression. PostgreSQL's own parser
 * (libpg-query) reads it as `SELECT <expression>`; it must be exactly one expression, with no comment,
 * no subquery (a backfill value may hold a scalar subquery over the schema's own tables), and only
 * the functions of `ALLOWED_FUNCTIONS`. What dbgen renders is the expression deparsed from the parse
 * tree (pgsql-deparser), never the text as written: nothing in it can end the expression.
 *
 * NOTE: the parser is WASM and takes ~40 ms to load, so it loads only when an expression needs it
 * (`ensureSqlParser`, which `readProject` calls); the everyday defaults (`now()`,
 * `gen_random_uuid()`, `CURRENT_TIMESTAMP`) need no parser.
 */

/**
 * The functions an expression may call (any schema-less name, or `pg_catalog.` / `auth.` as listed):
 * pure functions of their arguments, clocks and ids, and Supabase's auth helpers. Nothing that reads
 * files, other tables, settings or the catalog (`pg_read_file`, `query_to_xml`, `current_setting`, `set_config`…).
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // ids and clocks
  "gen_random_uuid",
  "uuid_generate_v4",
  "now",
  "clock_timestamp",
  "statement_timestamp",
  "transaction_timestamp",
  "timezone",
  "date_trunc",
  "date_part",
  "extract",
  "make_date",
  "make_timestamptz",
  "make_interval",
  "age",
  "to_char",
  "to_date",
  "to_timestamp",
  "to_number",
  // text
  "lower",
  "upper",
  "initcap",
  "length",
  "char_length",
  "octet_length",
  "btrim",
  "ltrim",
  "rtrim",
  "lpad",
  "rpad",
  "left",
  "right",
  "substr",
  "substring",
  "replace",
  "translate",
  "concat",
  "concat_ws",
  "strpos",
  "position",
  "starts_with",
  "split_part",
  "format",
  "md5",
  "regexp_replace",
  "regexp_like",
  // numbers
  "abs",
  "round",
  "trunc",
  "floor",
  "ceil",
  "ceiling",
  "mod",
  "power",
  "sign",
  "random",
  // json and arrays
  "jsonb_build_object",
  "jsonb_build_array",
  "json_build_object",
  "json_build_array",
  "to_jsonb",
  "to_json",
  "jsonb_typeof",
  "array_length",
  "cardinality",
  "array_to_string",
  // full-text search (a generated tsvector column)
  "to_tsvector",
  "setweight",
  // Supabase's auth helpers
  "auth.uid",
  "auth.jwt",
  "auth.role",
]);

/** Aggregates a backfill value's scalar subquery may use. */
const BACKFILL_AGGREGATES: ReadonlySet<string> = new Set(["count", "min", "max", "sum", "avg"]);

export interface ExpressionRules {
  /**
   * `none` (defaults, checks, index predicates), or `scalar` (backfill values): a scalar subquery
   * reading only `schema`'s tables.
   */
  readonly subqueries: "none" | "scalar";
  /** The schema a scalar subquery may read (default `public`). */
  readonly schema?: string;
}

type Node = Record<string, unknown>;
type Parse = (sql: string) => { stmts: { stmt: Node }[] };
type Scan = (sql: string) => { tokens: { tokenName?: string; start: number }[] };
type DeparseNode = (node: unknown, options?: { pretty?: boolean }) => string;

let parser: { parse: Parse; scan: Scan; deparse: DeparseNode } | undefined;

/** Loads PostgreSQL's parser and the deparser once per process. */
export async function ensureSqlParser(): Promise<void> {
  if (parser) return;
  const [{ loadModule, parseSync, scanSync }, { Deparser }] = await Promise.all([
    import("libpg-query"),
    import("pgsql-deparser"),
  ]);
  await loadModule();
  parser = {
    parse: parseSync as unknown as Parse,
    scan: scanSync as unknown as Scan,
    deparse: (node, options) => Deparser.deparse(node as never, options),
  };
}

/** A call of a known function without arguments, or a SQL keyword value: safe without parsing. */
const TRIVIAL =
  /^\s*(now\(\)|gen_random_uuid\(\)|current_timestamp|current_date|current_time|localtimestamp|true|false|null|-?\d+(\.\d+)?)\s*$/i;

/** True when some expression among `texts` needs the parser (so `ensureSqlParser` must run first). */
export function needsSqlParser(texts: readonly string[]): boolean {
  return texts.some((t) => !TRIVIAL.test(t));
}

export type Contained =
  | { readonly sql: string; readonly problem?: undefined }
  | { readonly sql?: undefined; readonly problem: string };

function functionName(call: Node): string {
  const parts = ((call.funcname as Node[] | undefined) ?? []).map((p) => String((p.String as Node | undefined)?.sval));
  return parts.length === 2 && parts[0] === "pg_catalog" ? (parts[1] ?? "") : parts.join(".");
}

/**
 * Every node under `root`, with its type name (`FuncCall`, `SubLink`, …). A subquery's body
 * (`SelectStmt`) is yielded but not entered: the caller checks it under the subquery's own rules.
 */
function* nodes(root: unknown): Generator<[string, Node]> {
  if (Array.isArray(root)) for (const item of root) yield* nodes(item);
  else if (root && typeof root === "object")
    for (const [key, value] of Object.entries(root as Node)) {
      if (/^[A-Z]/.test(key) && value && typeof value === "object") yield [key, value as Node];
      if (key !== "SelectStmt") yield* nodes(value);
    }
}

/** Why one node of an expression is not allowed, or undefined; a subquery's body is checked whole. */
function nodeProblem(type: string, node: Node, rules: ExpressionRules, inSubquery: boolean): string | undefined {
  if (type === "FuncCall") {
    const name = functionName(node);
    if (!ALLOWED_FUNCTIONS.has(name) && !(inSubquery && BACKFILL_AGGREGATES.has(name)))
      return `it calls ${name}(), which is not on dbgen's list of allowed functions (docs/production.md)`;
  }
  if (type === "SubLink") {
    if (rules.subqueries === "none") return "it holds a subquery";
    if (node.subLinkType !== "EXPR_SUBLINK") return "it holds a subquery that is not a scalar (SELECT …) value";
  }
  if (type === "RangeVar") {
    if (!inSubquery) return "it reads a table";
    const schema = node.schemaname as string | undefined;
    if (schema !== (rules.schema ?? "public"))
      return `its subquery reads ${schema ? `${schema}.` : ""}${String(node.relname)}: name a table of schema ${rules.schema ?? "public"} with its schema`;
  }
  if (type === "RangeFunction" || type === "RangeSubselect" || type === "CommonTableExpr")
    return "its subquery reads something other than the schema's tables";
  if (type === "SelectStmt") return treeProblem(node, rules, true);
  return undefined;
}

/**
 * Why the parse tree of an expression is not allowed, or undefined. Every node is checked: a
 * subquery anywhere does not end the walk of what surrounds it (`(SELECT 1) + f(…)` checks `f`).
 */
function treeProblem(root: unknown, rules: ExpressionRules, inSubquery = false): string | undefined {
  for (const [type, node] of nodes(root)) {
    const problem = nodeProblem(type, node, rules, inSubquery);
    if (problem) return problem;
  }
  return undefined;
}

/** `text` parsed as exactly one statement with no comment, or why not. Call `ensureSqlParser()` first. */
function oneStatement(text: string): { readonly stmt: Node } | { readonly problem: string } {
  if (!parser)
    return { problem: "it could not be checked: PostgreSQL's parser is not loaded (await ensureSqlParser() before)" };
  let tree: { stmts: { stmt: Node }[] };
  try {
    tree = parser.parse(text);
  } catch (error) {
    return { problem: `PostgreSQL cannot parse it (${(error as Error).message})` };
  }
  if (parser.scan(text).tokens.some((t) => /COMMENT/.test(t.tokenName ?? "")))
    return { problem: "it holds a comment (-- or /* */)" };
  const [only, ...more] = tree.stmts;
  if (!only || more.length > 0) return { problem: "it holds more than one statement" };
  return { stmt: only.stmt };
}

/**
 * The expression as dbgen renders it (deparsed from PostgreSQL's parse tree), or why it is refused.
 * Call `ensureSqlParser()` first unless the text is trivial.
 */
export function containExpression(expression: string, rules: ExpressionRules = { subqueries: "none" }): Contained {
  if (expression.trim() === "") return { problem: "it is empty" };
  if (TRIVIAL.test(expression)) return { sql: expression.trim() };
  if (!parser)
    return { problem: "it could not be checked: PostgreSQL's parser is not loaded (await ensureSqlParser() before)" };
  const parsed = oneStatement(`SELECT ${expression}`);
  if ("problem" in parsed) return parsed;
  const select = parsed.stmt.SelectStmt as Node | undefined;
  const targets = (select?.targetList as Node[] | undefined) ?? [];
  if (
    !select ||
    targets.length !== 1 ||
    select.fromClause ||
    select.whereClause ||
    select.withClause ||
    select.valuesLists ||
    (select.op && select.op !== "SETOP_NONE")
  )
    return { problem: "it is not a single expression" };
  const value = (targets[0]?.ResTarget as Node | undefined)?.val;
  const problem = treeProblem(value, rules);
  if (problem) return { problem };
  return { sql: parser.deparse(value, { pretty: false }) };
}

/**
 * What dbgen renders for an expression the checks accepted: its deparsed form (the text itself only
 * when it is trivial, or when the checks refused it and nothing will be rendered).
 */
export function renderedExpression(expression: string, rules?: ExpressionRules): string {
  return containExpression(expression, rules).sql ?? expression;
}

/** Why `expression` is not an allowed expression, or undefined when it is one. */
export function sqlExpressionProblem(expression: string, rules?: ExpressionRules): string | undefined {
  return containExpression(expression, rules).problem;
}

/**
 * The column names an allowed expression reads, sorted (a qualified one dotted, `other.col`); empty
 * when the text is refused or trivial.
 */
export function expressionColumns(expression: string): string[] {
  if (!parser || TRIVIAL.test(expression) || containExpression(expression).problem) return [];
  const parsed = oneStatement(`SELECT ${expression}`);
  if ("problem" in parsed) return [];
  const select = parsed.stmt.SelectStmt as Node | undefined;
  const columns = new Set<string>();
  for (const [type, node] of nodes(select?.targetList))
    if (type === "ColumnRef") {
      const names = ((node.fields as Node[] | undefined) ?? []).map((f) => (f.String as Node | undefined)?.sval);
      if (names.every((n) => n !== undefined)) columns.add(names.join("."));
    }
  return [...columns].sort();
}

/**
 * A backfill's `before`: one `INSERT INTO <schema>.<table> … VALUES …` (optionally `ON CONFLICT DO
 * NOTHING`) whose values are allowed expressions; deparsed, or why it is refused.
 */
export function containInsert(statement: string, schema = "public"): Contained {
  if (!parser)
    return { problem: "it could not be checked: PostgreSQL's parser is not loaded (await ensureSqlParser() before)" };
  const parsed = oneStatement(statement);
  if ("problem" in parsed) return parsed;
  const insert = parsed.stmt.InsertStmt as Node | undefined;
  if (!insert) return { problem: "it is not an INSERT" };
  const relation = insert.relation as Node;
  if (relation.schemaname !== schema)
    return { problem: `it must insert into a table of schema ${schema}, named with it` };
  const source = (insert.selectStmt as Node | undefined)?.SelectStmt as Node | undefined;
  if (!source?.valuesLists || insert.returningList || insert.withClause)
    return { problem: "it must be INSERT … VALUES (…), without RETURNING or WITH" };
  const conflict = insert.onConflictClause as Node | undefined;
  if (conflict && conflict.action !== "ONCONFLICT_NOTHING")
    return { problem: "only ON CONFLICT … DO NOTHING is allowed" };
  const problem = treeProblem(source.valuesLists, { subqueries: "scalar", schema });
  if (problem) return { problem };
  return { sql: parser.deparse(parsed.stmt, { pretty: false }) };
}

/** A plain read: SELECT (no INTO, no FOR UPDATE/SHARE), SHOW, or EXPLAIN without ANALYZE. */
function readsOnly(stmt: Node): boolean {
  const [kind, body] = Object.entries(stmt)[0] ?? [];
  const node = (body ?? {}) as Record<string, unknown>;
  if (kind === "SelectStmt") return node.intoClause === undefined && node.lockingClause === undefined;
  if (kind === "VariableShowStmt") return true;
  if (kind === "ExplainStmt")
    return !JSON.stringify(node.options ?? []).includes('"analyze"') && readsOnly((node.query ?? {}) as Node);
  return false;
}

/**
 * True when every statement of `sql` only reads (PostgreSQL's parser decides; text it cannot parse is
 * not a read). A read may still call a function that writes: run it in a READ ONLY transaction too.
 * Call `ensureSqlParser()` first.
 */
export function isReadOnlySql(sql: string): boolean {
  if (!parser) return false;
  try {
    const { stmts } = parser.parse(sql);
    return stmts.length > 0 && stmts.every((s) => readsOnly(s.stmt));
  } catch {
    return false;
  }
}
