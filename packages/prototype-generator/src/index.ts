/**
 * @dbgen/prototype-generator — the prototype stage: per module and iteration, minimal tables,
 * ALTER migrations, rollbacks, state snapshots and types, applied to a real database.
 *
 * NOTE: not built yet; it arrives with its own issue ("Prototype mode end to end"). Everything it
 * will compose already exists: `buildModuleSchema` (busm-reader), `diffSchemas`, `renderPostgres`,
 * `invertOperations`, snapshots and `renderTypescript` (schema-core), and `applyStatements` (db).
 */
export const stage = { name: "prototype", status: "planned", emitsSql: true } as const;
