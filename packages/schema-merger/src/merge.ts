/**
 * The merge (pure): modules' states → the prototype union → the completed schema, the report, and
 * every rule applied; or MERGE_CONFLICT listing every module involved.
 */
import type { ModelFacts } from "@dbgen/busm-reader";
import { DEFAULT_PATHS } from "@dbgen/project";
import { DbgenError, type Diagnostic, type Schema, suggestFix } from "@dbgen/schema-core";
import { type CompletionResult, completeFromModel } from "./complete.js";
import { renderReport } from "./report.js";
import type { Conflict, ModuleState, Resolution, RuleApplication } from "./types.js";
import { type UnionResult, unionStates } from "./union.js";

export interface MergeResult {
  readonly union: Schema;
  readonly merged: Schema;
  readonly report: string;
  /** The union's rules: how the modules' disagreements were settled for the prototype databases. */
  readonly rules: readonly RuleApplication[];
  /** Where a module overrode the BUSM's type and production takes the BUSM's (rule `busm-type`). */
  readonly overrides: readonly RuleApplication[];
  readonly details: { readonly union: UnionResult; readonly completion: CompletionResult };
}

function conflictDiagnostic(c: Conflict, resolutionsFile: string): Diagnostic {
  const where = c.column ? `${c.table}.${c.column}` : c.table;
  const what = c.kind === "primary-key" ? "primary key" : "type";
  const list = c.modules.map((m) => `${m.value} in ${m.module}`).join(", ");
  const why =
    c.kind === "module-only-type"
      ? "a field the BUSM lacks, declared with different types"
      : c.kind === "primary-key"
        ? "different primary keys"
        : "types no widening can unite";
  return {
    severity: "error",
    code: "MERGE_CONFLICT",
    path: where,
    message: `${where}: ${why} (${list}); modules involved: ${c.modules.map((m) => m.module).join(", ")}`,
    fix:
      c.kind === "primary-key"
        ? "make the modules agree on the key"
        : `add to ${resolutionsFile}: "- { table: ${c.table}, column: ${c.column}, type: <the ${what} to use> }", or align the modules`,
  };
}

/**
 * Production holds nothing the model does not define: a module table whose entity the BUSM lacks (a
 * prototype's MISSING_ENTITY warning, often a typo) stops the merge, naming the module and the fix.
 */
function missingEntities(model: ModelFacts, states: readonly ModuleState[]): Diagnostic[] {
  const known = [...model.entities.keys()];
  return states.flatMap((state) =>
    state.schema.tables
      .filter((t) => t.entity !== undefined && !model.entities.has(t.entity))
      .map(
        (t): Diagnostic => ({
          severity: "error",
          code: "MISSING_ENTITY",
          ...(state.file ? { file: state.file } : {}),
          path: t.name,
          message: `Module ${state.module} has a table ${t.name} for entity ${t.entity}, which the BUSM does not define; production holds only what the model defines`,
          fix: suggestFix(
            t.entity ?? "",
            known,
            `add ${t.entity} to the BUSM, or take it out of the module's entities and generate a new iteration`,
          ),
        }),
      ),
  );
}

export interface MergeOptions {
  /** The previous merge's schema: the report tells what changed in access since. */
  readonly previous?: Schema;
  /** The project's resolutions file, as a conflict's fix names it (default the contract's path). */
  readonly resolutionsFile?: string;
}

export function mergeModules(
  model: ModelFacts,
  states: readonly ModuleState[],
  resolutions: readonly Resolution[] = [],
  options: MergeOptions = {},
): MergeResult {
  const { previous, resolutionsFile = DEFAULT_PATHS.resolutions } = options;
  const missing = missingEntities(model, states);
  if (missing.length > 0) throw new DbgenError(missing);
  const union = unionStates(model, states, resolutions);
  if (union.conflicts.length > 0)
    throw new DbgenError(union.conflicts.map((c) => conflictDiagnostic(c, resolutionsFile)));
  const completion = completeFromModel(model, union);
  return {
    union: union.schema,
    merged: completion.schema,
    report: renderReport(states, union, completion, previous),
    rules: union.rules,
    overrides: completion.overrides,
    details: { union, completion },
  };
}
