/**
 * Supabase's own tools as test oracles: the Supabase CLI 3.1 (npm `supabase`, no Docker needed for
 * database URLs). `pgDelta` is `supabase db diff --use-pg-delta --from A --to B`: the SQL that would
 * turn A into B, empty when the two databases are equal in the schemas asked.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);

/** The Supabase CLI 3.1's entry script, run with this Node. */
export const SUPABASE_CLI = join(dirname(require.resolve("supabase/package.json")), "dist", "supabase.js");

const local = (url: string) => (url.includes("?") ? url : `${url}?sslmode=disable`);

/** pg-delta's difference from `from` to `to` over `schemas`: "" when they are equal. */
export async function pgDelta(from: string, to: string, schemas: readonly string[] = ["public"]): Promise<string> {
  // The CLI writes a `supabase/.temp` folder where it runs: give it a throwaway one.
  const cwd = await mkdtemp(join(tmpdir(), "dbgen-pg-delta-"));
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [SUPABASE_CLI, "db", "diff", "--use-pg-delta", "--from", local(from), "--to", local(to), "-s", schemas.join(",")],
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout.trim();
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}
