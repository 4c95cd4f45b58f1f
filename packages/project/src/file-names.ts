/**
 * The grammar of the file names dbgen writes, each writer beside its reader: nothing else spells a
 * name's pattern, so a name written here is a name read back here.
 */

/** A migration's version: the UTC time it was planned, `YYYYMMDDHHMMSS`. */
const VERSION = "(\\d{14})";
const WORDS = "([a-z0-9_]+)";

/** The version a migration's name starts with (`20250823143000_…`), or undefined. */
export const migrationVersion = (name: string): string | undefined => /^\d{14}(?=_)/.exec(name)?.[0];

const numbered = (pattern: RegExp, name: string): number | undefined => {
  const m = pattern.exec(name);
  return m ? Number(m[1]) : undefined;
};

const STATE = /^iteration-(\d+)-schema\.json$/;
/** A module iteration's state: `iteration-2-schema.json`. */
export const stateFileName = (iteration: number): string => `iteration-${iteration}-schema.json`;
export const stateFileIteration = (name: string): number | undefined => numbered(STATE, name);

const ROLLBACK = /^rollback-iteration-(\d+)\.sql$/;
/** A module iteration's rollback: `rollback-iteration-2.sql`. */
export const rollbackFileName = (iteration: number): string => `rollback-iteration-${iteration}.sql`;
export const rollbackFileIteration = (name: string): number | undefined => numbered(ROLLBACK, name);

const TYPES = /^database-types-iter(\d+)\.ts$/;
/** A module iteration's types: `database-types-iter2.ts`. */
export const typesFileName = (iteration: number): string => `database-types-iter${iteration}.ts`;
export const typesFileIteration = (name: string): number | undefined => numbered(TYPES, name);

export interface PrototypeMigrationName {
  readonly version: string;
  readonly iteration: number;
  readonly description: string;
}
const PROTOTYPE_MIGRATION = new RegExp(`^${VERSION}_iter(\\d+)_${WORDS}\\.sql$`);
/** A module iteration's migration: `20250823143000_iter2_create_locations.sql`. */
export const prototypeMigrationFileName = (m: PrototypeMigrationName): string =>
  `${m.version}_iter${m.iteration}_${m.description}.sql`;
export function readPrototypeMigrationName(name: string): PrototypeMigrationName | undefined {
  const m = PROTOTYPE_MIGRATION.exec(name);
  return m ? { version: m[1] ?? "", iteration: Number(m[2]), description: m[3] ?? "" } : undefined;
}

/** The production steps a migration's name says it is (its description starts with one). */
type ProductionStep = "first_install" | "prototype_union" | "harden" | "production_change" | "production_expand";

interface ProductionMigrationName {
  readonly version: string;
  /** The step, and what follows it: `production_change_validate`. */
  readonly description: string;
}
const PRODUCTION_MIGRATION = new RegExp(`^${VERSION}_${WORDS}\\.sql$`);
/** A production migration, without its extension: `20250823143000_production_change` (`.sql`, `.down.sql`). */
export const productionMigrationName = (version: string, description: string): string => `${version}_${description}`;
/** An up migration's name read back; undefined for anything else (a `.down.sql`, a stray file). */
export function readProductionMigrationName(name: string): ProductionMigrationName | undefined {
  if (name.endsWith(".down.sql")) return undefined;
  const m = PRODUCTION_MIGRATION.exec(name);
  return m ? { version: m[1] ?? "", description: m[2] ?? "" } : undefined;
}
/** True when `name` is an up migration of `step` (the step itself or one of its files, `{step}_…`). */
export function isProductionStep(name: string, step: ProductionStep): boolean {
  const description = readProductionMigrationName(name)?.description;
  return description === step || (description?.startsWith(`${step}_`) ?? false);
}
