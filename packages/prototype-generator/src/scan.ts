/**
 * Reading a module's generated iterations back from disk: states, migrations and rollbacks.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MigrationScript } from "@dbgen/db";
import {
  listDir,
  moduleDir,
  type PrototypeConfig,
  readPrototypeMigrationName,
  stateFileIteration,
} from "@dbgen/project";
import { type DbgenError, parseSnapshot, userError } from "@dbgen/schema-core";
import { migrationsDir, rollbackPath, statePath } from "./layout.js";
import type { GeneratedIteration } from "./plan.js";

export interface ModuleFiles {
  readonly iterations: readonly GeneratedIteration[];
  /** Up migrations by iteration, with their phase (from the state). */
  readonly migrations: readonly MigrationScript[];
}

/** Two branches' iterations merged by git and not yet made one history. */
function diverged(module: string, what: string, file?: string): DbgenError {
  return userError(
    "INVALID_ITERATION",
    `The history of ${module} diverged on two branches: ${what}`,
    `run dbgen rebase --module ${module}: your branch's iterations stay, the merged-in ones follow them`,
    { file },
  );
}

/** Every generated iteration of `module`, checked for gaps and for two branches' histories side by side. */
export async function readModuleFiles(root: string, config: PrototypeConfig, module: string): Promise<ModuleFiles> {
  const stateDir = moduleDir(config.paths, "state", module);
  const numbers = (await listDir(join(root, stateDir)))
    .flatMap((f) => stateFileIteration(f) ?? [])
    .sort((a, b) => a - b);
  const migrationNames = new Map<number, string>();
  for (const name of await listDir(join(root, migrationsDir(config, module)))) {
    const iteration = readPrototypeMigrationName(name)?.iteration;
    if (iteration === undefined) continue;
    const other = migrationNames.get(iteration);
    if (other) throw diverged(module, `iteration ${iteration} has two migrations (${other}, ${name})`);
    migrationNames.set(iteration, name);
  }
  const iterations: GeneratedIteration[] = [];
  const migrations: MigrationScript[] = [];
  for (const [index, iteration] of numbers.entries()) {
    const path = statePath(config, module, iteration);
    if (iteration !== index + 1) {
      throw userError(
        "INVALID_ITERATION",
        `Iteration ${index + 1} of ${module} has no state file, but iteration ${iteration} has`,
        "restore the missing files from version control",
        { file: path },
      );
    }
    const text = await readFile(join(root, path), "utf8");
    if (/^<<<<<<< /m.test(text)) throw diverged(module, `${path} holds git's conflict markers`, path);
    const state = parseSnapshot(text, path);
    const migrationFile = migrationNames.get(iteration);
    if (!migrationFile) {
      throw userError(
        "INVALID_ITERATION",
        `Iteration ${iteration} of ${module} has a state but no migration file`,
        "restore the migration from version control",
        { file: path },
      );
    }
    const file = `${migrationsDir(config, module)}/${migrationFile}`;
    iterations.push({ iteration, state, migrationFile, version: migrationFile.slice(0, 14) });
    migrations.push({
      module,
      phase: Number(state.meta.phase ?? 1),
      iteration,
      file,
      sql: await readFile(join(root, file), "utf8"),
    });
  }
  return { iterations, migrations };
}

/** The rollback script of one iteration. */
export async function readRollback(
  root: string,
  config: PrototypeConfig,
  module: string,
  iteration: number,
  phase: number,
): Promise<MigrationScript> {
  const file = rollbackPath(config, module, iteration);
  try {
    return { module, phase, iteration, file, sql: await readFile(join(root, file), "utf8") };
  } catch {
    throw userError(
      "INVALID_ITERATION",
      `Iteration ${iteration} of ${module} has no rollback script`,
      "restore it from version control",
      { file },
    );
  }
}
