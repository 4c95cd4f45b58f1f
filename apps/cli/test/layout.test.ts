/**
 * Every command honours the project's configuration: a `dbgen.config.json` that moves the pipeline
 * folder, the BUSM, the module files and the Supabase folder is followed by each of them, and
 * nothing is read from or written to the contract's default places.
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dbgen, REPO } from "./helpers.js";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

const CONFIG = {
  paths: {
    pipeline: "build/pipeline",
    busm: "model/busm.json",
    modules: "model/modules",
    supabaseMigrations: "db/supabase",
  },
};

/** The example project, laid out the way CONFIG says. */
async function movedProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dbgen-layout-"));
  temps.push(root);
  await mkdir(join(root, "model"), { recursive: true });
  await cp(join(REPO, ".pipeline/factory-tools/busm-reader/busm-model.json"), join(root, "model/busm.json"));
  await cp(join(REPO, ".pipeline/modules"), join(root, "model/modules"), { recursive: true });
  await cp(join(REPO, ".pipeline/production-backfill.yaml"), join(root, "build/pipeline/production-backfill.yaml"), {
    recursive: true,
  });
  for (const dir of ["state/prototype", "migrations/prototype", "rollbacks/prototype"]) {
    await cp(join(REPO, ".pipeline/database", dir), join(root, "build/pipeline/database", dir), { recursive: true });
  }
  await writeFile(join(root, "dbgen.config.json"), JSON.stringify(CONFIG));
  return root;
}

const ENV = { SOURCE_DATE_EPOCH: "1790000000" };

describe("a dbgen.config.json that moves the BUSM, the modules and the outputs", () => {
  it("is honoured by validate, concept, merge, harden, all, preview, generate, status, types and migrate", async () => {
    const root = await movedProject();
    const run = (...args: string[]) => dbgen(["--root", root, ...args], { env: ENV });

    const validate = await run("validate");
    expect(validate.stderr).not.toMatch(/^error/m);
    expect(validate.stderr).toMatch(/^warning TYPE_MISMATCH model\/modules\/master-view-phase1\.yaml:/m);
    expect(validate.stdout).toMatch(/^valid: \d+ entities/);

    expect((await run("concept")).code).toBe(0);
    expect((await readdir(join(root, "build/pipeline/docs/concept"))).sort()).toContain("busm.md");

    const merge = await run("merge");
    expect(merge.code, merge.stderr).toBe(0);
    expect(existsSync(join(root, "build/pipeline/database/merge-report.md"))).toBe(true);

    const harden = await run("harden");
    expect(harden.code, harden.stderr).toBe(0);
    expect(existsSync(join(root, "build/pipeline/database/production/schema.sql"))).toBe(true);
    expect((await readdir(join(root, "db/supabase"))).length).toBeGreaterThan(0);
    // The declarative schema files move with the migrations folder: beside it.
    expect((await readdir(join(root, "db/schemas"))).length).toBeGreaterThan(3);

    const all = await run("all");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^unchanged build\/pipeline\/database\/production\/schema\.sql$/m);
    expect(existsSync(join(root, "build/pipeline/database/model/schema.sql"))).toBe(true);

    const preview = await run("preview", "--module", "account-management");
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/Nothing changed since iteration/);

    const generate = await run("generate", "--module", "account-management");
    expect(generate.code, generate.stderr).toBe(0);
    expect(existsSync(join(root, "build/pipeline/database/dev/account-management"))).toBe(true);

    const status = await run("status", "--module", "account-management");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/No drift/);

    const types = await run("types", "--module", "account-management");
    expect(types.code, types.stderr).toBe(0);
    expect(types.stdout).toMatch(/build\/pipeline\/database\/types\/account-management\/database-types-iter\d+\.ts/);

    await writeFile(
      join(root, "spec.json"),
      JSON.stringify({
        description: "create_notes",
        databaseType: "sqlite",
        tables: [{ name: "notes", columns: [{ name: "id", type: "TEXT", nullable: false }], primaryKey: ["id"] }],
      }),
    );
    const migrate = await run("migrate", join(root, "spec.json"));
    expect(migrate.code, migrate.stderr).toBe(0);
    expect((await readdir(join(root, "build/pipeline/database/migrations/sqlite"))).length).toBe(2);

    // Nothing was read from or written to the default places.
    expect(existsSync(join(root, ".pipeline"))).toBe(false);
    expect(existsSync(join(root, "supabase"))).toBe(false);
  }, 240_000);

  it("validate reads the BUSM the config names, not the default one", async () => {
    const root = await movedProject();
    // A valid model at the default place must not hide the configured one's error.
    await cp(join(REPO, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), { recursive: true });
    await writeFile(
      join(root, "model/busm.json"),
      '{ "busm": "1", "entities": { "Thing": { "fields": { "name": { "type": "strng" } } } } }\n',
    );
    const validate = await dbgen(["--root", root, "validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/^error UNKNOWN_TYPE model\/busm\.json:1 entities\.Thing\.fields\.name\.type — /m);
  });

  it("refuses a path outside the rules and two places that disagree, naming the setting", async () => {
    const root = await movedProject();
    await writeFile(join(root, "dbgen.config.json"), JSON.stringify({ paths: { busm: "/etc/busm.json" } }));
    const absolute = await dbgen(["--root", root, "validate"]);
    expect(absolute.code).toBe(1);
    expect(absolute.stderr).toMatch(
      /^error INVALID_CONFIG dbgen\.config\.json paths\.busm — paths\.busm must be a path relative to the project root/m,
    );
    await writeFile(
      join(root, "dbgen.config.json"),
      JSON.stringify({ paths: { busm: "a.json" }, prototype: { paths: { busm: "b.json" } } }),
    );
    const disagree = await dbgen(["--root", root, "validate"]);
    expect(disagree.code).toBe(1);
    expect(disagree.stderr).toMatch(/INVALID_CONFIG .*paths\.busm and prototype\.paths\.busm disagree/);
  });
});
