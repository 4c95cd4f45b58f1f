/**
 * A throwaway PostgreSQL 15 cluster for one test run: initdb into a temp dir, start on a free
 * loopback port, hand out fresh databases, and always remove everything at the end.
 *
 * NOTE: PostgreSQL refuses to run as root, so when the tests run as root every server command runs
 * as the `postgres` system user through `runuser`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type {} from "vitest";
import { freePort } from "./ports.js";

// What the run's globalSetup hands every test file through vitest's inject().
declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL 15 cluster, or "" when it could not be started. */
    pgAdminUrl: string;
    /** Why PostgreSQL is missing, when `pgAdminUrl` is "". */
    pgSkipReason: string;
    /** A MariaDB server URL (mysql://root@127.0.0.1:port/mysql), or "" when it could not be started. */
    mariadbUrl: string;
  }
}

const run = promisify(execFile);
export const PG_BIN = process.env.DBGEN_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PgCluster {
  readonly port: number;
  /** A connection URL for a database of this cluster. */
  url(database?: string): string;
  stop(): Promise<void>;
}

/** Why a PostgreSQL 15 cluster cannot be started here, or undefined when it can. */
export function pgUnavailableReason(): string | undefined {
  if (!existsSync(join(PG_BIN, "initdb"))) {
    return `PostgreSQL 15 server binaries not found in ${PG_BIN} (apt-get install postgresql-15)`;
  }
  return undefined;
}

async function asPostgresUser(command: string, args: readonly string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot
    ? ["runuser", ["-u", "postgres", "--", join(PG_BIN, command), ...args]]
    : [join(PG_BIN, command), [...args]];
  await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
}

/** Starts a cluster; the caller must call `stop()` (a vitest globalSetup teardown does). */
export async function startPgCluster(): Promise<PgCluster> {
  const reason = pgUnavailableReason();
  if (reason) throw new Error(reason);
  const dir = await mkdtemp(join(tmpdir(), "dbgen-pg-"));
  const data = join(dir, "data");
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const port = await freePort();
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      await asPostgresUser("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      started = false;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await asPostgresUser("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    await asPostgresUser("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
    started = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}

let counter = 0;

/** A fresh, empty database on the cluster at `adminUrl`; `drop()` removes it. */
export async function createTestDatabase(
  adminUrl: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  counter += 1;
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
