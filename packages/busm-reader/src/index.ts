/**
 * @dbgen/busm-reader — reads and validates the BUSM v1 JSON and module YAML files and builds the
 * schema IR for the whole model or for a module's selection.
 *
 * @example
 * const project = await readProject(process.cwd());
 * if (project.schema) console.log(project.schema.tables.map((t) => t.name));
 */
export * from "./model.js";
export { BUSM_JSON_SCHEMA, MODULE_JSON_SCHEMA } from "./json-schema.js";
export { parseBusm, parseModule, formatPath, type Locator, type Parsed, type DocPath } from "./parse.js";
export { checkModel } from "./check.js";
export { buildModelSchema, buildModuleSchema, columnOf, type ModuleSelection } from "./build.js";
export { resolveModule, checkModuleFileName, MODULE_FILE_PATTERN } from "./module.js";
export { tableNameOf, entitySnakeName } from "./names.js";
export { sqlTypeOf } from "./types.js";
export * from "./project.js";
export { readProject } from "./read.js";
