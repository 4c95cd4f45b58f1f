/** File output at the edge: every file is written whole or not at all (temp file + rename). */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OutputFile } from "./plan.js";

/** Writes `content` to `path` atomically; an unchanged file is left alone (its mtime too). */
export async function writeFileAtomic(path: string, content: string): Promise<boolean> {
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === content) return false;
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}

/** Writes every file (all computed before the first write); returns those that changed. */
export async function writeOutputs(root: string, files: readonly OutputFile[]): Promise<string[]> {
  const changed: string[] = [];
  for (const f of files) if (await writeFileAtomic(join(root, f.path), f.content)) changed.push(f.path);
  return changed;
}
