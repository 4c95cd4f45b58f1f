/**
 * `dbgen sql --module M [-c SQL] [--db URL]`: one query, or an interactive session, on the module's
 * database (the embedded PGlite by default) — where rollback's saved rows and the data live.
 */
import { createInterface } from "node:readline/promises";
import { ensureSqlParser, isReadOnlySql } from "@dbgen/busm-reader";
import { type Database, execScript, queryRaw, withSession } from "@dbgen/db";
import { loadModuleContext } from "@dbgen/prototype-generator";
import { DbgenError, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { type DatabaseOptions, withModuleDatabase } from "../database.js";
import { writing } from "../project.js";

export interface SqlOptions extends DatabaseOptions {
  readonly module?: string;
  readonly command?: string;
}

interface Outcome {
  readonly rows: Record<string, unknown>[];
  readonly affected: number;
}

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? "NULL"
    : value instanceof Date
      ? value.toISOString()
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);

/** Rows as psql's aligned format prints them: a header, a rule, the rows, and a count. */
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

/** One statement with its rows; several at once run as a script (no rows). */
async function runSql(db: Database, sql: string): Promise<Outcome> {
  try {
    const { rows, affected } = await queryRaw<Record<string, unknown>>(db.knex, sql);
    return { rows, affected };
  } catch (error) {
    const message = (error as Error).message ?? "";
    if (!/multiple commands/i.test(message)) throw sqlError(message);
    try {
      await execScript(db.knex, sql);
      return { rows: [], affected: 0 };
    } catch (inner) {
      throw sqlError((inner as Error).message);
    }
  }
}

function sqlError(message: string): DbgenError {
  return userError(
    "MIGRATION_FAILED",
    `The database refused the SQL: ${message}`,
    "correct the statement and run it again",
  );
}

/** Reads statements (ended by `;`) from stdin until EOF or \q, printing each result. */
async function interactive(db: Database, say: (line: string) => void): Promise<number> {
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, terminal: tty, ...(tty ? { output: process.stdout } : {}) });
  const prompt = (continued: boolean) => {
    if (tty) process.stdout.write(continued ? "dbgen-> " : "dbgen=> ");
  };
  say(`Connected to ${db.description}. End statements with ";", \\q to quit.`);
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
          for (const out of describeOutcome(sql, await runSql(db, sql))) say(out);
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
}

/** Rows for a query, a count for anything else. */
function describeOutcome(sql: string, outcome: Outcome): string[] {
  return outcome.rows.length > 0 || /^\s*(select|with|values|table|show)\b/i.test(sql)
    ? formatRows(outcome.rows)
    : [`OK (${outcome.affected} row(s))`];
}

/**
 * `-c` with a plain read needs no confirmation: it runs in a READ ONLY transaction, so the server
 * refuses any write it could still reach (a function that writes), and nothing can change.
 */
async function readOnlyCommand(command: string | undefined): Promise<boolean> {
  if (command === undefined) return false;
  await ensureSqlParser();
  return isReadOnlySql(command);
}

async function runReadOnly(db: Database, sql: string): Promise<Outcome> {
  try {
    // One session, so the transaction's READ ONLY covers the query.
    return await withSession(db.knex, async (query) => {
      await query("BEGIN TRANSACTION READ ONLY");
      try {
        const rows = await query<Record<string, unknown>>(sql);
        return { rows, affected: rows.length };
      } finally {
        await query("ROLLBACK");
      }
    });
  } catch (error) {
    throw sqlError((error as Error).message ?? String(error));
  }
}

export function sqlCommand(global: RunContext, options: SqlOptions): Promise<CommandResult> {
  return writing(global, "sql", async (project) => {
    const ctx = await loadModuleContext(project, options.module);
    const read = await readOnlyCommand(options.command);
    const confirm = read ? { ...options, yes: true } : options;
    return withModuleDatabase(ctx, confirm, global, "Running SQL", async (db) => {
      if (options.command === undefined) {
        const statements = await interactive(db, global.progress);
        return { result: { statements, database: db.description }, diagnostics: [] };
      }
      const outcome = read ? await runReadOnly(db, options.command) : await runSql(db, options.command);
      return {
        result: { rows: outcome.rows, affected: outcome.affected, database: db.description },
        diagnostics: [],
        lines: describeOutcome(options.command, outcome),
      };
    });
  });
}
