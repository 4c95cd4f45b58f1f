/**
 * The write step: a command's whole output set is published all or none.
 *
 * 1. Every changed file is staged beside its target (`.name.dbgen-<id>.tmp`), and the journal
 *    (`<pipeline>/.dbgen-journal.json`) lists the temps and the folders made for them: "staging".
 * 2. The journal turns "committed" (one atomic rename: the commit point).
 * 3. Each temp is renamed onto its target; files to remove are removed; the journal is deleted.
 *
 * A failure while staging undoes everything before returning. A crash (SIGKILL, power) leaves the
 * journal: the next command that takes the project lock rolls a "staging" journal back and a
 * "committed" one forward, so readers never see half an output set for long, and never after that.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, rename, rm, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type DbgenError, userError } from "@dbgen/schema-core";
import { faultAt } from "./fault.js";
import { exists, readOptional } from "./fs.js";
import type { ProjectLayout } from "./layout.js";

/** One generated file: a path relative to the project root, and its whole content. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

interface JournalEntry {
  /** Relative to the root. */
  readonly path: string;
  /** The staged content's temp file, relative to the root; absent for a removal. */
  readonly temp?: string;
}

interface Journal {
  readonly version: 1;
  readonly id: string;
  readonly state: "staging" | "committed";
  readonly entries: readonly JournalEntry[];
  /** Folders the write made, outermost first: removed again when it is rolled back. */
  readonly createdDirs: readonly string[];
}

export interface PublishOptions {
  /** Files to remove in the same step (absent ones are ignored). */
  readonly remove?: readonly string[];
}

async function writeDurably(path: string, content: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeJournal(layout: ProjectLayout, journal: Journal): Promise<void> {
  const path = join(layout.root, layout.journalFile);
  const temp = `${path}.${journal.id}.tmp`;
  await writeDurably(temp, `${JSON.stringify(journal, null, 2)}\n`);
  await rename(temp, path);
}

/** Folders between `dir` and the first that exists, outermost first. */
async function missingDirs(root: string, dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  while (current !== "." && current !== "" && !(await exists(join(root, current)))) {
    missing.unshift(current);
    current = dirname(current);
  }
  return missing;
}

const tempFor = (path: string, id: string): string =>
  join(dirname(path), `.${basename(path)}.dbgen-${id}.tmp`).replace(/\\/g, "/");

const FIXES: Record<string, string> = {
  EISDIR: "a folder stands where this file goes: move the folder away, then run the command again",
  ENOTDIR: "a file stands where a folder of this path should be: move that file away, then run the command again",
};

function writeFailed(path: string, error: unknown, rolledBack: boolean): DbgenError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return userError(
    "WRITE_FAILED",
    `Cannot write ${path} (${reason})${rolledBack ? "; nothing was written" : ""}`,
    FIXES[(error as NodeJS.ErrnoException).code ?? ""] ??
      "make the folder writable (and the disk not full), then run the command again",
    { file: path },
  );
}

/** Removes the temps and folders a staging made; a temp that was never made (its folder is a file) is no error. */
async function undoStaging(root: string, journal: Pick<Journal, "entries" | "createdDirs">): Promise<void> {
  for (const entry of journal.entries)
    if (entry.temp) await rm(join(root, entry.temp), { force: true }).catch(() => undefined);
  for (const dir of [...journal.createdDirs].reverse()) await rmdir(join(root, dir)).catch(() => undefined);
}

/**
 * Fails, as the OS would at the commit, when `path` cannot be replaced by a file or removed as one: a
 * folder stands there. Checked while staging, so the failure comes before the commit point.
 */
async function expectReplaceable(root: string, path: string): Promise<void> {
  const info = await lstat(join(root, path)).catch(() => undefined);
  if (info?.isDirectory())
    throw Object.assign(new Error(`a folder stands where the file ${path} goes`), { code: "EISDIR" });
}

/** The nearest folder of `path` that is a file instead (what ENOTDIR is about), if any. */
async function fileInTheWay(root: string, path: string): Promise<string | undefined> {
  for (let dir = dirname(path); dir !== "." && dir !== ""; dir = dirname(dir)) {
    const info = await lstat(join(root, dir)).catch(() => undefined);
    if (info && !info.isDirectory()) return dir;
  }
  return undefined;
}

