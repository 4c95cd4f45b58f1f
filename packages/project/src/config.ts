/**
 * The project's configuration (seed 000's `database-generator.config.js`, or `dbgen.config.*`): the
 * layout's paths, the prototype's generation rules, naming patterns and iteration settings. Every key
 * is optional; the defaults are the contract's.
 */
import { DbgenError, userError } from "@dbgen/schema-core";
import type { ValidateFunction } from "ajv";
import { DEFAULT_PATHS, type LayoutPaths, layoutPaths } from "./layout.js";
import * as generated from "./validators.generated.js";

/** The seed's `prototype.paths`: the subset of the layout the prototype stage reads and writes. */
export const PROTOTYPE_PATH_KEYS = ["modules", "busm", "migrations", "state", "rollbacks", "types", "dev"] as const;
type PrototypePaths = Pick<LayoutPaths, (typeof PROTOTYPE_PATH_KEYS)[number]>;

export interface PrototypeConfig {
  readonly paths: PrototypePaths;
  readonly rules: {
    /** `basic`: primary keys and an index per foreign key; `none`: primary keys only. */
    readonly includeIndexes: "basic" | "none";
    readonly defaultStringLength: number;
    readonly indexNamePattern: string;
    readonly constraintNamePattern: string;
    /**
     * `open` (seed 002: prototype = open access): tables as Supabase makes them, reachable by `anon`.
     * `closed`: row-level security on and no policy, so only the table owner and service_role reach them.
     */
    readonly clientAccess: "open" | "closed";
  };
  readonly iteration: {
    /** The iteration to generate when neither --iteration nor the module file says. */
    readonly current?: number;
    readonly allowRollback: boolean;
  };
}

/** How production migrations behave on a live database. */
export interface ProductionConfig {
  /** `lock_timeout` of every production migration: how long a statement waits for a lock before it stops. */
  readonly lockTimeout: string;
  /** `statement_timeout` of every production migration (a validation or an index build scans the table). */
  readonly statementTimeout: string;
  /**
   * What the first `dbgen harden` writes: `fresh` (a database without these tables: one transactional
   * migration, nothing in it holds rows), or `from-prototype` (a database that holds the prototype
   * tables, maybe with rows: the union, then the lock-safe upgrade).
   */
  readonly firstInstall: "fresh" | "from-prototype";
}

/** The whole configuration: every path of the layout, the prototype's and production's settings. */
export interface ProjectConfig {
  readonly paths: LayoutPaths;
  readonly prototype: PrototypeConfig;
  readonly production: ProductionConfig;
}

export const DEFAULT_PRODUCTION_CONFIG: ProductionConfig = {
  lockTimeout: "5s",
  statementTimeout: "10min",
  firstInstall: "fresh",
};

/** A PostgreSQL interval as the timeouts take it: a number and a unit (`0` turns the timeout off). */
const TIMEOUT = { type: "string", pattern: "^(0|[1-9][0-9]{0,6}(ms|s|min|h))$" };

const prototypePaths = (paths: LayoutPaths): PrototypePaths =>
  Object.fromEntries(PROTOTYPE_PATH_KEYS.map((k) => [k, paths[k]])) as unknown as PrototypePaths;

export const DEFAULT_CONFIG: PrototypeConfig = {
  paths: prototypePaths(DEFAULT_PATHS),
  rules: {
    includeIndexes: "basic",
    defaultStringLength: 255,
    indexNamePattern: "idx_{table}_{column}",
    constraintNamePattern: "fk_{table}_{column}",
    clientAccess: "open",
  },
  iteration: { allowRollback: true },
};

/** A path in the config: relative to the project root, one line, no NUL. */
const relativePath = { type: "string", minLength: 1, pattern: "^(?![/\\\\])(?![A-Za-z]:)[^\\u0000-\\u001f]+$" };
/**
 * A naming pattern: lower-case letters, digits, `_` and the placeholders `{table}` (required) and
 * `{column}` — so a name made from it is an identifier, never a line of SQL.
 */
