/**
 * The CLI on a real terminal (tmux): the spinner while the embedded database opens, and the y/N
 * prompt (@clack/prompts) before a server is changed — answered yes, and answered no.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { afterAll, describe, expect, inject, it } from "vitest";
import { BIN, REPO } from "./helpers.js";

const adminUrl = inject("pgAdminUrl");
const temps: string[] = [];
const sessions: string[] = [];
afterAll(async () => {
  for (const s of sessions) {
    try {
      execFileSync("tmux", ["kill-session", "-t", s], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-tty-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await cp(join(REPO, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), { recursive: true });
  const iteration = await readFile(
    join(REPO, "packages/prototype-generator/test/fixtures/account-management/iteration-1.yaml"),
    "utf8",
  );
  await writeFile(join(root, ".pipeline/modules/account-management-phase1.yaml"), iteration);
  return root;
}

/** Starts `args` in a new tmux session (a real terminal), its exit code printed when it ends. */
function terminal(args: readonly string[]): {
  screen(): string;
  keys(...keys: string[]): void;
  until(text: RegExp): Promise<string>;
} {
  const name = `dbgen-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  execFileSync("tmux", [
    "new-session",
    "-d",
    "-s",
    name,
    "-x",
    "140",
    "-y",
    "40",
    `env NO_COLOR=1 ${quoted}; echo EXIT=$?; sleep 60`,
  ]);
  const screen = () => execFileSync("tmux", ["capture-pane", "-p", "-t", name], { encoding: "utf8" });
  return {
    screen,
    keys: (...keys) => execFileSync("tmux", ["send-keys", "-t", name, ...keys]),
    async until(text) {
      for (let waited = 0; waited < 30_000; waited += 100) {
        const now = screen();
        if (text.test(now)) return now;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the terminal never showed ${text}:\n${screen()}`);
    },
  };
}

describe("on a terminal", () => {
  it("shows a spinner's result for the embedded database, then the iteration", async () => {
    const root = await project();
    const tty = terminal(["--root", root, "generate"]);
    const done = await tty.until(/EXIT=\d+/);
    expect(done).toMatch(/EXIT=0/);
    expect(done).toMatch(/✓ Opening the embedded database/);
    expect(done).toMatch(/applied iteration 1/);
  }, 60_000);

  it.skipIf(!adminUrl)(
    "asks y/N before changing a server: yes applies, no changes nothing",
    async () => {
      const root = await project();
      expect(
        execFileSync(process.execPath, [BIN, "--root", root, "generate", "--no-apply"], { encoding: "utf8" }),
      ).toMatch(/Wrote/);
      const database = await createTestDatabase(adminUrl);
      try {
        const refused = terminal(["--root", root, "apply", "--module", "account-management", "--db", database.url]);
        await refused.until(/will modify .+ Proceed\?/);
        refused.keys("n");
        refused.keys("Enter");
        const no = await refused.until(/EXIT=\d+/);
        expect(no).toMatch(/CONFIRMATION_REQUIRED/);
        expect(no).toMatch(/EXIT=1/);
        const accepted = terminal(["--root", root, "apply", "--module", "account-management", "--db", database.url]);
        await accepted.until(/will modify .+ Proceed\?/);
        accepted.keys("y");
        accepted.keys("Enter");
        const yes = await accepted.until(/EXIT=\d+/);
        expect(yes).toMatch(/applied iteration 1/);
        expect(yes).toMatch(/EXIT=0/);
      } finally {
        await database.drop();
      }
    },
    90_000,
  );
});
