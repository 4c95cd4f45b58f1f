/**
 * The application layer on its own, without the CLI: a command is a function of a context, and the
 * same command module the CLI loads by subpath is the one the package's index names.
 */
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generateCommand, type RunContext, statusCommand } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

function context(root: string, seen: string[]): RunContext {
  return {
    root,
    progress: (line) => seen.push(`progress ${line}`),
    warnNow: (diagnostics) => seen.push(...diagnostics.map((d) => `warning ${d.code}`)),
    notice: (line) => seen.push(line),
    step: (label, work) => {
      seen.push(`step ${label}`);
      return work();
    },
  };
}

describe("@dbgen/pipeline", () => {
  it("generates a module's iteration and reports its status through the context alone", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-pipeline-"));
    temps.push(root);
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    const seen: string[] = [];
    const generated = await generateCommand(context(root, seen), { module: "teams" });
    expect(generated.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(seen.some((s) => s.startsWith("step "))).toBe(true);
    const status = await statusCommand(context(root, []), { module: "teams" });
    expect(status.result).toMatchObject({ module: "teams", generated: [1], applied: [1] });
  }, 60_000);

  it("gives back data, never text: a plan's result is what --json prints, and the analysis is progress", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-pipeline-"));
    temps.push(root);
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    const { previewCommand } = await import("@dbgen/pipeline/commands/prototype");
    const seen: string[] = [];
    const preview = await previewCommand(context(root, seen), { module: "teams" });
    expect(Object.keys(preview).sort()).toEqual(["diagnostics", "result"]);
    expect(JSON.parse(JSON.stringify(preview.result))).toEqual(preview.result);
    expect(preview.result).toMatchObject({ module: "teams", iteration: 1, previousIteration: 0, status: "changes" });
    expect(preview.result.upFile).toMatch(/_iter1_/);
    expect(preview.result.up).toContain("CREATE TABLE");
    expect(preview.result.operations.length).toBeGreaterThan(0);
    expect(seen).toContain("progress Module: teams");
  }, 60_000);

  it("refuses sql with neither a statement nor a session before it opens (or makes) a database", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-pipeline-"));
    temps.push(root);
    await cp(join(REPO, "tooling/fixtures/team-app"), root, { recursive: true });
    const before = (await readdir(root, { recursive: true })).sort();
    const { sqlCommand } = await import("@dbgen/pipeline/commands/sql");
    await expect(sqlCommand(context(root, []), { module: "teams" })).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ code: "INVALID_CONFIG", message: "No SQL to run" })],
    });
    expect((await readdir(root, { recursive: true })).sort()).toEqual(before);
  });

  it("is the same command by its subpath as by the index", async () => {
    const byPath = await import("@dbgen/pipeline/commands/prototype");
    const index = await import("@dbgen/pipeline");
    expect(byPath.generateCommand).toBe(index.generateCommand);
  });
});
