/**
 * The project lock: one file under the pipeline folder, created exclusively, holding the holder's
 * pid, host and command. Commands that write hold it from before they read until after they publish,
 * so two of them never interleave. A lock whose holder is gone (same host, pid not running) is
 * stale and taken over; otherwise a second writer waits a little, then refuses with `LOCKED`.
 *
 * Hand-written rather than proper-lockfile: that library judges staleness by mtime alone (a killed
 * holder blocks everyone for its whole stale period), and the error should name the holder.
 */

import { mkdir, open, readFile, rename, rm, rmdir, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { type DbgenError, userError } from "@dbgen/schema-core";
import type { ProjectLayout } from "./layout.js";
import { type Recovery, recoverInterruptedWrite } from "./write.js";

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

export interface LockOptions {
  /** What the holder is doing, as the refusal will name it (`generate --module billing`). */
  readonly command: string;
  /** How long a second writer waits before refusing (default 10 s, or DBGEN_LOCK_WAIT_MS). */
  readonly waitMs?: number;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, "utf8")) as Holder;
    return typeof holder.pid === "number" ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** A lock is stale when its holder ran on this host and is gone, or it stayed unreadable for 2 s (a crash while writing it). */
async function isStale(path: string, holder: Holder | undefined): Promise<boolean> {
  if (holder) return holder.host === hostname() && holder.pid !== process.pid && !isRunning(holder.pid);
  const age = await stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
  return age > 2000;
}

async function tryCreate(path: string, holder: Holder): Promise<boolean> {
  try {
    const handle = await open(path, "wx");
    try {
      await handle.writeFile(JSON.stringify(holder));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Moves a stale lock aside (rename is atomic: of two processes taking it over, one wins). */
async function breakStale(path: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  await rename(path, aside).catch(() => undefined);
  await rm(aside, { force: true });
}

function unwritable(layout: ProjectLayout, error: unknown): DbgenError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return userError(
    "WRITE_FAILED",
    `Cannot create the project lock (${reason}); nothing was written`,
    `make ${layout.pipeline} writable, then run the command again`,
    { file: layout.lockFile },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockedError(layout: ProjectLayout, holder: Holder | undefined, waitedMs: number): DbgenError {
  const who = holder
    ? `dbgen ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`
    : "another dbgen process";
  return userError(
    "LOCKED",
    `${who} is writing this project; waited ${Math.round(waitedMs / 1000)} s`,
    `run the command again when it has finished; if no dbgen is running, delete ${layout.lockFile}`,
    { file: layout.lockFile },
  );
}

export interface HeldLock {
  /** What was done about a write a crash interrupted, before this command read anything. */
  readonly recovery: Recovery;
  release(): Promise<void>;
}

/** Takes the project lock (waiting up to `waitMs`), then recovers an interrupted write. */
export async function acquireProjectLock(layout: ProjectLayout, options: LockOptions): Promise<HeldLock> {
  const path = join(layout.root, layout.lockFile);
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    command: options.command,
    since: new Date().toISOString(),
  };
  const waitMs = options.waitMs ?? (Number(process.env.DBGEN_LOCK_WAIT_MS) || 10_000);
  const started = Date.now();
  // A project without a pipeline folder yet (e.g. `dbgen migrate` elsewhere) gets it back as it was.
  const madeFolder = await mkdir(dirname(path), { recursive: true }).catch(() => undefined);
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (await tryCreate(path, holder).catch((error: unknown) => Promise.reject(unwritable(layout, error)))) break;
    const current = await readHolder(path);
    if (await isStale(path, current)) {
      await breakStale(path);
      continue;
    }
    if (Date.now() - started >= waitMs) throw lockedError(layout, current, Date.now() - started);
    await sleep(delay);
  }
  const release = async () => {
    const current = await readHolder(path);
    if (current?.pid === process.pid) await rm(path, { force: true });
    if (madeFolder !== undefined) await rmdir(madeFolder).catch(() => undefined);
  };
  try {
    return { recovery: await recoverInterruptedWrite(layout), release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Runs `work` holding the project lock; the lock is released however `work` ends. */
export async function withProjectLock<T>(
  layout: ProjectLayout,
  options: LockOptions,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireProjectLock(layout, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
