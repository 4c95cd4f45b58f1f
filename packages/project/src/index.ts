/**
 * @dbgen/project — the one place that knows a dbgen project's layout: the configuration and its
 * paths, the project lock, and the write step that publishes a command's outputs all or none.
 *
 * @example
 * const { layout } = await resolveProject(process.cwd());
 * await withProjectLock(layout, { command: "all" }, () => publish(layout, files));
 */
export { branchFolder, gitBranch } from "./branch.js";
export { generationTime, nextVersion, nextVersionTime, parseVersion, versionOf } from "./clock.js";
export {
  DEFAULT_CONFIG,
  DEFAULT_PRODUCTION_CONFIG,
  PROTOTYPE_PATH_KEYS,
  type ProductionConfig,
  type ProjectConfig,
  type PrototypeConfig,
  resolveConfig,
  resolveProjectConfig,
} from "./config.js";
export {
  isProductionStep,
  migrationVersion,
  type PrototypeMigrationName,
  productionMigrationName,
  prototypeMigrationFileName,
  readProductionMigrationName,
  readPrototypeMigrationName,
  rollbackFileIteration,
  stateFileIteration,
  typesFileIteration,
} from "./file-names.js";
export { exists, listDir, readOptional } from "./fs.js";
export {
  accessTestsFile,
  DEFAULT_PATHS,
  DEFAULT_PIPELINE_DIR,
  type LayoutKey,
  type LayoutPaths,
  layoutPaths,
  makeLayout,
  moduleDir,
  normalisePath,
  ormDir,
  type ProjectLayout,
  productionBaseState,
  productionDevDir,
  rollbackFile,
  seedFile,
  specMigrationsDir,
  stateFile,
  typesFile,
} from "./layout.js";
export { acquireProjectLock, type HeldLock, type LockOptions, withProjectLock } from "./lock.js";
export { CONFIG_FILES, type Project, readConfig, readProjectConfig, resolveProject } from "./read-config.js";
export { type OutputFile, type PublishOptions, publish, type Recovery, recoverInterruptedWrite } from "./write.js";