const NAME_PATTERN = {
  type: "string",
  pattern: "^(?=.*\\{table\\})(?:[a-z0-9_]|\\{table\\}|\\{column\\})+$",
  maxLength: 40,
};
const fixedFalse = { const: false, description: "prototype is minimal: production adds this" };
export const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    paths: {
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(Object.keys(DEFAULT_PATHS).map((k) => [k, relativePath])),
    },
    production: {
      type: "object",
      additionalProperties: false,
      properties: {
        lockTimeout: TIMEOUT,
        statementTimeout: TIMEOUT,
        firstInstall: { enum: ["fresh", "from-prototype"] },
      },
    },
    prototype: {
      type: "object",
      additionalProperties: false,
      properties: {
        paths: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(PROTOTYPE_PATH_KEYS.map((k) => [k, relativePath])),
        },
        rules: {
          type: "object",
          additionalProperties: false,
          properties: {
            includeConstraints: fixedFalse,
            includeIndexes: { enum: ["basic", "none"] },
            includeRLS: fixedFalse,
            includeAudit: fixedFalse,
            includeSoftDelete: fixedFalse,
            useUUIDs: { const: true, description: "implicit keys are uuid" },
            defaultStringLength: { type: "integer", minimum: 1, maximum: 10485760 },
            tableNamePattern: { const: "snake_case" },
            columnNamePattern: { const: "snake_case" },
            indexNamePattern: NAME_PATTERN,
            constraintNamePattern: NAME_PATTERN,
            clientAccess: { enum: ["open", "closed"] },
          },
        },
        iteration: {
          type: "object",
          additionalProperties: false,
          properties: { current: { type: "integer", minimum: 1 }, allowRollback: { type: "boolean" } },
        },
      },
    },
  },
} as const;

// Compiled ahead of time from CONFIG_SCHEMA (ajv standalone, `pnpm validators:generate`).
const validate = generated.validateConfigDocument as unknown as ValidateFunction;

interface ConfigDocument {
  paths?: Partial<LayoutPaths>;
  production?: Partial<ProductionConfig>;
  prototype?: {
    paths?: Partial<PrototypePaths>;
    rules?: Partial<PrototypeConfig["rules"]>;
    iteration?: Partial<PrototypeConfig["iteration"]>;
  };
}

function configError(file: string, path: string | undefined, message: string): DbgenError {
  return userError("INVALID_CONFIG", message, "see docs/prototype.md for the settings and their values", {
    file,
    path,
  });
}

function checkShape(document: unknown, file: string): asserts document is ConfigDocument {
  if (validate(document)) return;
  throw new DbgenError(
    (validate.errors ?? []).map((e) => {
      const path = e.instancePath.split("/").slice(1).join(".");
      const message =
        e.keyword === "additionalProperties"
          ? `Unknown setting "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
          : e.keyword === "pattern" && path.includes("paths")
            ? `${path} must be a path relative to the project root, on one line`
            : e.keyword === "pattern" && path.endsWith("NamePattern")
              ? `${path} must hold {table} and only lower-case letters, digits, _ and {column}`
              : e.keyword === "pattern" && path.endsWith("Timeout")
                ? `${path} must be a number and a unit (ms, s, min or h), e.g. "5s", or 0 for none`
                : `${path} ${e.message ?? "is invalid"}`;
      return configError(file, path || undefined, message).diagnostics[0] as DbgenError["diagnostics"][number];
    }),
  );
}

/** Checks a loaded config document and fills in the defaults: every path and every setting. */
export function resolveProjectConfig(document: unknown, file: string): ProjectConfig {
  checkShape(document, file);
  const top = document.paths ?? {};
  const seed = document.prototype?.paths ?? {};
  for (const key of PROTOTYPE_PATH_KEYS) {
    const a = top[key];
    const b = seed[key];
    if (a !== undefined && b !== undefined && a !== b)
      throw configError(
        file,
        `prototype.paths.${key}`,
        `paths.${key} and prototype.paths.${key} disagree ("${a}" and "${b}")`,
      );
  }
  const paths = layoutPaths({ ...top, ...seed });
  const doc = document.prototype ?? {};
  return {
    paths,
    prototype: {
      paths: prototypePaths(paths),
      rules: { ...DEFAULT_CONFIG.rules, ...doc.rules },
      iteration: { ...DEFAULT_CONFIG.iteration, ...doc.iteration },
    },
    production: { ...DEFAULT_PRODUCTION_CONFIG, ...document.production },
  };
}

/** The prototype's settings only (the seed's shape). */
export function resolveConfig(document: unknown, file: string): PrototypeConfig {
  return resolveProjectConfig(document, file).prototype;
}
