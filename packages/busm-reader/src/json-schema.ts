/**
 * The JSON Schemas of the two input formats, shipped with the package (also exported, so editors
 * and other tools can validate the files). Names, types and references are checked after the
 * schema, by the reader, so that each gets its own error code.
 */

const fieldOptions = {
  type: "object",
  additionalProperties: false,
  required: ["type"],
  properties: {
    type: { type: "string" },
    required: { type: "boolean" },
    primaryKey: { type: "boolean" },
    unique: { type: "boolean" },
    default: {
      anyOf: [
        { type: ["string", "number", "boolean"] },
        {
          type: "object",
          additionalProperties: false,
          required: ["sql"],
          properties: { sql: { type: "string", minLength: 1 } },
        },
      ],
    },
    maxLength: { type: "integer", minimum: 1, maximum: 10485760 },
    precision: { type: "integer", minimum: 1, maximum: 1000 },
    scale: { type: "integer", minimum: 0, maximum: 1000 },
    values: { type: "array", items: { type: "string" }, minItems: 1 },
    enum: { type: "string" },
    min: { type: "number" },
    max: { type: "number" },
    pattern: { type: "string" },
    references: { type: "string" },
    onDelete: { enum: ["cascade", "set null", "restrict", "no action"] },
    onUpdate: { enum: ["cascade", "set null", "restrict", "no action"] },
    description: { type: "string" },
    renamedFrom: { type: "string" },
    identity: { type: "boolean" },
    array: { type: "boolean" },
    dimensions: { type: "integer", minimum: 1, maximum: 16000 },
    generated: {
      type: "object",
      additionalProperties: false,
      required: ["sql"],
      properties: { sql: { type: "string", minLength: 1 } },
    },
    using: {
      type: "object",
      additionalProperties: false,
      required: ["sql"],
      properties: { sql: { type: "string", minLength: 1 } },
    },
  },
} as const;

const audiences = { type: "array", items: { type: "string", minLength: 1 } } as const;
const access = {
  type: "object",
  additionalProperties: false,
  properties: {
    mode: { enum: ["owner", "tenant", "parent", "authenticated", "public-read", "service-only"] },
    column: { type: "string" },
    via: { type: "string" },
    claim: { type: "string" },
    owner: { type: "string" },
    scope: { type: "string" },
    select: audiences,
    insert: audiences,
    update: audiences,
    delete: audiences,
  },
} as const;
const members = {
  type: "object",
  additionalProperties: false,
  required: ["entity", "user"],
  properties: {
    entity: { type: "string" },
    user: { type: "string" },
    role: { type: "string" },
    creatorRole: { type: "string" },
  },
} as const;

/** JSON Schema (draft 2020-12 subset) of `busm-model.json`, BUSM format 1. */
export const BUSM_JSON_SCHEMA = {
  $id: "https://dbgen.dev/schemas/busm-1.json",
  type: "object",
  additionalProperties: false,
  required: ["busm", "entities"],
  properties: {
    busm: { const: "1" },
    name: { type: "string" },
    description: { type: "string" },
    enums: { type: "object", additionalProperties: { type: "array", items: { type: "string" }, minItems: 1 } },
    options: {
      type: "object",
      additionalProperties: false,
      properties: { enums: { enum: ["check", "type"] } },
    },
    entities: {
      type: "object",
      minProperties: 1,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["fields"],
        properties: {
          description: { type: "string" },
          table: { type: "string" },
          fields: { type: "object", additionalProperties: fieldOptions },
          indexes: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["fields"],
              properties: {
                name: { type: "string" },
                fields: { type: "array", items: { type: "string" }, minItems: 1 },
                unique: { type: "boolean" },
                where: { type: "string" },
                method: { enum: ["btree", "hash", "gin", "gist", "brin", "hnsw", "ivfflat"] },
                ops: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
                order: { type: "object", additionalProperties: { enum: ["asc", "desc"] } },
              },
            },
          },
          unique: { type: "array", items: { type: "array", items: { type: "string" }, minItems: 1 } },
          primaryKey: { type: "array", items: { type: "string" }, minItems: 1 },
          checks: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["name", "sql"],
              properties: { name: { type: "string" }, sql: { type: "string", minLength: 1 } },
            },
          },
          softDelete: { type: "boolean" },
          audit: { type: "boolean" },
          versioned: { type: "boolean" },
          realtime: { type: "boolean" },
          profile: { type: "boolean" },
          access,
          members,
        },
      },
    },
    relationships: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["from", "to", "type"],
        properties: {
          from: { type: "string" },
          to: { type: "string" },
          type: { enum: ["many-to-one", "one-to-one", "many-to-many"] },
          field: { type: "string" },
          through: { type: "string" },
          onDelete: { enum: ["cascade", "set null", "restrict", "no action"] },
          description: { type: "string" },
        },
      },
    },
  },
} as const;

/** JSON Schema of a module file `{module}-phase{n}.yaml`. */
export const MODULE_JSON_SCHEMA = {
  $id: "https://dbgen.dev/schemas/module-1.json",
  type: "object",
  additionalProperties: false,
  required: ["module", "phase", "entities"],
  properties: {
    module: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
    phase: { type: "integer", minimum: 1 },
    iteration: { type: "integer", minimum: 1 },
    description: { type: "string" },
    entities: { type: "array", items: { type: "string" }, minItems: 1 },
    fields: {
      type: "object",
      additionalProperties: {
        type: "array",
        items: {
          anyOf: [
            { type: "string" },
            {
              type: "object",
              minProperties: 1,
              maxProperties: 1,
              additionalProperties: {
                anyOf: [
                  { type: "string" },
                  {
                    type: "object",
                    additionalProperties: false,
                    minProperties: 1,
                    properties: { type: { type: "string" }, backfill: { type: "string" } },
                  },
                ],
              },
            },
          ],
        },
      },
    },
    relationships: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["from", "to", "type"],
        properties: {
          from: { type: "string" },
          to: { type: "string" },
          type: { enum: ["many-to-one", "one-to-one", "many-to-many"] },
          field: { type: "string" },
          through: { type: "string" },
          onDelete: { enum: ["cascade", "set null", "restrict", "no action"] },
        },
      },
    },
  },
} as const;
