/**
 * @dbgen/production-hardener — production, part two: constraints, indexes, row-level security,
 * audit triggers, soft delete and versioning over the merged schema.
 *
 * NOTE: not built yet; it arrives with its own issue ("Production hardener").
 */
export const stage = { name: "production", status: "planned", emitsSql: true } as const;
