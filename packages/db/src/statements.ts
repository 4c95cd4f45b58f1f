/**
 * How a migration file runs: a file that builds, drops or rebuilds an index `CONCURRENTLY` cannot
 * run inside a transaction (PostgreSQL refuses), so it runs statement by statement; every other file
 * runs whole, in one transaction. dbgen apply and the Supabase CLI read files the same way.
 */
const CONCURRENT = /^\s*(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX|REINDEX(\s+\w+)?)\s+CONCURRENTLY\b/im;
/** A batched backfill (an expand step's): it commits batch by batch, which only a top-level DO may. */
const BATCHED = /^\s*DO\s+\$dbgen_backfill\$/im;

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, "");
}

/** True when `sql` must run outside a transaction: it builds, drops or rebuilds an index concurrently. */
export function runsOutsideTransaction(sql: string): boolean {
  const code = withoutComments(sql);
  return CONCURRENT.test(code) || BATCHED.test(code);
}

/** True for the statement (or the line) that runs concurrently. */
export function isConcurrentStatement(statement: string): boolean {
  return CONCURRENT.test(statement);
}

/**
 * The statements of a file that runs outside a transaction: SETs and one index statement, each
 * ending a line with `;` (a dollar-quoted DO block whole). NOTE: not a SQL splitter — a `;` at a line's
 * end inside a literal would split it; the files this reads are dbgen's own and the like (lint says when not).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  // A dollar-quoted body (a DO block) is one statement whatever its lines end with.
  let tag: string | undefined;
  for (const line of withoutComments(sql).split("\n")) {
    current += `${line}\n`;
    for (const [quote] of line.matchAll(/\$[A-Za-z_]*\$/g)) {
      if (tag === undefined) tag = quote;
      else if (quote === tag) tag = undefined;
    }
    if (tag === undefined && /;[ \t]*$/.test(line)) {
      out.push(current.replace(/;[ \t]*\n$/, "").trim());
      current = "";
    }
  }
  out.push(current.trim());
  return out.filter((s) => s.length > 0);
}

/** The index a concurrent statement builds or drops: its name as the catalog spells it, and its schema if named. */
export function concurrentIndexName(statement: string): { schema?: string; name: string } | undefined {
  const ident = `("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
  const match = new RegExp(
    String.raw`INDEX\s+CONCURRENTLY\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:${ident}\.)?${ident}`,
    "i",
  ).exec(statement);
  if (!match?.[2]) return undefined;
  const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s.toLowerCase());
  const onSchema = new RegExp(String.raw`\bON\s+(?:ONLY\s+)?${ident}\.`, "i").exec(statement)?.[1];
  const schema = match[1] ?? onSchema;
  return { name: unquote(match[2]), ...(schema ? { schema: unquote(schema) } : {}) };
}
