/** Where a module's generated files live, from the project's layout. */
import { moduleDir, type PrototypeConfig, rollbackFile, stateFile, typesFile } from "@dbgen/project";

export function migrationsDir(config: PrototypeConfig, module: string): string {
  return moduleDir(config.paths, "migrations", module);
}
export function rollbackPath(config: PrototypeConfig, module: string, iteration: number): string {
  return rollbackFile(config.paths, module, iteration);
}
export function statePath(config: PrototypeConfig, module: string, iteration: number): string {
  return stateFile(config.paths, module, iteration);
}
export function typesPath(config: PrototypeConfig, module: string, iteration: number): string {
  return typesFile(config.paths, module, iteration);
}
export function devDatabaseDir(config: PrototypeConfig, module: string): string {
  return moduleDir(config.paths, "dev", module);
}
