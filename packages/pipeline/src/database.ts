/**
 * Choosing and opening the database a prototype command works on, asking before touching one that
 * is not embedded.
 */
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  type Database,
  type DatabaseTarget,
  embeddedFolderError,
  openDatabase,
  redactUrl,
  resolveTarget,
} from "@dbgen/db";
import { devDatabaseDir, type ModuleContext } from "@dbgen/prototype-generator";
import { userError } from "@dbgen/schema-core";
import type { RunContext } from "./context.js";

export interface DatabaseOptions {
  readonly db?: string;
  readonly yes?: boolean;
}

/** `--db`, else DATABASE_URL, else SUPABASE_DB_URL, else the module's embedded PGlite folder. */
export function targetFor(ctx: ModuleContext, options: DatabaseOptions): DatabaseTarget {
  return resolveTarget(options.db, process.env, join(ctx.root, devDatabaseDir(ctx.config, ctx.module.config.module)));
}

/**
 * Asks y/N (through the front end's `confirm`) before a non-embedded database is changed. When nobody
 * can be asked (no terminal, no `confirm`) and there is no `--yes`, it refuses at once: CI never hangs.
 */
export async function confirmTarget(
  target: DatabaseTarget,
  options: DatabaseOptions,
  action: string,
  context: Pick<RunContext, "confirm">,
): Promise<void> {
  if (target.kind === "pglite" || options.yes) return;
  const where = redactUrl(target.url);
  const answer = context.confirm ? await context.confirm(`${action} will modify ${where}. Proceed?`) : undefined;
  if (answer === undefined)
    throw userError(
      "CONFIRMATION_REQUIRED",
      `${action} would change ${where}, and there is no terminal to ask`,
      "pass --yes to confirm in scripts and CI",
    );
  if (answer !== true)
    throw userError(
      "CONFIRMATION_REQUIRED",
      "Not confirmed; nothing was changed",
      "answer y to proceed, or pass --yes",
    );
}

/** True for a server on this machine (localhost, 127.0.0.0/8, ::1, a Unix socket). */
function isLocal(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "" || host === "localhost" || host === "::1" || host.startsWith("127.") || host.startsWith("/");
  } catch {
    return false;
  }
}

/**
 * The module's database for `work`, as every command that changes it opens it: `--db`, else the
 * environment, else the embedded PGlite; confirmed when it is not embedded; closed however `work` ends.
 */
export async function withModuleDatabase<T>(
  ctx: ModuleContext,
  options: DatabaseOptions,
  global: Pick<RunContext, "step" | "warnNow" | "confirm">,
  action: string,
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const target = targetFor(ctx, options);
  if (target.kind === "postgres" && !isLocal(target.url) && ctx.config.rules.clientAccess !== "closed")
    global.warnNow([
      {
        severity: "warning",
        code: "OPEN_PROTOTYPE",
        message: `Prototype tables are open to the API: on ${redactUrl(target.url)} the anon and authenticated roles can read and write every row of ${ctx.module.config.module} (seed 002: prototype = open access)`,
        fix: `to lock them, set "prototype": { "rules": { "clientAccess": "closed" } } in ${ctx.configFile ?? "dbgen.config.json"} (row-level security with no policy); production (dbgen harden) secures them for real`,
      },
    ]);
  await confirmTarget(target, options, action, global);
  const db = await openTarget(target, global);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The database made before branches that a branch's missing one would take over, if any. */
function unbranchedOf(dataDir: string): string | undefined {
  const match = /^(.*)[\\/]branches[\\/][^\\/]+[\\/]([^\\/]+)$/.exec(dataDir);
  if (!match?.[1] || !match[2] || existsSync(dataDir)) return undefined;
  const legacy = join(match[1], match[2]);
  return existsSync(join(legacy, "PG_VERSION")) ? legacy : undefined;
}

/** Whether opening the embedded database at `dataDir` finds one (its own, or one it takes over). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(dataDir) || unbranchedOf(dataDir) !== undefined;
}

/**
 * A branch's embedded database (`{dev}/branches/{branch}/{name}`) that does not exist yet takes over
 * the one made before branches had their own (`{dev}/{name}`), rows and all: the first branch to open
 * it after the upgrade keeps working where it was. `undo` moves it back.
 */
async function adoptUnbranched(dataDir: string): Promise<{ undo(): Promise<void> } | undefined> {
  const legacy = unbranchedOf(dataDir);
  if (!legacy) return undefined;
  try {
    await mkdir(dirname(dataDir), { recursive: true });
    await rename(legacy, dataDir);
    await writeFile(
      join(dirname(dataDir), ".gitignore"),
      "# dbgen's embedded databases: local data, never committed.\n*\n",
      {
        flag: "wx",
      },
    ).catch(() => undefined);
  } catch (error) {
    throw embeddedFolderError(dataDir, error);
  }
  return { undo: () => rename(dataDir, legacy) };
}

/**
 * The embedded folder, with a `.gitignore` beside it (embedded databases are local data, tens of MB
 * each, that a repository should never hold), made where missing. `undo` removes what this made.
 */
async function prepareEmbeddedFolder(dataDir: string): Promise<{ undo(): Promise<void> }> {
  const adopted = await adoptUnbranched(dataDir);
  if (adopted) return adopted;
  const ignore = join(dirname(dataDir), ".gitignore");
  let createdDir: string | undefined;
  let createdIgnore = false;
  const undo = async () => {
    if (createdIgnore) await rm(ignore, { force: true });
    if (createdDir) await rm(createdDir, { recursive: true, force: true });
  };
  try {
    createdDir = await mkdir(dataDir, { recursive: true });
    createdIgnore = await writeFile(ignore, "# dbgen's embedded databases: local data, never committed.\n*\n", {
      flag: "wx",
    }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST") return false;
        throw error;
      },
    );
  } catch (error) {
    await undo();
    throw embeddedFolderError(dataDir, error);
  }
  return { undo };
}

/**
 * Opens the target. A new embedded folder that cannot be made or opened is removed again, with its
 * `.gitignore`: a failed first command leaves the project as it was.
 */
export async function openTarget(target: DatabaseTarget, global?: Pick<RunContext, "step">): Promise<Database> {
  const made = target.kind === "pglite" && target.dataDir ? await prepareEmbeddedFolder(target.dataDir) : undefined;
  const label =
    target.kind === "pglite"
      ? `Opening the embedded database ${target.dataDir ?? ""}`.trimEnd()
      : `Connecting to ${redactUrl(target.url)}`;
  try {
    return await (global ? global.step(label, () => openDatabase(target)) : openDatabase(target));
  } catch (error) {
    await made?.undo();
    throw error;
  }
}
