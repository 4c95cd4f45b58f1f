/**
 * `dbgen harden` keeps `supabase/` in step: the declarative schema files beside the migrations, the
 * ones a smaller schema no longer needs removed (the team's own files kept), and `config.toml`'s
 * `[db.migrations] schema_paths` naming them in order when the project has that file.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it } from "vitest";
import { copyExample, dbgen, treeOf } from "./helpers.js";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

const CONFIG = `# A Supabase project
project_id = "field-service"

[db]
port = 54322

[db.migrations]
# Our own views load last
schema_paths = ["./schemas/views.sql"]

[db.seed]
enabled = true
`;

async function project(): Promise<string> {
  const root = await copyExample("dbgen-supabase-folder-", [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/database/state/prototype",
    ".pipeline/production-backfill.yaml",
    ".pipeline/merge-resolutions.yaml",
  ]);
  temps.push(root);
  return root;
}

describe("harden and supabase/", () => {
  it("writes supabase/schemas, names the files in config.toml, removes its stale files and keeps the team's", async () => {
    const root = await project();
    await mkdir(join(root, "supabase/schemas"), { recursive: true });
    await writeFile(join(root, "supabase/config.toml"), CONFIG);
    await writeFile(join(root, "supabase/schemas/views.sql"), "create view public.v as select 1;\n");
    await writeFile(join(root, "supabase/schemas/09_comments.sql"), "-- from an older harden\n");
    const run = await dbgen(["--root", root, "harden"]);
    expect(run.code, run.stderr).toBe(0);
    const files = (await readdir(join(root, "supabase/schemas"))).sort();
    expect(files).toContain("views.sql");
    expect(files).not.toContain("09_comments.sql");
    const ours = files.filter((f) => /^\d{2}_/.test(f));
    expect(ours.length).toBeGreaterThan(3);
    const toml = await readFile(join(root, "supabase/config.toml"), "utf8");
    const config = parse(toml) as {
      db: { port: number; migrations: { schema_paths: string[] }; seed: { enabled: boolean } };
    };
    expect(config.db.migrations.schema_paths).toEqual([...ours.map((f) => `./schemas/${f}`), "./schemas/views.sql"]);
    expect(config.db.port).toBe(54322);
    expect(config.db.seed.enabled).toBe(true);
    expect(toml).toContain("# Our own views load last");
    // Harden again: nothing changes.
    const before = await treeOf(root);
    expect((await dbgen(["--root", root, "harden"])).code).toBe(0);
    expect(await treeOf(root)).toEqual(before);
  }, 60_000);

  it("a config.toml that is not TOML: INVALID_CONFIG naming it, nothing written", async () => {
    const root = await project();
    await mkdir(join(root, "supabase"), { recursive: true });
    await writeFile(join(root, "supabase/config.toml"), "[db.migrations\nschema_paths = [");
    const before = await treeOf(root);
    const run = await dbgen(["--root", root, "harden"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error INVALID_CONFIG supabase\/config\.toml — Cannot name the declarative schema files/m,
    );
    expect(await treeOf(root)).toEqual(before);
  }, 60_000);
});
