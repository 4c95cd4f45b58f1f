/**
 * `dbgen rebase [--module M]` (spec §5, Branches): after `git merge` of two branches that each
 * generated iterations of a module, one linear history. The two sides are read from git itself (the
 * merge in progress: HEAD and MERGE_HEAD; a merge commit: its two parents), so conflict markers in
 * the working tree do not matter and none is left behind. Read → plan (prototype-generator's
 * `planRebase`) → write all or nothing; the databases follow with `dbgen apply`.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AnalysedModule } from "@dbgen/busm-reader";
import {
  listDir,
  migrationVersion,
  moduleDir,
  type OutputFile,
  type PrototypeConfig,
  publish,
  readPrototypeMigrationName,
  rollbackFileIteration,
  stateFileIteration,
  typesFileIteration,
} from "@dbgen/project";
import {
  buildWish,
  planRebase,
  type RebasePlan,
  rollbackPath,
  type SideIteration,
  statePath,
  typesPath,
} from "@dbgen/prototype-generator";
import { diffSchemas, parseSnapshot, suggestFix, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { readCheckedProject, writing } from "../project.js";

export interface RebaseCommandOptions {
  readonly module?: string;
}

const run = promisify(execFile);

function refuse(code: "INVALID_CONFIG" | "MERGE_CONFLICT", message: string, fix: string, file?: string): never {
  throw userError(code, message, fix, { file });
}

/** `git` in the project folder; undefined when it fails (no git, no repository, no such object). */
async function git(root: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await run("git", ["-C", root, ...args], { maxBuffer: 64 << 20, encoding: "utf8" })).stdout;
  } catch {
    return undefined;
  }
}

/** The two sides of the merge: in progress (HEAD, MERGE_HEAD), or the merge commit's parents. */
async function mergeSides(root: string): Promise<{ ours: string; theirs: string } | undefined> {
  if ((await git(root, ["rev-parse", "--git-dir"])) === undefined)
    refuse(
      "INVALID_CONFIG",
      `${root} is not in a git repository`,
      "dbgen rebase works after a git merge, in the repository",
    );
  if ((await git(root, ["rev-parse", "-q", "--verify", "MERGE_HEAD"])) !== undefined)
    return { ours: "HEAD", theirs: "MERGE_HEAD" };
  const parents = (await git(root, ["rev-list", "--parents", "-n", "1", "HEAD"]))?.trim().split(/\s+/) ?? [];
  return parents.length === 3 ? { ours: "HEAD^1", theirs: "HEAD^2" } : undefined;
}

/** One side's iterations of the module, with the bytes of each generated file as that side has it. */
async function sideOf(root: string, rev: string, config: PrototypeConfig, module: string): Promise<SideIteration[]> {
  const stateDir = moduleDir(config.paths, "state", module);
  const listed = (await git(root, ["ls-tree", "--name-only", `${rev}:./${stateDir}`])) ?? "";
  const numbers = listed
    .split("\n")
    .flatMap((f) => stateFileIteration(f.trim()) ?? [])
    .sort((a, b) => a - b);
  const show = (path: string) => git(root, ["show", `${rev}:./${path}`]);
  const out: SideIteration[] = [];
  for (const iteration of numbers) {
    const path = statePath(config, module, iteration);
    const text = (await show(path)) ?? "";
    const state = parseSnapshot(text, `${rev}:${path}`);
    const migrationFile = typeof state.meta.migration === "string" ? state.meta.migration : undefined;
    const paths = [
      ...(migrationFile ? [`${moduleDir(config.paths, "migrations", module)}/${migrationFile}`] : []),
      rollbackPath(config, module, iteration),
      path,
      typesPath(config, module, iteration),
    ];
    const files: OutputFile[] = [];
    for (const p of paths) {
      const content = p === path ? text : await show(p);
      if (content !== undefined) files.push({ path: p, content });
    }
    out.push({
      iteration,
      state,
      files,
      ...(migrationFile ? { migrationFile, version: migrationVersion(migrationFile) ?? "" } : {}),
    });
  }
  return out;
}

