/**
 * Choosing and opening the database a prototype command works on, asking before touching one that
 * is not embedded.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline/promises";
import { type Database, type DatabaseTarget, openDatabase, redactUrl, resolveTarget } from "@dbgen/db";
import { devDatabaseDir, type ModuleContext } from "@dbgen/prototype-generator";
import { DbgenError } from "@dbgen/schema-core";

export interface DatabaseOptions {
  readonly db?: string;
  readonly yes?: boolean;
}

/** `--db`, else DATABASE_URL, else SUPABASE_DB_URL, else the module's embedded PGlite folder. */
export function targetFor(ctx: ModuleContext, options: DatabaseOptions): DatabaseTarget {
  return resolveTarget(options.db, process.env, join(ctx.root, devDatabaseDir(ctx.config, ctx.module.config.module)));
}

/**
 * Asks y/N before a non-embedded database is changed. Without a terminal and without `--yes` it
 * refuses at once (CI must never hang on a prompt).
 */
export async function confirmTarget(target: DatabaseTarget, options: DatabaseOptions, action: string): Promise<void> {
  if (target.kind === "pglite" || options.yes) return;
  const where = redactUrl(target.url);
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new DbgenError([
      {
        severity: "error",
        code: "CONFIRMATION_REQUIRED",
        message: `${action} would change ${where}, and there is no terminal to ask`,
        fix: "pass --yes to confirm in scripts and CI",
      },
    ]);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`⚠  This will modify ${where}\nProceed? (y/N): `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new DbgenError([
        {
          severity: "error",
          code: "CONFIRMATION_REQUIRED",
          message: "Not confirmed; nothing was changed",
          fix: "answer y to proceed, or pass --yes",
        },
      ]);
    }
  } finally {
    rl.close();
  }
}

/**
 * Opens the target, creating the embedded folder first, with a `.gitignore` beside it: embedded
 * databases are local data (tens of MB each) that a repository should never hold.
 */
export async function openTarget(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "pglite" && target.dataDir) {
    await mkdir(target.dataDir, { recursive: true });
    const ignore = join(dirname(target.dataDir), ".gitignore");
    await writeFile(ignore, "# dbgen's embedded databases: local data, never committed.\n*\n", { flag: "wx" }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      },
    );
  }
  return openDatabase(target);
}
