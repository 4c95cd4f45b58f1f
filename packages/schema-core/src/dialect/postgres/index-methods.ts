/**
 * What PostgreSQL (with pgvector and pg_trgm, as Supabase ships them) can index how: the operator
 * classes a model may name and the types each method indexes without one. Validation refuses what
 * is not here; the renderer qualifies an extension's class with the schema extensions live in.
 */
import type { IndexMethod, SqlType } from "../../ir/types.js";
import { EXTENSION_SCHEMA } from "./postgres-dialect.js";

interface OperatorClass {
  readonly methods: readonly IndexMethod[];
  readonly types: readonly SqlType["name"][];
  readonly extension?: string;
  /** Methods whose default class this is: naming it changes nothing, so the model's IR omits it. */
  readonly defaultFor?: readonly IndexMethod[];
}

const TEXTS: readonly SqlType["name"][] = ["text", "varchar"];
const VECTOR = { types: ["vector"], extension: "vector" } as const;

export const OPERATOR_CLASSES: Readonly<Record<string, OperatorClass>> = {
  text_pattern_ops: { methods: ["btree", "hash"], types: ["text"] },
  varchar_pattern_ops: { methods: ["btree", "hash"], types: TEXTS },
  jsonb_path_ops: { methods: ["gin"], types: ["jsonb"] },
  gin_trgm_ops: { methods: ["gin"], types: TEXTS, extension: "pg_trgm" },
  gist_trgm_ops: { methods: ["gist"], types: TEXTS, extension: "pg_trgm" },
  inet_ops: { methods: ["gist"], types: ["inet"] },
  vector_l2_ops: { methods: ["hnsw", "ivfflat"], ...VECTOR, defaultFor: ["ivfflat"] },
  vector_ip_ops: { methods: ["hnsw", "ivfflat"], ...VECTOR },
  vector_cosine_ops: { methods: ["hnsw", "ivfflat"], ...VECTOR },
  vector_l1_ops: { methods: ["hnsw"], ...VECTOR },
};

export const INDEX_METHODS: readonly IndexMethod[] = ["btree", "hash", "gin", "gist", "brin", "hnsw", "ivfflat"];

const UNORDERED: readonly SqlType["name"][] = ["jsonb", "tsvector", "vector", "boolean"];

/** Whether `method` indexes a column of `type` with the type's default class (no `ops` named). */
export function indexesByDefault(method: IndexMethod, type: SqlType): boolean {
  const array = type.array === true;
  switch (method) {
    case "btree":
      return true;
    case "hash":
      return type.name !== "tsvector" && type.name !== "vector";
    case "gin":
      return array || type.name === "jsonb" || type.name === "tsvector";
    case "gist":
      return !array && type.name === "tsvector";
    case "brin":
      return !array && !UNORDERED.includes(type.name);
    case "hnsw":
      return false;
    case "ivfflat":
      return !array && type.name === "vector";
  }
}

/** An operator class as written in SQL: an extension's qualified with its schema. */
export function renderOperatorClass(name: string): string {
  return OPERATOR_CLASSES[name]?.extension ? `${EXTENSION_SCHEMA}.${name}` : name;
}

/** The extensions an index's operator classes need (pg_trgm for trigram classes). */
export function operatorClassExtensions(ops: readonly (string | null)[]): string[] {
  return ops.flatMap((o) => (o && OPERATOR_CLASSES[o]?.extension ? [OPERATOR_CLASSES[o].extension as string] : []));
}
