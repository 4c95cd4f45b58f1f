/**
 * Reading what a database already holds, for `existingDbPath`: a SQLite file (a missing file is an
 * empty database), or a postgres:// or mysql:// URL.
 */
import { ensureSqlParser } from "@dbgen/busm-reader";
import { introspectMysql, introspectPostgres, introspectSqlite, openDatabase, openSqlite } from "@dbgen/db";
import type { Schema } from "@dbgen/schema-core";
import { type GenerateOptions, generateMigration } from "./generate.js";
import type { GeneratedMigration, MigrationSpec } from "./spec.js";

export async function introspectExisting(location: string): Promise<Schema> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const db = await openDatabase({ kind: "postgres", url: location });
    try {
      return await introspectPostgres(db.knex);
    } finally {
      await db.close();
    }
  }
  if (/^mysql:\/\//.test(location)) {
    const db = await openDatabase({ kind: "mysql", url: location });
    try {
      return await introspectMysql(db.knex);
    } finally {
      await db.close();
    }
  }
  const sqlite = await openSqlite(location);
  try {
    return introspectSqlite(sqlite);
  } finally {
    sqlite.close();
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
