/**
 * `dbgen sql` at the terminal: rows as psql's aligned format prints them, and the interactive session
 * (statements read from stdin until EOF or \q, each outcome printed).
 */
import { createInterface } from "node:readline/promises";
import type { SqlOutcome, SqlResult, SqlSession } from "@dbgen/pipeline/commands/sql";
import { DbgenError } from "@dbgen/schema-core/diagnostics";

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? "NULL"
    : value instanceof Date
      ? value.toISOString()
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);

/** A header, a rule, the rows, and a count. */
function formatRows(rows: readonly Record<string, unknown>[]): string[] {
  if (rows.length === 0) return ["(0 rows)"];
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    ` ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(" | ")}`.trimEnd();
  return [
    line(columns),
    `-${widths.map((w) => "-".repeat(w)).join("-+-")}-`,
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? "" : "s"})`,
  ];
}

/** Rows for a query, a count for anything else. */
function outcomeLines(sql: string, outcome: SqlOutcome): string[] {
  return outcome.rows.length > 0 || /^\s*(select|with|values|table|show)\b/i.test(sql)
    ? formatRows(outcome.rows)
    : [`OK (${outcome.affected} row(s))`];
}

/** `-c SQL`'s outcome; a session printed each one as it ran. */
export function sqlText(r: SqlResult, command: string | undefined): string[] {
  return "rows" in r && command !== undefined ? outcomeLines(command, r) : [];
}

/** Reads statements (ended by `;`) from stdin until EOF or \q, saying each outcome. */
export const terminalSession =
  (say: (line: string) => void): SqlSession =>
  async (database, run) => {
    const tty = process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, terminal: tty, ...(tty ? { output: process.stdout } : {}) });
    const prompt = (continued: boolean) => {
      if (tty) process.stdout.write(continued ? "dbgen-> " : "dbgen=> ");
    };
    say(`Connected to ${database}. End statements with ";", \\q to quit.`);
    let buffer = "";
    let count = 0;
    prompt(false);
    try {
      // The async iterator buffers lines that arrive while a statement runs (piped input too).
      for await (const line of rl) {
        if (line.trim() === "\\q") break;
        buffer += `${line}\n`;
        if (line.trimEnd().endsWith(";")) {
          const sql = buffer;
          buffer = "";
          try {
            for (const out of outcomeLines(sql, await run(sql))) say(out);
            count++;
          } catch (error) {
            say(error instanceof DbgenError ? (error.diagnostics[0]?.message ?? error.message) : String(error));
          }
        }
        prompt(buffer !== "");
      }
    } finally {
      rl.close();
    }
    return count;
  };
