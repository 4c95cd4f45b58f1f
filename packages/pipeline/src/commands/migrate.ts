/**
 * `dbgen migrate SPEC.json [--dialect postgres|sqlite|mysql] [--existing-db PATH|URL] [--out DIR] [--prune]`:
 * seed 004's generator from the command line.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { type ProjectLayout, publish, specMigrationsDir } from "@dbgen/project";
import { DbgenError, type Diagnostic, userError } from "@dbgen/schema-core";
import {
  checkSpecShape,
  type GeneratedMigration,
  generateMigrationFor,
  type MigrationSpec,
  type ValidationError,
} from "@dbgen/spec-migrations";
import type { CommandResult, RunContext } from "../context.js";
import { writing } from "../project.js";

export interface MigrateOptions {
  readonly dialect?: "postgres" | "sqlite" | "mysql";
  readonly existingDb?: string;
  readonly out?: string;
  readonly prune?: boolean;
}

const DATABASE_TYPE = { postgres: "postgresql", sqlite: "sqlite", mysql: "mysql" } as const;
const DIALECT_DIR = { postgresql: "postgres", sqlite: "sqlite", mysql: "mysql" } as const;

/** A path as the user should read it: relative to the current folder when inside it, else absolute. */
function shown(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? absolute : rel;
}

/** The generated migration's metadata, and the files written (none when every table is up to date). */
export type MigrateResult = GeneratedMigration["metadata"] & { readonly written: readonly string[] };

/** Paths given on the command line resolve against the current folder, as every CLI's do. */
export function migrateCommand(
  global: RunContext,
  specPath: string,
  options: MigrateOptions,
): Promise<CommandResult<MigrateResult>> {
  return writing(global, "migrate", async ({ layout }) => {
    const out = options.out !== undefined ? resolve(options.out) : undefined;
    return migrateLocked(specPath, { ...options, ...(out ? { out } : {}) }, layout);
  });
}

async function migrateLocked(
  specPath: string,
  options: MigrateOptions,
  layout: ProjectLayout,
): Promise<CommandResult<MigrateResult>> {
  const path = resolve(specPath);
  let spec: MigrationSpec;
  try {
    spec = JSON.parse(await readFile(path, "utf8")) as MigrationSpec;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw userError(
      missing ? "INVALID_CONFIG" : "PARSE_ERROR",
      missing ? `No spec at ${path}` : `The spec is not JSON: ${(error as Error).message}`,
      missing ? "give the path of a MigrationSpec JSON file" : "make the file valid JSON",
      { file: specPath },
    );
  }
  const shape = checkSpecShape(spec);
  if (shape.length > 0) throw new DbgenError(shape.map((v) => specDiagnostic(v, specPath)));
  const databaseType = options.dialect ? DATABASE_TYPE[options.dialect] : (spec.databaseType ?? "postgresql");
  const existingDb = options.existingDb ?? spec.existingDbPath;
  const migration = await generateMigrationFor(
    { ...spec, databaseType },
    {
      ...(existingDb ? { existingDb: /^[a-z]+:\/\//.test(existingDb) ? existingDb : resolve(existingDb) } : {}),
      prune: options.prune === true,
    },
  );
  const diagnostics: Diagnostic[] = [...migration.validation.errors, ...migration.validation.warnings].map((v) =>
    specDiagnostic(v, specPath),
  );
  if (!migration.validation.valid) throw new DbgenError(diagnostics);
  const outDir = options.out ?? join(layout.root, specMigrationsDir(layout, DIALECT_DIR[databaseType]));
  // The write step takes paths relative to the project root; `..` reaches a folder outside it.
  const at = (name: string) => relative(layout.root, join(outDir, name));
  const files = [{ path: at(migration.metadata.filename), content: migration.file }];
  if (migration.typeDefinitions)
    files.push({
      path: at(migration.metadata.filename.replace(/\.sql$/, ".types.ts")),
      content: migration.typeDefinitions,
    });
  const written = (migration.metadata.operationType === "NONE" ? [] : await publish(layout, files)).map((f) =>
    shown(join(layout.root, f)),
  );
  return {
    result: { ...migration.metadata, written },
    diagnostics,
  };
}

function specDiagnostic(v: ValidationError, specPath: string): Diagnostic {
  return {
    severity: v.type,
    code: v.code,
    file: specPath,
    ...(v.table ? { path: v.column ? `${v.table}.${v.column}` : v.table } : {}),
    message: v.message,
    ...(v.suggestion ? { fix: v.suggestion } : {}),
  };
}
