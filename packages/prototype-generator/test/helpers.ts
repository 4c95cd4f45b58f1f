/** Small project trees for the workflow tests, written to a temp dir from the example's BUSM. */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../..", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";

export async function tempProject(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-proto-"));
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await cp(join(REPO, BUSM), join(root, BUSM));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

export async function writeModule(root: string, name: string, text: string): Promise<void> {
  await writeFile(join(root, ".pipeline/modules", `${name}-phase1.yaml`), text);
}
