/**
 * A throwaway MariaDB (Debian's MySQL-compatible server) for one test run: mariadb-install-db into a
 * temp dir, mariadbd on a free loopback port without grant tables, removed at the end.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.js";

const run = promisify(execFile);
export const MARIADBD = process.env.DBGEN_MARIADBD ?? "/usr/sbin/mariadbd";
const INSTALL = "/usr/bin/mariadb-install-db";

export function mariadbUnavailableReason(): string | undefined {
  if (!existsSync(MARIADBD) || !existsSync(INSTALL))
    return `MariaDB not found at ${MARIADBD} (apt-get install mariadb-server)`;
  return undefined;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("mariadbd did not start in time");
}

export interface MariaDbServer {
  readonly port: number;
  url(database?: string): string;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<MariaDbServer> {
  const reason = mariadbUnavailableReason();
  if (reason) throw new Error(reason);
  const dir = await mkdtemp(join(tmpdir(), "dbgen-mariadb-"));
  const data = join(dir, "data");
  const user = process.getuid?.() === 0 ? ["--user=root"] : [];
  await run(
    INSTALL,
    ["--no-defaults", `--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", ...user],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const port = await freePort();
  const child = spawn(
    MARIADBD,
    [
      "--no-defaults",
      `--datadir=${data}`,
      `--socket=${join(dir, "mysqld.sock")}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--skip-grant-tables",
      "--skip-log-bin",
      "--innodb-buffer-pool-size=64M",
      `--pid-file=${join(dir, "mysqld.pid")}`,
      ...user,
    ],
    { stdio: "ignore" },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: (database = "mysql") => `mysql://root@127.0.0.1:${port}/${database}`, stop };
}