/** The generated files of the module in the working tree: what the rebase replaces or removes. */
async function generatedFiles(root: string, config: PrototypeConfig, module: string): Promise<string[]> {
  const readers: [
    keyof PrototypeConfig["paths"] & ("migrations" | "state" | "rollbacks" | "types"),
    (name: string) => unknown,
  ][] = [
    ["migrations", readPrototypeMigrationName],
    ["state", stateFileIteration],
    ["rollbacks", rollbackFileIteration],
    ["types", typesFileIteration],
  ];
  const out: string[] = [];
  for (const [base, read] of readers) {
    const dir = moduleDir(config.paths, base, module);
    for (const name of await listDir(join(root, dir))) if (read(name) !== undefined) out.push(`${dir}/${name}`);
  }
  return out;
}

function pickModule(modules: readonly AnalysedModule[], name: string | undefined): AnalysedModule {
  const latest = modules.filter((m) => m.latest);
  const names = latest.map((m) => m.config.module);
  if (name === undefined) {
    if (latest.length === 1) return latest[0] as AnalysedModule;
    refuse("INVALID_CONFIG", "The project has several modules", `pass --module with one of ${names.join(", ")}`);
  }
  const found = latest.find((m) => m.config.module === name);
  if (!found) refuse("INVALID_CONFIG", `No module ${name}`, suggestFix(name, names, "pass --module NAME"));
  return found;
}

/** The module file with `iteration:` moved on to the rebased history's last one (when it names one). */
async function moduleFileUpdate(root: string, module: AnalysedModule, last: number): Promise<OutputFile[]> {
  if (module.config.iteration === undefined || module.config.iteration >= last) return [];
  const text = await readFile(join(root, module.file), "utf8");
  const updated = text.replace(/^(iteration:[ \t]*)\d+/m, `$1${last}`);
  return updated === text ? [] : [{ path: module.file, content: updated }];
}

export type RebaseResult =
  | { readonly module: string; readonly rebased: false }
  | (Pick<RebasePlan, "common" | "kept" | "renumbered"> & {
      readonly module: string;
      readonly rebased: true;
      readonly changed: readonly string[];
      readonly removed: readonly string[];
      /** The module file's changes left for `dbgen generate` to make as iteration `last + 1`. */
      readonly left: number;
      /** The module's latest iteration after the rebase. */
      readonly last: number;
    });

export function rebaseCommand(global: RunContext, options: RebaseCommandOptions): Promise<CommandResult<RebaseResult>> {
  return writing(global, `rebase${options.module ? ` --module ${options.module}` : ""}`, async (project) => {
    const root = project.layout.root;
    const checked = await readCheckedProject(project);
    const module = pickModule(checked.modules, options.module);
    const name = module.config.module;
    const config = project.prototype;
    const sides = await mergeSides(root);
    if (!sides)
      return {
        result: { module: name, rebased: false },
        diagnostics: [],
      };
    const [ours, theirs] = await Promise.all([
      sideOf(root, sides.ours, config, name),
      sideOf(root, sides.theirs, config, name),
    ]);
    const plan = planRebase({ config, module: name, ours, theirs });
    if (plan.conflicts.length)
      refuse(
        "MERGE_CONFLICT",
        `The two branches' iterations of ${name} after iteration ${plan.common} both change ${plan.conflicts.join(", ")}`,
        "decide in the module file which change stays, roll back one branch's iteration there (dbgen rollback, dbgen discard) and generate it again; nothing was written",
        module.file,
      );
    const last = plan.renumbered.at(-1)?.to ?? plan.kept.at(-1) ?? 0;
    const wanted = new Set(plan.files.map((f) => f.path));
    const remove = (await generatedFiles(root, config, name)).filter((p) => !wanted.has(p));
    const files = [...plan.files, ...(await moduleFileUpdate(root, module, last))];
    const changed = await publish(project.layout, files, { remove });
    const left = diffSchemas(plan.schema, buildWish(checked.model, module, config)).operations.length;
    return {
      result: {
        module: name,
        rebased: true,
        common: plan.common,
        kept: plan.kept,
        renumbered: plan.renumbered,
        changed,
        removed: remove,
        left,
        last,
      },
      diagnostics: [],
    };
  });
}
