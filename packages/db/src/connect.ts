/**
 * Database connections through knex: PGlite (embedded WASM PostgreSQL, the default, in memory or
 * in a folder) or a PostgreSQL/Supabase server by URL. Drivers load lazily, so commands that never
 * touch a database never pay for them.
 */
import { stat } from "node:fs/promises";
import { type DbgenError, userError } from "@dbgen/schema-core";
import type { Knex } from "knex";
import { applyStatements } from "./apply.js";
import type { Engine } from "./engine.js";
import { applyMysql, introspectMysql } from "./mysql/engine.js";
import { introspectPostgres } from "./postgres/introspect.js";
import { markerOf, readTemplate, unpackTemplate } from "./template.js";

export type DatabaseTarget =
  | { readonly kind: "pglite" /** A data folder; in memory when absent. */; readonly dataDir?: string }
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "mysql"; readonly url: string };

/** An engine reached through knex: also queries, sessions, migration history and backups. */
export interface Database extends Engine {
  readonly dialect: "postgres" | "mysql";
  readonly knex: Knex;
  readonly target: DatabaseTarget;
  /** Where it is, without secrets: `PGlite (in memory)`, `postgres://host:5432/db`. */
  readonly description: string;
}

/** `postgres://user:secret@host:5432/db?x` → `postgres://host:5432/db`: never print a password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "the database URL (unparseable)";
  }
}

/** The target a command uses: `--db`, else DATABASE_URL, else SUPABASE_DB_URL, else embedded PGlite. */
export function resolveTarget(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  pgliteDir?: string,
): DatabaseTarget {
  const url = explicit ?? env.DATABASE_URL ?? env.SUPABASE_DB_URL;
  if (url) return { kind: "postgres", url };
  return pgliteDir ? { kind: "pglite", dataDir: pgliteDir } : { kind: "pglite" };
}

function connectionError(description: string, cause: unknown): DbgenError {
  const reason =
    cause instanceof Error ? cause.message.replace(/postgres(ql)?:\/\/[^\s]*/g, (m) => redactUrl(m)) : String(cause);
  return userError(
    "CONNECTION_ERROR",
    `Cannot connect to ${description}: ${reason}`,
    "check that the server runs and accepts connections, the host, port, database name and user, and the password in the URL",
  );
}

/**
 * A PGlite for `dataDir` (in memory when absent). A new database starts from the data directory
 * made at build time (template.ts) rather than from initdb: a new folder is unpacked by Node, an
 * in-memory one loaded by PGlite. Without the template (a source checkout not built yet) PGlite runs
 * initdb as usual.
 */
async function newPglite(dataDir?: string): Promise<unknown> {
  const [{ PGlite }, { vector }, { citext }, { pg_trgm }, { pgtap }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/vector"),
    import("@electric-sql/pglite/contrib/citext"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("@electric-sql/pglite/pgtap"),
  ]);
  // NOTE: the extensions the model's types need are only made available here; a migration creates
  // one when a column needs it, and `dbgen test --run` pgTAP (registering them costs no measurable
  // time at open).
  const extensions = { vector, citext, pg_trgm, pgtap };
  const existing = dataDir !== undefined && (await stat(markerOf(dataDir)).catch(() => undefined));
  const template = existing ? undefined : await readTemplate();
  if (dataDir === undefined)
    return new PGlite({ extensions, ...(template ? { loadDataDir: new Blob([template]) } : {}) });
  if (template) unpackTemplate(template, dataDir);
  return new PGlite(dataDir, { extensions });
}

// knex would print connection errors itself; dbgen reports them as CONNECTION_ERROR instead.
const QUIET = { warn() {}, error() {}, deprecate() {}, debug() {} };

/** Opens a knex instance for `target` and checks it with `select 1`. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  // NOTE: knex is CommonJS: under Node's ESM loader its function is the default export, under
  // bundlers and vitest the named one.
  const knexModule = await import("knex");
  const knex = (knexModule.knex ??
    (knexModule as unknown as { default: typeof knexModule.knex }).default) as typeof knexModule.knex;
  let instance: Knex;
  let description: string;
  if (target.kind === "pglite") {
    const { default: ClientPgLite } = await import("knex-pglite");
    description = target.dataDir ? `PGlite (${target.dataDir})` : "PGlite (in memory)";
    instance = knex({
      client: ClientPgLite,
      dialect: "postgres",
      connection: { pglite: await newPglite(target.dataDir) } as never,
      log: QUIET,
    });
  } else if (target.kind === "mysql") {
    description = redactUrl(target.url);
    instance = knex({
      client: "mysql2",
      connection: target.url,
      pool: { min: 0, max: 2 },
      acquireConnectionTimeout: 10_000,
      log: QUIET,
    });
  } else {
    description = redactUrl(target.url);
    instance = knex({
      client: "pg",
      connection: { connectionString: target.url },
      pool: { min: 0, max: 2 },
      acquireConnectionTimeout: 10_000,
      log: QUIET,
    });
  }
  try {
    await instance.raw("select 1");
  } catch (error) {
    await instance.destroy().catch(() => {});
    throw connectionError(description, error);
  }
  return engineOf(instance, target, description);
}

function engineOf(knex: Knex, target: DatabaseTarget, description: string): Database {
  const close = () => knex.destroy();
  if (target.kind === "mysql")
    return {
      dialect: "mysql",
      knex,
      target,
      description,
      apply: (statements) => applyMysql(knex, statements),
      introspect: () => introspectMysql(knex),
      close,
    };
  return {
    dialect: "postgres",
    knex,
    target,
    description,
    apply: (statements) => applyStatements(knex, statements),
    introspect: (schema = "public") => introspectPostgres(knex, schema),
    close,
  };
}
