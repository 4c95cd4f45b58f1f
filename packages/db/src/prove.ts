/**
 * The proof step every writing command shares: what is about to be written is first run on a
 * throwaway in-memory PGlite, so SQL that does not apply is never published.
 */
import { type Database, openDatabase } from "./connect.js";

/** Runs `work` on a fresh in-memory PGlite and closes it however `work` ends. */
export async function withScratchDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: "pglite" });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
