import type { Operation } from "../../diff/operations.js";
import type { Schema } from "../../ir/types.js";
import { createRenderer, type RenderOptions } from "../default-renderer.js";
import { postgresDialect } from "./postgres-dialect.js";

export { parsePostgresType } from "./parse-type.js";
export { postgresDialect, renderPostgresType } from "./postgres-dialect.js";
export { qualifiedName, quoteIdent, quoteLiteral } from "./quote.js";

/**
 * PostgreSQL statements for an ordered list of operations.
 *
 * @example renderPostgres(diffSchemas(before, after).operations).join("\n")
 */
export function renderPostgres(ops: readonly Operation[], options: RenderOptions = {}): string[] {
  return createRenderer(postgresDialect, options)(ops);
}

/** Options from a schema: its tables live in `schema.name`. */
export function renderOptionsFor(schema: Schema): RenderOptions {
  return { schema: schema.name };
}
