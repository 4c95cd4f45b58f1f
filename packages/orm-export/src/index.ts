/**
 * @dbgen/orm-export — ORM schemas from the schema IR: Drizzle (`schema.ts`, `relations.ts`) and
 * Prisma (`schema.prisma`). Pure functions, deterministic: same IR, same bytes.
 *
 * @example
 * const { schema, relations } = renderDrizzle(state.schema);
 */
export { type DrizzleFiles, renderDrizzle } from "./drizzle.js";
export { PRISMA_CONFIG, type PrismaVersion, renderPrisma } from "./prisma.js";
