/**
 * Running generated statements: all in one transaction, so a failure leaves nothing behind, and a
 * failure names the statement and the reason.
 */
import { userError } from "@dbgen/schema-core";
import type { Knex } from "knex";

/** What both drivers' connections (pg.Client and PGlite) offer; PGlite adds `exec` for scripts. */
interface RawConnection {
  query(sql: string): Promise<unknown>;
  exec?(sql: string): Promise<unknown>;
}

type ConnectionClient = {
  acquireConnection(): Promise<RawConnection>;
  releaseConnection(c: RawConnection): Promise<unknown>;
};

async function withConnection<T>(
  trx: Knex.Transaction | Knex,
  use: (connection: RawConnection) => Promise<T>,
): Promise<T> {
  const client = trx.client as ConnectionClient;
  const connection = await client.acquireConnection();
  try {
    return await use(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * Runs a whole SQL script (several statements) on the transaction's connection: PGlite's `exec`,
 * or pg's simple-query protocol, which both accept many statements at once.
 */
export async function execScript(trx: Knex.Transaction | Knex, sql: string): Promise<void> {
  await withConnection(trx, async (connection) => {
    if (connection.exec) await connection.exec(sql);
    else await connection.query(sql);
  });
}

/**
 * Runs one statement on the transaction's own connection.
 * NOTE: not `trx.raw()`: knex rewrites every `?` into a bind parameter (`$1`) and drops the
 * backslashes before it, which would corrupt literals, comments and regular expressions.
 */
export async function execRaw(trx: Knex.Transaction | Knex, sql: string): Promise<void> {
  await withConnection(trx, async (connection) => {
    await connection.query(sql);
  });
}

/** Like `execRaw`, with the rows and the number of rows written (pg's `rowCount`, PGlite's `affectedRows`). */
export async function queryRaw<T>(
  trx: Knex.Transaction | Knex,
  sql: string,
): Promise<{ readonly rows: T[]; readonly affected: number }> {
  return withConnection(trx, async (connection) => {
    const result = (await connection.query(sql)) as { rows?: T[]; rowCount?: number | null; affectedRows?: number };
    return { rows: result.rows ?? [], affected: Number(result.rowCount ?? result.affectedRows ?? 0) };
  });
}

/**
 * Runs `use` on one connection of its own, outside any transaction: for what PostgreSQL refuses to
 * run in one (a concurrent index build), where session settings and a session lock must hold.
 * `embedded` says the database is PGlite (one session only).
 */
export async function withSession<T>(
  knex: Knex,
  use: (query: <R>(sql: string) => Promise<R[]>, embedded: boolean) => Promise<T>,
): Promise<T> {
  return withConnection(knex, (connection) =>
    use(
      async <R>(sql: string) => ((await connection.query(sql)) as { rows?: R[] }).rows ?? [],
      // PGlite's connection is the only one that also has `exec`.
      connection.exec !== undefined,
    ),
  );
}

/** Runs `statements` in order inside one transaction; on failure rolls back and throws MIGRATION_FAILED. */
export async function applyStatements(
  knex: Knex,
  statements: readonly string[],
  context: { file?: string } = {},
): Promise<void> {
  await knex.transaction((trx) => runStatements(trx, statements, context));
}

/** A rollback on purpose: what `proveStatements` throws to undo its transaction. */
class ProofDone extends Error {}

/**
 * Applies `statements` in a transaction, runs `check` inside it, then rolls everything back: a proof
 * that leaves the database as it was, so one scratch database serves several proofs.
 */
export async function proveStatements(
  knex: Knex,
  statements: readonly string[],
  context: { file?: string },
  check: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  await knex
    .transaction(async (trx) => {
      await runStatements(trx, statements, context);
      await check(trx);
      throw new ProofDone();
    })
    .catch((error: unknown) => {
      if (!(error instanceof ProofDone)) throw error;
    });
}

async function runStatements(trx: Knex.Transaction, statements: readonly string[], context: { file?: string }) {
  for (const [index, statement] of statements.entries()) {
    try {
      await execRaw(trx, statement);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw userError(
        "MIGRATION_FAILED",
        `Statement ${index + 1} failed and the transaction was rolled back: ${reason}. The statement: ${statement.split("\n")[0]}`,
        "read the reason; if rows block a constraint, fix the data or the model, then run again",
        { file: context.file },
      );
    }
  }
}
