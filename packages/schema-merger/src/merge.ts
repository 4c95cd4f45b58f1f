/**
 * The merge (pure): modules' states → the prototype union → the completed schema, the report, and
 * every rule applied; or MERGE_CONFLICT listing every module involved.
 */
import type { BusmModel } from "@dbgen/busm-reader";
import { DbgenError, type Diagnostic, type Schema } from "@dbgen/schema-core";
import { type CompletionResult, completeFromModel } from "./complete.js";
import { renderReport } from "./report.js";
import { RESOLUTIONS_PATH } from "./resolutions.js";
import type { Conflict, ModuleState, Resolution, RuleApplication } from "./types.js";
import { type UnionResult, unionStates } from "./union.js";

export interface MergeResult {
  readonly union: Schema;
  readonly merged: Schema;
  readonly report: string;
  readonly rules: readonly RuleApplication[];
  readonly details: { readonly union: UnionResult; readonly completion: CompletionResult };
}

function conflictDiagnostic(c: Conflict): Diagnostic {
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
        : `add to ${RESOLUTIONS_PATH}: "- { table: ${c.table}, column: ${c.column}, type: <the ${what} to use> }", or align the modules`,
  };
}

export function mergeModules(
  model: BusmModel,
  states: readonly ModuleState[],
  resolutions: readonly Resolution[] = [],
): MergeResult {
  const union = unionStates(model, states, resolutions);
  if (union.conflicts.length > 0) throw new DbgenError(union.conflicts.map(conflictDiagnostic));
  const completion = completeFromModel(model, union);
  return {
    union: union.schema,
    merged: completion.schema,
    report: renderReport(states, union, completion),
    rules: union.rules,
    details: { union, completion },
  };
}
