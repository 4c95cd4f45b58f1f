/**
 * The TypeScript renderer against Supabase's own generator: for the example model and each module,
 * build the database on PostgreSQL 15, run postgres-meta 0.99's typegen on it, and compare the
 * files byte for byte. Then compile a client against `createClient<Database>()`.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type BusmModel, buildModelSchema, readProject } from "@dbgen/busm-reader";
import { diffSchemas, emptySchema, renderPostgres, renderTypescript, type Schema } from "@dbgen/schema-core";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import { PostgresMeta } from "@supabase/postgres-meta";
import { getGeneratorMetadata } from "@supabase/postgres-meta/dist/lib/generators.js";
import { generateTypescript } from "@supabase/postgrest-typegen";
import { describe, expect, inject, it } from "vitest";
import { applyStatements, openDatabase } from "../src/index.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const project = await readProject(root);
const adminUrl = inject("pgAdminUrl");
const cases: [string, Schema][] = [];
if (project.schema) cases.push(["whole model", project.schema]);
for (const m of project.modules) cases.push([`module ${m.config.module}`, m.schema]);
/** Every column type the model has beyond the example's, required and optional. */
const ALL_TYPES_MODEL = {
  busm: "1",
  entities: {
    Sample: {
      fields: Object.fromEntries(
        ["smallint", "double", "timestamp", "interval", "inet", "bytea", "citext", "tsvector"].flatMap((type) => [
          [`${type}_value`, { type, required: true }],
          [`optional_${type}`, { type }],
          ...(type === "tsvector" ? [] : [[`${type}_list`, { type, array: true }]]),
        ]),
      ),
    },
  },
} as const;
cases.push(["every new type", buildModelSchema(ALL_TYPES_MODEL as unknown as BusmModel)]);
// Identity keys (optional on insert), a composite key, checks and ON UPDATE actions.
const films = await readProject(join(root, "tooling/fixtures/film-rental"));
if (!films.schema) throw new Error(`the film-rental fixture does not read: ${JSON.stringify(films.diagnostics)}`);
cases.push(["film-rental model", films.schema]);

async function supabaseTypes(schema: Schema): Promise<string> {
  const database = await createTestDatabase(adminUrl);
  try {
    const db = await openDatabase({ kind: "postgres", url: database.url });
    try {
      // Supabase's users table, which profiles and sign-ins reference.
      await db.knex.raw("create schema auth; create table auth.users (id uuid primary key)");
      await applyStatements(db.knex, renderPostgres(diffSchemas(emptySchema(), schema).operations));
    } finally {
      await db.close();
    }
    const pgMeta = new PostgresMeta({ connectionString: database.url, max: 1 });
    const { data, error } = await getGeneratorMetadata(pgMeta, { includedSchemas: ["public"] });
    if (error || !data) throw new Error(error?.message ?? "no metadata");
    return await generateTypescript(data, { detectOneToOneRelationships: true, defaultSchema: "public" });
  } finally {
    await database.drop();
  }
}

describe.skipIf(!adminUrl)("types equal Supabase's generator (postgres-meta 0.99) on PostgreSQL 15", () => {
  it.each(cases)("%s", async (_label, schema) => {
    const theirs = await supabaseTypes(schema);
    expect(renderTypescript(schema, { enumUnions: false })).toBe(theirs);
    // The named enum unions come after everything Supabase emits.
    const ours = renderTypescript(schema);
    expect(ours.startsWith(theirs)).toBe(schema.enums.length > 0 || ours === theirs);
  });
});

const CLIENT = `
import { createClient } from "@supabase/supabase-js";
import type { AccountType, Database, Tables, TablesInsert } from "./database.types";

const supabase = createClient<Database>("http://localhost:54321", "anon-key");

export async function typedUse(): Promise<string> {
  const { data } = await supabase.from("accounts").select("id, name, status, credit_limit").eq("type", "Commercial");
  const first = data?.[0];
  const name: string = first?.name ?? "";
  const credit: number | null = first?.credit_limit ?? null;
  await supabase.from("accounts").insert({ account_number: "AB-123456", name, type: "Commercial", owner_id: "00000000-0000-0000-0000-000000000000" });
  const row: Tables<"work_orders"> | undefined = undefined;
  const kind: AccountType = "Residential";
  return \`\${name}\${credit}\${row}\${kind}\`;
}

export async function wrongUse(): Promise<void> {
  // @ts-expect-error: no such table
  await supabase.from("nope").select("*");
  // @ts-expect-error: a required field (name) is missing
  const missing: TablesInsert<"accounts"> = { account_number: "AB-1", type: "Commercial", owner_id: "x" };
  // @ts-expect-error: no such column
  const extra: TablesInsert<"accounts"> = { account_number: "AB-1", name: "n", type: "Commercial", owner_id: "x", nope: 1 };
  // @ts-expect-error: a column's type is wrong (credit_limit is a number)
  await supabase.from("accounts").update({ credit_limit: "lots" }).eq("id", "x");
  // @ts-expect-error: not one of the enum's values
  const kind: AccountType = "Galactic";
  void missing;
  void extra;
  void kind;
}
`;

describe("generated types compile against @supabase/supabase-js", () => {
  it("types a select and an insert, and rejects a wrong table, column, missing field and enum value", async () => {
    if (!project.schema) throw new Error("example has no schema");
    // Inside the package, so `@supabase/supabase-js` resolves from its node_modules.
    const dir = await mkdtemp(join(fileURLToPath(new URL(".", import.meta.url)), ".tsc-"));
    try {
      await writeFile(join(dir, "database.types.ts"), renderTypescript(project.schema));
      await writeFile(join(dir, "client.ts"), CLIENT);
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: "ESNext",
            moduleResolution: "Bundler",
            target: "ES2022",
            skipLibCheck: true,
            types: [],
          },
          files: ["client.ts"],
        }),
      );
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const result = await promisify(execFile)(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
