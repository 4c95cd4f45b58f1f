/**
 * `dbgen sql --module M [-c SQL] [--db URL]`: one query, or an interactive session, on the module's
 * database (the embedded PGlite by default) — where rollback's saved rows and the data live.
 */
import { ensureSqlParser, isReadOnlySql } from "@dbgen/busm-reader";
import { type Database, execScript, queryRaw, withSession } from "@dbgen/db";
import { loadModuleContext } from "@dbgen/prototype-generator";
import { type DbgenError, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { type DatabaseOptions, withModuleDatabase } from "../database.js";
import { writing } from "../project.js";

export interface SqlOptions extends DatabaseOptions {
  readonly module?: string;
  readonly command?: string;
}

/** What one statement did: its rows (a query), or how many rows it changed. */
export interface SqlOutcome {
  readonly rows: Record<string, unknown>[];
  readonly affected: number;
}

/**
 * An interactive session is the front end's (the CLI reads statements from its terminal): it is given
 * the open database and a way to run a statement, and resolves to how many statements it ran.
 */
export type SqlSession = (database: string, run: (sql: string) => Promise<SqlOutcome>) => Promise<number>;

export type SqlResult =
  | { readonly statements: number; readonly database: string }
  | { readonly rows: Record<string, unknown>[]; readonly affected: number; readonly database: string };

/** One statement with its rows; several at once run as a script (no rows). */
async function runSql(db: Database, sql: string): Promise<SqlOutcome> {
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

/**
 * `-c` with a plain read needs no confirmation: it runs in a READ ONLY transaction, so the server
 * refuses any write it could still reach (a function that writes), and nothing can change.
 */
async function readOnlyCommand(command: string | undefined): Promise<boolean> {
  if (command === undefined) return false;
  await ensureSqlParser();
  return isReadOnlySql(command);
}

async function runReadOnly(db: Database, sql: string): Promise<SqlOutcome> {
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

/** `-c SQL`: one statement (or script); without it, the front end's session. */
export function sqlCommand(
  global: RunContext,
  options: SqlOptions,
  session?: SqlSession,
): Promise<CommandResult<SqlResult>> {
  // Refused before anything is opened: an embedded database is made on first open.
  if (options.command === undefined && !session)
    return Promise.reject(userError("INVALID_CONFIG", "No SQL to run", "pass the statement to run (dbgen sql -c SQL)"));
  return writing(global, "sql", async (project) => {
    const ctx = await loadModuleContext(project, options.module);
    const read = await readOnlyCommand(options.command);
    const confirm = read ? { ...options, yes: true } : options;
    return withModuleDatabase(ctx, confirm, global, "Running SQL", async (db) => {
      if (options.command === undefined) {
        const statements = await (session as SqlSession)(db.description, (sql) => runSql(db, sql));
        return { result: { statements, database: db.description }, diagnostics: [] };
      }
      const outcome = read ? await runReadOnly(db, options.command) : await runSql(db, options.command);
      return {
        result: { rows: outcome.rows, affected: outcome.affected, database: db.description },
        diagnostics: [],
      };
    });
  });
}
