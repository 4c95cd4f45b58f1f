/**
 * The generator's configuration (seed 000's `database-generator.config.js`): paths, generation rules,
 * naming patterns and iteration settings, every key optional with the seed's defaults.
 */
import { DbgenError } from "@dbgen/schema-core";
import { Ajv } from "ajv";

export interface PrototypeConfig {
  readonly paths: {
    readonly modules: string;
    readonly busm: string;
    readonly migrations: string;
    readonly state: string;
    readonly rollbacks: string;
    readonly types: string;
    /** Embedded PGlite databases, one folder per module. */
    readonly dev: string;
  };
  readonly rules: {
    /** `basic`: primary keys and an index per foreign key; `none`: primary keys only. */
    readonly includeIndexes: "basic" | "none";
    readonly defaultStringLength: number;
    readonly indexNamePattern: string;
    readonly constraintNamePattern: string;
  };
  readonly iteration: {
    /** The iteration to generate when neither --iteration nor the module file says. */
    readonly current?: number;
    readonly allowRollback: boolean;
  };
}

export const DEFAULT_CONFIG: PrototypeConfig = {
  paths: {
    modules: ".pipeline/modules/",
    busm: ".pipeline/factory-tools/busm-reader/busm-model.json",
    migrations: ".pipeline/database/migrations/prototype/",
    state: ".pipeline/database/state/prototype/",
    rollbacks: ".pipeline/database/rollbacks/prototype/",
    types: ".pipeline/database/types/",
    dev: ".pipeline/database/dev/",
  },
  rules: {
    includeIndexes: "basic",
    defaultStringLength: 255,
    indexNamePattern: "idx_{table}_{column}",
    constraintNamePattern: "fk_{table}_{column}",
  },
  iteration: { allowRollback: true },
};

const fixedFalse = { const: false, description: "prototype is minimal: production adds this" };
const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    prototype: {
      type: "object",
      additionalProperties: false,
      properties: {
        paths: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(Object.keys(DEFAULT_CONFIG.paths).map((k) => [k, { type: "string", minLength: 1 }])),
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
            indexNamePattern: { type: "string", pattern: "\\{table\\}" },
            constraintNamePattern: { type: "string", pattern: "\\{table\\}" },
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

const validate = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);

interface ConfigDocument {
  prototype?: { paths?: Partial<PrototypeConfig["paths"]>; rules?: Partial<PrototypeConfig["rules"]>; iteration?: Partial<PrototypeConfig["iteration"]> };
}

/** Checks a loaded config document and fills in the defaults. */
export function resolveConfig(document: unknown, file: string): PrototypeConfig {
  if (!validate(document)) {
    throw new DbgenError(
      (validate.errors ?? []).map((e) => ({
        severity: "error" as const,
        code: "INVALID_CONFIG" as const,
        file,
        path: e.instancePath.split("/").slice(1).join(".") || undefined,
        message:
          e.keyword === "additionalProperties"
            ? `Unknown setting "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
            : `${e.instancePath.split("/").slice(1).join(".")} ${e.message ?? "is invalid"}`,
        fix: "see docs/prototype.md for the settings and their values",
      })),
    );
  }
  const doc = (document as ConfigDocument).prototype ?? {};
  return {
    paths: { ...DEFAULT_CONFIG.paths, ...doc.paths },
    rules: { ...DEFAULT_CONFIG.rules, ...doc.rules },
    iteration: { ...DEFAULT_CONFIG.iteration, ...doc.iteration },
  };
}
