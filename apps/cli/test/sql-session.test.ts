/**
 * `dbgen sql` without `-c`: the CLI's session reads statements from stdin (piped here, as in a script),
 * prints each outcome, tells a refused statement and goes on, and ends at \q.
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, dbgen, REPO } from "./helpers.js";

const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

function piped(args: readonly string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe("dbgen sql, a session on stdin", () => {
  it("runs each statement, tells a refused one and goes on, and stops at \\q", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-sql-session-"));
    temps.push(root);
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    const generated = await dbgen(["--root", root, "generate", "--module", "teams"]);
    expect(generated.code, generated.stderr).toBe(0);
    const run = await piped(
      ["--root", root, "sql", "--module", "teams"],
      "select 1 as one;\nselect nothing_here;\nselect 2\n  as two;\n\\q\nselect 3 as never;\n",
    );
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^Connected to PGlite \(.*\)\. End statements with ";", \\q to quit\.$/);
    expect(lines.slice(1, 5)).toEqual([" one", "-----", " 1", "(1 row)"]);
    expect(lines[5]).toMatch(/nothing_here/);
    expect(lines.slice(6, 10)).toEqual([" two", "-----", " 2", "(1 row)"]);
    expect(run.stdout).not.toContain("never");
  }, 120_000);
});
