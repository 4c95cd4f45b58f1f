/**
 * `dbgen rebase` (spec §5, Branches), pure: after a git merge of two branches that each generated
 * iterations of one module, the current branch's iterations stay as they are and the merged-in ones
 * follow them, each regenerated against the current state — when the two changes commute, decided on
 * the model: a three-way merge of the schemas by table and column (and index, key, check) finds what
 * both sides changed, and any such object is a conflict.
 */
import type { OutputFile, PrototypeConfig } from "@dbgen/project";
import { parseVersion } from "@dbgen/project";
import { diffSchemas, parseSnapshot, type Schema, type Snapshot, type Table, withBackfills } from "@dbgen/schema-core";
import { type GeneratedIteration, iterationFiles } from "./plan.js";

/** One side's iteration: its state and the bytes of its four files as that side has them. */
export interface SideIteration {
  readonly iteration: number;
  readonly state: Snapshot;
  readonly version?: string;
  readonly migrationFile?: string;
  /** Path → content of the iteration's migration, rollback, state and types files. */
  readonly files: readonly OutputFile[];
}

export interface RebaseInput {
  readonly config: PrototypeConfig;
  readonly module: string;
  /** The current branch's iterations, in order. */
  readonly ours: readonly SideIteration[];
  /** The merged-in branch's iterations, in order. */
  readonly theirs: readonly SideIteration[];
}

