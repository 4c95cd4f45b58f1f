/**
 * The git branch a project is checked out on, read from `.git/HEAD` (no git binary): each branch
 * prototypes on its own embedded databases (spec §5, Branches), so switching branches never leaves a
 * database ahead of or beside the files, and each branch's rows stay where it left them.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";

/** The folder `.git` names: the folder itself, or a worktree's `gitdir:` file. */
async function gitDir(start: string): Promise<string | undefined> {
  let at = resolve(start);
  for (;;) {
    const candidate = join(at, ".git");
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isDirectory()) return candidate;
    if (info?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(candidate, "utf8"))?.[1]?.trim();
      if (pointer) return isAbsolute(pointer) ? pointer : resolve(at, pointer);
    }
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

/** The checked-out branch's name; `detached` on a detached HEAD; undefined outside a git repository. */
export async function gitBranch(root: string): Promise<string | undefined> {
  const dir = await gitDir(root);
  if (!dir) return undefined;
  const head = await readFile(join(dir, "HEAD"), "utf8").catch(() => undefined);
  if (head === undefined) return undefined;
  const ref = /^ref:\s*refs\/heads\/(.+)$/m.exec(head)?.[1]?.trim();
  return ref ?? "detached";
}

/** A folder name for a branch: `feature/login` → `feature-login-1a2b3c`; plain names stay as they are. */
export function branchFolder(branch: string): string {
  const plain = branch.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  if (plain === branch && plain !== "") return plain;
  return `${plain || "branch"}-${createHash("sha256").update(branch).digest("hex").slice(0, 6)}`;
}
