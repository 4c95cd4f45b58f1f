/**
 * @dbgen/schema-merger — production, part one: the graph union of every module's latest prototype
 * state, completed from the BUSM, with a report of every contribution and resolution.
 *
 * @example
 * const result = mergeModules(modelFacts(model), await readLatestStates(root), await readResolutions(root));
 * console.log(result.report);
 */
export { type CompletionResult, completeFromModel, modelGraph } from "./complete.js";
export { type MergeOptions, type MergeResult, mergeModules } from "./merge.js";
export {
  mergeOutputs,
  readLatestStates,
  readModuleStates,
  readResolutions,
} from "./read.js";
export { renderReport } from "./report.js";
export { parseResolutions } from "./resolutions.js";
export { formatType, parseType, unionType } from "./type-rules.js";
export type * from "./types.js";
export { type UnionResult, unionStates } from "./union.js";