export interface RebasePlan {
  /** Iterations both sides share. */
  readonly common: number;
  readonly kept: readonly number[];
  /** The merged-in iterations' new numbers, by their old ones. */
  readonly renumbered: readonly { readonly from: number; readonly to: number }[];
  /** Objects both sides changed (`table.column`): when any, nothing is to be written. */
  readonly conflicts: readonly string[];
  /** Every generated file of the module after the rebase. */
  readonly files: readonly OutputFile[];
  /** The last iteration's state. */
  readonly schema: Schema;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A three-way merge of two lists of named things: what `theirs` changed against `base` is applied to
 * `ours`; a thing both changed (differently) is a conflict, named by `label`. Ours' order, theirs'
 * additions after.
 */
function mergeList<T>(
  base: readonly T[],
  ours: readonly T[],
  theirs: readonly T[],
  key: (x: T) => string,
  label: (k: string) => string,
  conflicts: string[],
  both?: (b: T, o: T, t: T) => T,
): T[] {
  const find = (list: readonly T[], k: string) => list.find((x) => key(x) === k);
  const decide = (k: string): T | undefined => {
    const [b, o, t] = [find(base, k), find(ours, k), find(theirs, k)];
    if (same(b, t)) return o;
    if (same(b, o) || same(o, t)) return t;
    if (b && o && t && both) return both(b, o, t);
    conflicts.push(label(k));
    return o;
  };
  const out: T[] = [];
  for (const o of ours) {
    const kept = decide(key(o));
    if (kept) out.push(kept);
  }
  for (const t of theirs) {
    const k = key(t);
    if (find(ours, k) || find(base, k)) continue;
    const added = decide(k);
    if (added) out.push(added);
  }
  return out;
}

/** A table both sides changed: merged column by column, and key by key, index by index. */
function mergeTable(b: Table, o: Table, t: Table, conflicts: string[]): Table {
  const name = (x: { name: string }) => x.name;
  const at = (what: string) => (k: string) => `${o.name}${what}${k}`;
  const { columns: bc, foreignKeys: bf, uniques: bu, checks: bk, indexes: bi, primaryKey: bp, ...bRest } = b;
  const { columns: oc, foreignKeys: of, uniques: ou, checks: ok, indexes: oi, primaryKey: op, ...oRest } = o;
  const { columns: tc, foreignKeys: tf, uniques: tu, checks: tk, indexes: ti, primaryKey: tp, ...tRest } = t;
  const rest =
    mergeList(
      [bRest],
      [oRest],
      [tRest],
      () => "",
      () => `${o.name} (its settings)`,
      conflicts,
    )[0] ?? oRest;
  const primaryKey = mergeList(
    bp ? [bp] : [],
    op ? [op] : [],
    tp ? [tp] : [],
    () => "pk",
    () => `${o.name} (its primary key)`,
    conflicts,
  )[0];
  return {
    ...rest,
    columns: mergeList(bc, oc, tc, name, at("."), conflicts),
    foreignKeys: mergeList(bf, of, tf, name, at(" foreign key "), conflicts),
    uniques: mergeList(bu, ou, tu, name, at(" unique "), conflicts),
    checks: mergeList(bk, ok, tk, name, at(" check "), conflicts),
    indexes: mergeList(bi, oi, ti, name, at(" index "), conflicts),
    ...(primaryKey ? { primaryKey } : {}),
  };
}

/** `ours` with what `theirs` changed since `base`, and the objects both changed. */
export function mergeSchemas(base: Schema, ours: Schema, theirs: Schema): { schema: Schema; conflicts: string[] } {
  const conflicts: string[] = [];
  const tables = mergeList(
    base.tables,
    ours.tables,
    theirs.tables,
    (t) => t.name,
    (k) => k,
    conflicts,
    (b, o, t) => mergeTable(b, o, t, conflicts),
  ).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const byName = (x: { name: string }) => x.name;
  const enums = mergeList(base.enums, ours.enums, theirs.enums, byName, (k) => `enum ${k}`, conflicts);
  const enumTypes = mergeList(
    base.enumTypes ?? [],
    ours.enumTypes ?? [],
    theirs.enumTypes ?? [],
    byName,
    (k) => `enum type ${k}`,
    conflicts,
  );
  return {
    schema: { ...ours, tables, enums, ...(enumTypes.length || ours.enumTypes ? { enumTypes } : {}) },
    conflicts: [...new Set(conflicts)],
  };
}

/** How many iterations the two sides share: the same state, iteration by iteration. */
function commonPrefix(ours: readonly SideIteration[], theirs: readonly SideIteration[]): number {
  let k = 0;
  while (k < ours.length && k < theirs.length && same(ours[k]?.state.schema, theirs[k]?.state.schema)) k++;
  return k;
}

export function planRebase(input: RebaseInput): RebasePlan {
  const { ours, theirs } = input;
  const k = commonPrefix(ours, theirs);
  const base = ours[k - 1]?.state.schema ?? ours[0]?.state.schema ?? theirs[0]?.state.schema;
  const oursLast = ours.at(-1);
  const kept = ours.map((i) => i.iteration);
  const keptFiles = ours.flatMap((i) => i.files);
  if (!oursLast || !base || theirs.length <= k) {
    // Nothing merged in beyond what the branch has (or the branch had nothing: the other's history as it is).
    const side = oursLast ? ours : theirs;
    return {
      common: k,
      kept: side.map((i) => i.iteration),
      renumbered: [],
      conflicts: [],
      files: side.flatMap((i) => i.files),
      schema: (side.at(-1)?.state.schema ?? base) as Schema,
    };
  }
  const baseSchema = k === 0 ? { ...base, tables: [], enums: [], enumTypes: [] } : base;
  const whole = mergeSchemas(baseSchema, oursLast.state.schema, (theirs.at(-1) as SideIteration).state.schema);
  if (whole.conflicts.length)
    return { common: k, kept, renumbered: [], conflicts: whole.conflicts, files: [], schema: oursLast.state.schema };
  const files: OutputFile[] = [...keptFiles];
  const renumbered: { from: number; to: number }[] = [];
  const conflicts: string[] = [];
  let previous: GeneratedIteration = oursLast;
  for (const side of theirs.slice(k)) {
    const step = mergeSchemas(baseSchema, oursLast.state.schema, side.state.schema);
    conflicts.push(...step.conflicts);
    const operations = withBackfills(
      diffSchemas(previous.state.schema, step.schema).operations,
      step.schema,
      () => undefined,
    );
    if (operations.length === 0) continue;
    const iteration = previous.iteration + 1;
    const made = iterationFiles({
      config: input.config,
      module: input.module,
      phase: Number(side.state.meta.phase ?? 1),
      iteration,
      previous,
      operations,
      schema: step.schema,
      nowMs: side.version ? parseVersion(side.version) : 0,
    });
    files.push(made.migration, made.rollback, made.state, made.types);
    renumbered.push({ from: side.iteration, to: iteration });
    const snapshot = parseSnapshot(made.state.content, made.state.path);
    const migrationFile = made.migration.path.split("/").at(-1) as string;
    previous = { iteration, state: snapshot, migrationFile, version: migrationFile.slice(0, 14) };
  }
  return {
    common: k,
    kept,
    renumbered,
    conflicts: [...new Set(conflicts)],
    files: conflicts.length ? [] : files,
    schema: previous.state.schema,
  };
}
