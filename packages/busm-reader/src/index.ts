/**
 * @dbgen/busm-reader — reads and validates the BUSM v1 JSON and module YAML files and builds the
 * schema IR for the whole model or for a module's selection.
 *
 * @example
 * const project = await readProject(process.cwd());
 * if (project.schema) console.log(project.schema.tables.map((t) => t.name));
 */

export { tableAccessOf } from "./access.js";
export {
  type BuildOptions,
  buildModelSchema,
  buildModuleSchema,
  columnOf,
  type ModelFacts,
  type ModuleSelection,
  modelColumn,
  modelFacts,
} from "./build.js";
export { checkModel, joinColumns, joinTableName } from "./check.js";
export { BUSM_JSON_SCHEMA, MODULE_JSON_SCHEMA } from "./json-schema.js";
export type {
  AccessMode,
  BusmAccess,
  BusmEntity,
  BusmField,
  BusmMembers,
  BusmModel,
  BusmRelationship,
  FieldDefault,
  ModuleConfig,
  ModuleFieldEntry,
  RelationshipType,
} from "./model.js";
export { checkModuleFileName, MODULE_FILE_PATTERN, resolveModule } from "./module.js";
export { entitySnakeName, tableNameOf } from "./names.js";
export { type ModelOutputs, planModelOutputs } from "./outputs.js";
export { type DocPath, diagnosticAt, formatPath, type Locator, type Parsed, parseBusm, parseModule } from "./parse.js";
export {
  ALLOWED_FUNCTIONS,
  type Contained,
  containExpression,
  containInsert,
  type ExpressionRules,
  ensureSqlParser,
  isReadOnlySql,
  needsSqlParser,
  renderedExpression,
  sqlExpressionProblem,
} from "./postgres/expressions.js";
export {
  type AnalysedModule,
  type AnalysedProject,
  analyseProject,
  type SourceFile,
} from "./project.js";
export { type ProjectPaths, readProject } from "./read.js";
export { parseSideFile, type SideFile } from "./side-file.js";
export { sqlTypeOf } from "./types.js";
