/** `dbgen export` as a user runs it: where the files go, the same bytes twice, and refusals that help. */
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyExample, dbgen, REPO, treeOf } from "./helpers.js";

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

async function example(): Promise<string> {
  const root = await copyExample("dbgen-export-", [
    ".pipeline/factory-tools",
    ".pipeline/modules",
    ".pipeline/database/state",
    ".pipeline/database/migrations/prototype",
    ".pipeline/database/rollbacks/prototype",
  ]);
  temps.push(root);
  return root;
}

describe("dbgen export", () => {
  it("writes production's Drizzle and Prisma schemas where the layout says, the same bytes twice", async () => {
    const root = await example();
    const first = await dbgen(["--root", root, "export", "drizzle"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^wrote \.pipeline\/database\/orm\/drizzle\/schema\.ts$/m);
    expect(first.stdout).toMatch(/^wrote \.pipeline\/database\/orm\/drizzle\/relations\.ts$/m);
    const schema = await readFile(join(root, ".pipeline/database/orm/drizzle/schema.ts"), "utf8");
    expect(schema).toMatch(/export const accounts = pgTable\(/);
    const again = await dbgen(["--root", root, "export", "drizzle"]);
    expect(again.stdout).toMatch(/^unchanged \.pipeline\/database\/orm\/drizzle\/schema\.ts$/m);
    const prisma = await dbgen([
      "--root",
      root,
      "export",
      "prisma",
      "--module",
      "account-management",
      "--iteration",
      "1",
    ]);
    expect(prisma.code, prisma.stderr).toBe(0);
    expect(prisma.stdout).toMatch(/account-management iteration 1/);
    const prismaSchema = await readFile(
      join(root, ".pipeline/database/orm/prisma/account-management/schema.prisma"),
      "utf8",
    );
    expect(prismaSchema).toMatch(/@@map\("accounts"\)/);
    // For Prisma 7 by default: no url in the schema, prisma.config.ts beside it; --prisma 6 for the old format.
    expect(prismaSchema).not.toMatch(/url\s*=/);
    expect(prisma.stdout).toMatch(/^wrote \.pipeline\/database\/orm\/prisma\/account-management\/prisma\.config\.ts$/m);
    const six = await dbgen(["--root", root, "export", "prisma", "--prisma", "6", "--out", join(root, "prisma6")]);
    expect(six.code, six.stderr).toBe(0);
    expect(await readFile(join(root, "prisma6/schema.prisma"), "utf8")).toMatch(/url {6}= env\("DATABASE_URL"\)/);
    const eight = await dbgen(["--root", root, "export", "prisma", "--prisma", "8"]);
    expect(eight.code).toBe(1);
    expect(eight.stderr).toMatch(/^error INVALID_CONFIG — Prisma 8 is not a release dbgen exports for/m);
  });

  it("--out is relative to the current folder; unknown names get a suggestion and write nothing", async () => {
    const root = await example();
    const out = await mkdtemp(join(tmpdir(), "dbgen-export-out-"));
    temps.push(out);
    const placed = await dbgen(["--root", root, "export", "prisma", "--out", "orm"], { cwd: out });
    expect(placed.code, placed.stderr).toBe(0);
    expect(await readFile(join(out, "orm/schema.prisma"), "utf8")).toMatch(/^model Account \{$/m);
    const before = await treeOf(root);
    const typo = await dbgen(["--root", root, "export", "drizle"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/INVALID_CONFIG .*Unknown ORM "drizle".*did you mean "drizzle"/);
    const module = await dbgen(["--root", root, "export", "drizzle", "--module", "account-managment"]);
    expect(module.code).toBe(1);
    expect(module.stderr).toMatch(/did you mean "account-management"/);
    const iteration = await dbgen([
      "--root",
      root,
      "export",
      "drizzle",
      "--module",
      "account-management",
      "--iteration",
      "9",
    ]);
    expect(iteration.code).toBe(1);
    expect(iteration.stderr).toMatch(/has no iteration 9/);
    expect(await treeOf(root)).toEqual(before);
  });
});

describe("dbgen seed", () => {
  it("seeds a module's database (--apply) and writes its file; a seed the database refuses writes nothing", async () => {
    const root = await example();
    const applied = await dbgen(["--root", root, "apply", "--module", "account-management"]);
    expect(applied.code, applied.stderr).toBe(0);
    const seeded = await dbgen(["--root", root, "seed", "--module", "account-management", "--rows", "6", "--apply"]);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/^wrote \.pipeline\/database\/seed\/account-management\.sql$/m);
    expect(seeded.stdout).toMatch(/loaded into/);
    const count = await dbgen([
      "--root",
      root,
      "--json",
      "sql",
      "--module",
      "account-management",
      "-c",
      "select count(*)::int as n from public.accounts",
    ]);
    expect(JSON.parse(count.stdout).result.rows).toEqual([{ n: 6 }]);
    const same = await dbgen(["--root", root, "seed", "--module", "account-management", "--rows", "6"]);
    expect(same.stdout).toMatch(/^unchanged \.pipeline\/database\/seed\/account-management\.sql$/m);
    // Production's embedded database has no schema yet: the load fails, and supabase/seed.sql is not written.
    const before = await treeOf(root);
    const refused = await dbgen(["--root", root, "seed", "--apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/MIGRATION_FAILED .*The seed failed and was rolled back/);
    expect(await treeOf(root)).toEqual(before);
    const typo = await dbgen(["--root", root, "seed", "--rows-per", "Acount=3"]);
    expect(typo.stderr).toMatch(/did you mean "Account"/);
  }, 60_000);
});

describe("refusals that name what to do", () => {
  it("lint without production migrations, seed or export naming two schemas, a bad --rows-per", async () => {
    const root = await mkdtemp(join(tmpdir(), "dbgen-refusals-"));
    temps.push(root);
    await cp(join(REPO, ".pipeline/factory-tools"), join(root, ".pipeline/factory-tools"), { recursive: true });
    const lint = await dbgen(["--root", root, "lint"]);
    expect(lint.code).toBe(1);
    expect(lint.stderr).toMatch(
      /INVALID_CONFIG .*No production migration.*Fix: run dbgen harden first, or name the files/,
    );
    const both = await dbgen(["--root", root, "seed", "--module", "x", "--stage", "production"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--module and --stage production name two schemas/);
    const exportBoth = await dbgen(["--root", root, "export", "prisma", "--module", "x", "--stage", "production"]);
    expect(exportBoth.stderr).toMatch(/--module and --stage production name two schemas/);
    const noState = await dbgen(["--root", root, "seed"]);
    expect(noState.stderr).toMatch(/No production state .*Fix: run dbgen harden first/);
    const badPair = await dbgen(["--root", await example(), "seed", "--rows-per", "Account:3"]);
    expect(badPair.stderr).toMatch(/--rows-per Account:3 is not NAME=N/);
  });
});