/** Renames each temp onto its target; a failure names the entry it stopped at. */
async function commitEntries(root: string, entries: readonly JournalEntry[]): Promise<void> {
  let done = 0;
  for (const entry of entries) {
    try {
      if (entry.temp === undefined) await rm(join(root, entry.path), { force: true });
      else if (await exists(join(root, entry.temp))) await rename(join(root, entry.temp), join(root, entry.path));
    } catch (error) {
      throw Object.assign(error as Error, { entry: entry.path });
    }
    faultAt("publish", ++done);
  }
}

/** The files whose content differs from what is on disk (unchanged files keep their mtime). */
async function changedFiles(root: string, files: readonly OutputFile[]): Promise<OutputFile[]> {
  const changed: OutputFile[] = [];
  // A target that cannot be read (a folder in its place, no permission) counts as changed: staging
  // or renaming it then fails with WRITE_FAILED, naming it, before anything is published.
  for (const file of files)
    if ((await readOptional(join(root, file.path)).catch(() => undefined)) !== file.content) changed.push(file);
  return changed;
}

/**
 * Publishes `files` (and removes `options.remove`) all or none; returns the paths that changed.
 * Call it under the project lock.
 */
export async function publish(
  layout: ProjectLayout,
  files: readonly OutputFile[],
  options: PublishOptions = {},
): Promise<string[]> {
  const root = layout.root;
  const changed = await changedFiles(root, files);
  const removals: string[] = [];
  for (const path of options.remove ?? []) if (await exists(join(root, path))) removals.push(path);
  if (changed.length === 0 && removals.length === 0) return [];
  const id = randomBytes(6).toString("hex");
  const createdDirs: string[] = [];
  for (const file of changed)
    for (const dir of await missingDirs(root, dirname(file.path)))
      if (!createdDirs.includes(dir)) createdDirs.push(dir);
  const entries: JournalEntry[] = [
    ...changed.map((f) => ({ path: f.path, temp: tempFor(f.path, id) })),
    ...removals.map((path) => ({ path })),
  ];
  const staging: Journal = { version: 1, id, state: "staging", entries, createdDirs };
  try {
    await mkdir(join(root, layout.pipeline), { recursive: true });
    await writeJournal(layout, staging);
  } catch (error) {
    throw writeFailed(layout.journalFile, error, true);
  }
  let current = layout.journalFile;
  try {
    for (const dir of createdDirs) {
      current = dir;
      await mkdir(join(root, dir));
    }
    for (const [index, file] of changed.entries()) {
      current = file.path;
      await expectReplaceable(root, file.path);
      await writeDurably(join(root, tempFor(file.path, id)), file.content);
      faultAt("stage", index + 1);
    }
    for (const path of removals) {
      current = path;
      await expectReplaceable(root, path);
    }
    current = layout.journalFile;
    await writeJournal(layout, { ...staging, state: "committed" });
  } catch (error) {
    await undoStaging(root, staging);
    await rm(join(root, `${layout.journalFile}.${id}.tmp`), { force: true });
    await rm(join(root, layout.journalFile), { force: true });
    const blocked = (error as NodeJS.ErrnoException).code === "ENOTDIR" ? await fileInTheWay(root, current) : undefined;
    throw writeFailed(blocked ?? current, error, true);
  }
  try {
    await commitEntries(root, entries);
    await unlink(join(root, layout.journalFile));
  } catch (error) {
    // Past the commit point: the journal stays, and the next command finishes the write.
    throw writeFailed((error as { entry?: string }).entry ?? layout.journalFile, error, false);
  }
  return [...changed.map((f) => f.path), ...removals];
}

/** What recovery did with a journal left by an interrupted write. */
export type Recovery =
  | { readonly action: "none" }
  | { readonly action: "rolled-back" | "completed"; readonly files: readonly string[] };

/**
 * Finishes or undoes a write a crash interrupted (call it under the project lock, before reading):
 * a committed journal is rolled forward, a staging one rolled back.
 */
export async function recoverInterruptedWrite(layout: ProjectLayout): Promise<Recovery> {
  const path = join(layout.root, layout.journalFile);
  const text = await readOptional(path);
  if (text === undefined) return { action: "none" };
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.entries)) throw new Error("unknown journal format");
  } catch (error) {
    throw userError(
      "WRITE_FAILED",
      `An interrupted write left a journal dbgen cannot read (${(error as Error).message})`,
      "check the files it lists with git status, then delete the journal",
      { file: layout.journalFile },
    );
  }
  const files = journal.entries.map((e) => e.path);
  if (journal.state === "committed") {
    await commitEntries(layout.root, journal.entries);
    await unlink(path);
    return { action: "completed", files };
  }
  await undoStaging(layout.root, journal);
  await unlink(path);
  return { action: "rolled-back", files };
}
