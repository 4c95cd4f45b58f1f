/**
 * Reading what a database already holds, for `existingDbPath`: a SQLite file (a missing file is an
 * empty database), or a postgres:// or mysql:// URL.
 */
import { ensureSqlParser } from "@dbgen/busm-reader";
import { engineTargetOf, openEngine } from "@dbgen/db";
import type { Schema } from "@dbgen/schema-core";
import { type GenerateOptions, generateMigration } from "./generate.js";
import type { GeneratedMigration, MigrationSpec } from "./spec.js";

export async function introspectExisting(location: string): Promise<Schema> {
  const adapter = await openEngine(engineTargetOf(location));
  try {
    return await adapter.introspect();
  } finally {
    await adapter.close();
  }
}

/** `generateMigration`, introspecting `spec.existingDbPath` (or `existing`) first. */
export async function generateMigrationFor(
  spec: MigrationSpec,
  options: GenerateOptions & { existingDb?: string } = {},
): Promise<GeneratedMigration> {
  await ensureSqlParser();
  const location = options.existingDb ?? spec.existingDbPath;
  const existing = location ? await introspectExisting(location) : undefined;
  return generateMigration(spec, { ...options, ...(existing ? { existing } : {}) });
}
