/**
 * The ORM exports checked by the ORMs' own tools, for each example module's latest state and for the
 * production schema: drizzle-kit generates SQL from the Drizzle export that builds the same database
 * as dbgen's SQL (PostgreSQL 15, introspected), drizzle-kit pull of dbgen's database finds no column,
 * foreign key or relation the export lacks, a program typed against the export compiles, and
 * Prisma's own validator accepts the Prisma export whose models match the database field by field.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildModelSchema } from "@dbgen/busm-reader";
import { introspectPostgres, openDatabase } from "@dbgen/db";
import { SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import {
  diffSchemas,
  emptySchema,
  type Index,
  parseSnapshot,
  physicalShape,
  renderPostgres,
  requiredExtensions,
  type Schema,
  type Table,
} from "@dbgen/schema-core";
import { readLatestStates } from "@dbgen/schema-merger";
import { createTestDatabase } from "@dbgen/tooling/pg-harness";
import prismaWasm6 from "@prisma/prisma-schema-wasm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import prismaWasm7 from "prisma-schema-wasm-7";
import { afterAll, describe, expect, inject, it } from "vitest";
import { PRISMA_CONFIG, renderDrizzle, renderPrisma } from "../src/index.js";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const REPO = join(HERE, "../..");
const adminUrl = inject("pgAdminUrl");
const require = createRequire(import.meta.url);
const DRIZZLE_KIT = join(HERE, "node_modules", "drizzle-kit", "bin.cjs");
const TSC = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

const production = parseSnapshot(
  await readFile(join(REPO, ".pipeline/database/state/production/schema.json"), "utf8"),
).schema;
const cases: [string, Schema, string][] = [
  ...(await readLatestStates(REPO)).map((s): [string, Schema, string] => [
    s.module,
    s.schema,
    renderPostgres(diffSchemas(emptySchema(s.schema.name), s.schema).operations).join("\n"),
  ]),
  ["production", production, await readFile(join(REPO, ".pipeline/database/production/schema.sql"), "utf8")],
];
/** Every column type beyond the first fifteen, required, optional and with a default. */
const everyType = buildModelSchema({
  busm: "1",
  entities: {
    Sample: {
      fields: {
        small: { type: "smallint", required: true, default: 3 },
        ratio: { type: "double", default: 0.5 },
        seen_at: { type: "timestamp", required: true },
        lasts: { type: "interval", default: "1 day" },
        address: { type: "inet" },
        payload: { type: "bytea" },
        handle: { type: "citext", required: true },
        search: { type: "tsvector" },
        tags: { type: "string", maxLength: 20, array: true, required: true, default: "{}" },
        scores: { type: "integer", array: true },
        body: { type: "text" },
      },
      indexes: [
        { fields: ["search"], method: "gin" },
        { fields: ["tags"], method: "gin" },
        { fields: ["body"], method: "gin", ops: { body: "gin_trgm_ops" } },
        { fields: ["small", "seen_at"], order: { seen_at: "desc" } },
        { fields: ["seen_at"], method: "brin" },
      ],
    },
  },
});
/** Shared enums as PostgreSQL enum types: values Prisma must map (PG-13), a default, an array. */
const enumTypes = buildModelSchema({
  busm: "1",
  enums: { MpaaRating: ["G", "PG", "PG-13", "NC-17"], Mood: ["calm", "tense"] },
  options: { enums: "type" },
  entities: {
    Film: {
      fields: {
        title: { type: "text", required: true },
        rating: { type: "enum", enum: "MpaaRating", required: true, default: "PG-13" },
        moods: { type: "enum", enum: "Mood", array: true },
      },
    },
  },
});
// Before production, which stays last (the pull test reads it there).
cases.splice(
  cases.length - 1,
  0,
  ["every new type", everyType, renderPostgres(diffSchemas(emptySchema(), everyType).operations).join("\n")],
  ["enum types", enumTypes, renderPostgres(diffSchemas(emptySchema(), enumTypes).operations).join("\n")],
);

/** A folder inside this package, so the files it holds resolve drizzle-orm like a user's project. */
async function workspace(name: string): Promise<string> {
  await mkdir(join(HERE, ".tmp"), { recursive: true });
  const dir = await mkdtemp(join(HERE, ".tmp", `${name}-`));
  temps.push(dir);
  return dir;
}

async function database(sql: string | readonly string[]): Promise<{ url: string; drop(): Promise<void> }> {
  const db = await createTestDatabase(adminUrl);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(SUPABASE_SHIM_SQL);
    for (const statement of typeof sql === "string" ? [sql] : sql) await client.query(statement);
  } finally {
    await client.end();
  }
  return db;
}

/** What the database holds, as a comparison needs it: every schema dbgen uses, comments aside. */
async function shapeOf(url: string, schemas: readonly string[]): Promise<unknown> {
  const db = await openDatabase({ kind: "postgres", url });
  try {
    const out: Record<string, unknown> = {};
    for (const name of schemas) {
      const live = await introspectPostgres(db.knex, name);
      const bare = (t: Table): Table => {
        const { comment: _comment, ...rest } = t;
        return { ...rest, columns: t.columns.map(({ comment: _c, ...c }) => c) };
      };
      out[name] = physicalShape({ ...live, tables: live.tables.map(bare) }, { columnOrder: "name" });
    }
    return out;
  } finally {
    await db.close();
  }
}

const run = (args: readonly string[], cwd: string) =>
  promisify(execFile)(process.execPath, args, { cwd, encoding: "utf8" }).catch(
    (e: { stdout: string; stderr: string }) => {
      throw new Error(`${args.join(" ")} failed: ${e.stdout}${e.stderr}`);
    },
  );

const schemasOf = (schema: Schema) => [
  schema.name,
  ...new Set(schema.tables.flatMap((t) => (t.schema && t.schema !== schema.name ? [t.schema] : []))),
];

describe.skipIf(!adminUrl)("the Drizzle export, checked by drizzle-kit 0.31", () => {
  it("is deterministic: the same IR gives the same bytes", () => {
    expect(renderDrizzle(production)).toEqual(renderDrizzle(structuredClone(production)));
    expect(renderPrisma(production)).toBe(renderPrisma(structuredClone(production)));
  });

  it.each(cases)("%s: drizzle-kit generate builds the database dbgen's SQL builds", async (name, schema, sql) => {
    const dir = await workspace(name);
    const files = renderDrizzle(schema);
    await writeFile(join(dir, "schema.ts"), files.schema);
    await writeFile(join(dir, "relations.ts"), files.relations);
    await writeFile(
      join(dir, "drizzle.config.json"),
      JSON.stringify({ dialect: "postgresql", schema: "./schema.ts", out: "./out" }),
    );
    await run([DRIZZLE_KIT, "generate", "--config", "drizzle.config.json"], dir);
    const [file] = (await readdir(join(dir, "out"))).filter((f) => f.endsWith(".sql"));
    const generated = (await readFile(join(dir, "out", file ?? ""), "utf8")).split("--> statement-breakpoint");
    // drizzle-kit leaves extensions to the user (a custom migration): create what dbgen's SQL does.
    for (const extension of requiredExtensions(schema))
      generated.unshift(
        `CREATE SCHEMA IF NOT EXISTS extensions; CREATE EXTENSION IF NOT EXISTS ${extension} WITH SCHEMA extensions; SET search_path TO public, extensions;`,
      );
    const fromDrizzle = await database(generated);
    const fromDbgen = await database(sql);
    try {
      expect(await shapeOf(fromDrizzle.url, schemasOf(schema))).toEqual(
        await shapeOf(fromDbgen.url, schemasOf(schema)),
      );
    } finally {
      await fromDrizzle.drop();
      await fromDbgen.drop();
    }
  });

  it("drizzle-kit pull of dbgen's production database finds no column, foreign key or relation the export lacks", async () => {
    const db = await database(cases.at(-1)?.[2] ?? "");
    const pulled = await workspace("pull");
    const exported = await workspace("export");
    try {
      await writeFile(
        join(pulled, "drizzle.config.json"),
        JSON.stringify({
          dialect: "postgresql",
          out: ".",
          dbCredentials: { url: db.url },
          schemaFilter: schemasOf(production),
        }),
      );
      await run([DRIZZLE_KIT, "pull", "--config", "drizzle.config.json"], pulled);
      const files = renderDrizzle(production);
      await writeFile(join(exported, "schema.ts"), files.schema);
      await writeFile(join(exported, "relations.ts"), files.relations);
      const facts = async (dir: string) => {
        const { getTableConfig } = await import("drizzle-orm/pg-core");
        const {
          createTableRelationsHelpers,
          extractTablesRelationalConfig,
          is,
          One,
          Table: DrizzleTable,
        } = await import("drizzle-orm");
        const modules = { ...(await import(join(dir, "schema.ts"))), ...(await import(join(dir, "relations.ts"))) };
        const tables = Object.values(modules).filter((v) => is(v, DrizzleTable));
        const columns = tables.flatMap((t) => {
          const config = getTableConfig(t as never);
          return config.columns.map((c) => `${config.schema ?? "public"}.${config.name}.${c.name}`);
        });
        const keys = tables.flatMap((t) => {
          const config = getTableConfig(t as never);
          return config.foreignKeys.map((fk) => {
            const ref = fk.reference();
            return `${config.name}(${ref.columns.map((c) => c.name).join(",")}) → ${getTableConfig(ref.foreignTable).name}(${ref.foreignColumns.map((c) => c.name).join(",")})`;
          });
        });
        const { tables: relational } = extractTablesRelationalConfig(modules, createTableRelationsHelpers);
        const relations = Object.values(relational).flatMap((t) =>
          Object.values(t.relations)
            .filter((r) => is(r, One) && (r as InstanceType<typeof One>).config)
            .map((r) => {
              const config = (r as InstanceType<typeof One>).config;
              return `${t.dbName}(${config?.fields.map((f) => f.name).join(",")}) → ${r.referencedTableName}`;
            }),
        );
        return { columns: columns.sort(), keys: keys.sort(), relations: relations.sort() };
      };
      const fromPull = await facts(pulled);
      const fromExport = await facts(exported);
      expect(fromPull.columns.filter((c) => !fromExport.columns.includes(c))).toEqual([]);
      expect(fromPull.keys.filter((k) => !fromExport.keys.includes(k))).toEqual([]);
      expect(fromPull.relations.filter((r) => !fromExport.relations.includes(r))).toEqual([]);
      expect(fromPull.relations.length).toBeGreaterThan(5);
    } finally {
      await db.drop();
    }
  });

  it("a program typed against the export compiles (drizzle-orm's query builder and relational queries)", async () => {
    const dir = await workspace("program");
    const files = renderDrizzle(production);
    await writeFile(join(dir, "schema.ts"), files.schema);
    await writeFile(join(dir, "relations.ts"), files.relations);
    await writeFile(
      join(dir, "program.ts"),
      `import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import * as relations from "./relations";
import * as schema from "./schema";

const db = drizzle(process.env.DATABASE_URL ?? "", { schema: { ...schema, ...relations } });
export async function example(): Promise<void> {
  const rows: { id: string; name: string; creditLimit: string | null }[] = await db
    .select({ id: schema.accounts.id, name: schema.accounts.name, creditLimit: schema.accounts.creditLimit })
    .from(schema.accounts)
    .where(eq(schema.accounts.status, "Active"));
  const withChildren = await db.query.accounts.findMany({ with: { contacts: true, locations: true, owner: true } });
  const first: string | undefined = withChildren[0]?.contacts[0]?.email ?? undefined;
  const owner: string | undefined = withChildren[0]?.owner.email;
  await db.insert(schema.workOrders).values({ number: 1, tenantId: "t", accountId: "a", serviceId: "s", summary: "x" });
  // @ts-expect-error: account_id is NOT NULL without a default, so the export's insert type requires it
  await db.insert(schema.workOrders).values({ number: 2, tenantId: "t", serviceId: "s", summary: "x" });
  void rows;
  void first;
  void owner;
}
`,
    );
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          skipLibCheck: true,
          types: [],
        },
        files: ["program.ts"],
      }),
    );
    await run([TSC, "-p", "tsconfig.json"], dir);
  });
});

describe.skipIf(!adminUrl)("one-to-one relationships in the Drizzle export", () => {
  const model = (twice: boolean) =>
    buildModelSchema({
      busm: "1",
      entities: {
        User: { fields: { email: { type: "email", required: true } } },
        Profile: {
          fields: {
            user_id: { type: "uuid", references: "User", required: true, unique: true },
            ...(twice ? { reviewer_id: { type: "uuid", references: "User", unique: true } } : {}),
            bio: { type: "text" },
          },
        },
      },
      relationships: [
        { from: "Profile", to: "User", type: "one-to-one", field: "user_id" },
        ...(twice ? [{ from: "Profile", to: "User", type: "one-to-one" as const, field: "reviewer_id" }] : []),
      ],
    });
  const compile = async (dir: string) => {
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "Bundler",
          skipLibCheck: true,
          types: [],
        },
        files: ["relations.ts"],
      }),
    );
    await run([TSC, "-p", "tsconfig.json"], dir);
  };

  it("passes strict tsc, and a relational query reaches both ends on PostgreSQL 15", async () => {
    const schema = model(false);
    const dir = await workspace("one-to-one");
    const files = renderDrizzle(schema);
    await writeFile(join(dir, "schema.ts"), files.schema);
    await writeFile(join(dir, "relations.ts"), files.relations);
    await compile(dir);
    const db = await database([
      ...renderPostgres(diffSchemas(emptySchema(schema.name), schema).operations),
      "insert into public.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'a@example.com')",
      "insert into public.profiles (user_id, bio) values ('00000000-0000-0000-0000-000000000001', 'hello')",
    ]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const tables = await import(join(dir, "schema.ts"));
      const relations = await import(join(dir, "relations.ts"));
      // Imported at run time, the generated modules are untyped here (tsc above checked them typed).
      const query = drizzle(client, { schema: { ...tables, ...relations } }).query as unknown as Record<
        string,
        { findMany(options: unknown): Promise<Record<string, { email?: string; bio?: string } | string | null>[]> }
      >;
      const users = (await query.users?.findMany({ with: { profile: true } })) ?? [];
      expect(users.map((u) => [u.email, (u.profile as { bio?: string } | null)?.bio])).toEqual([
        ["a@example.com", "hello"],
      ]);
      const profiles = (await query.profiles?.findMany({ with: { user: true } })) ?? [];
      expect(profiles.map((p) => (p.user as { email?: string }).email)).toEqual(["a@example.com"]);
    } finally {
      await client.end();
      await db.drop();
    }
  });

  it("two one-to-ones between the same tables: the unnameable inverse ends are left out, said so, and it compiles", async () => {
    const dir = await workspace("one-to-one-twice");
    const files = renderDrizzle(model(true));
    await writeFile(join(dir, "schema.ts"), files.schema);
    await writeFile(join(dir, "relations.ts"), files.relations);
    expect(files.relations).toMatch(/\/\/ profile\w*: left out — one of several relations with profiles/);
    expect(files.relations).toMatch(/reviewer: one\(users, \{ fields: \[profiles\.reviewerId\]/);
    await compile(dir);
  });
});

const PRISMA_ENGINES = { 6: prismaWasm6, 7: prismaWasm7 } as const;

describe("the Prisma export, checked by Prisma's own schema engines (prisma-schema-wasm of Prisma 7.10 and 6.19)", () => {
  it("is for one release each: Prisma 7 refuses the Prisma 6 file (its datasource url), and Prisma 6 the Prisma 7 file", () => {
    const [, schema] = cases.at(-1) as [string, Schema, string];
    const refuses = (engine: 6 | 7, text: string) => () =>
      PRISMA_ENGINES[engine].validate(JSON.stringify({ prismaSchema: text, noColor: true }));
    expect(refuses(7, renderPrisma(schema, 6))).toThrow(/datasource property `url` is no longer supported/);
    expect(refuses(6, renderPrisma(schema, 7))).toThrow(/Argument \\"url\\" is missing/);
    expect(PRISMA_CONFIG).toMatch(/datasource: \{ url: env\("DATABASE_URL"\) \}/);
  });

  // pgvector is not in Debian's PostgreSQL 15: a vector column is checked here, by the engines alone.
  const vectors = buildModelSchema({
    busm: "1",
    entities: {
      Doc: {
        fields: { embedding: { type: "vector", dimensions: 1536 }, body: { type: "text" } },
        indexes: [{ fields: ["embedding"], method: "hnsw", ops: { embedding: "vector_cosine_ops" } }],
      },
    },
  });
  it.each(
    [...cases, ["a vector column", vectors, ""] as [string, Schema, string]].flatMap(([name, schema]) =>
      ([7, 6] as const).map((v) => [`${name} for Prisma ${v}`, schema, v] as const),
    ),
  )("%s: validates, and its models match the tables field by field", (_name, schema, version) => {
    const engine = PRISMA_ENGINES[version];
    const text = renderPrisma(schema, version);
    expect(() => engine.validate(JSON.stringify({ prismaSchema: text, noColor: true }))).not.toThrow();
    const { datamodel } = JSON.parse(engine.get_dmmf(JSON.stringify({ prismaSchema: text }))) as {
      datamodel: {
        models: {
          dbName: string | null;
          name: string;
          fields: {
            name: string;
            dbName: string | null;
            kind: string;
            isRequired: boolean;
            nativeType: [string, string[]] | null;
            relationName?: string;
            relationFromFields?: string[];
          }[];
          primaryKey: { fields: string[] } | null;
        }[];
        indexes: { model: string; type: string; dbName: string | null }[];
        enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
      };
    };
    expect(
      datamodel.enums.map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) })),
    ).toEqual((schema.enumTypes ?? []).map((e) => ({ name: e.name, values: e.values })));
    const tables = schema.tables.filter((t) => !t.schema || t.schema === schema.name);
    expect(datamodel.models.map((m) => m.dbName ?? m.name).sort()).toEqual(tables.map((t) => t.name).sort());
    for (const t of tables) {
      const model = datamodel.models.find((m) => (m.dbName ?? m.name) === t.name);
      // An enum type's column is a field of its Prisma enum (kind "enum"), holding the database's values.
      const scalars = model?.fields.filter((f) => f.kind === "scalar" || f.kind === "enum") ?? [];
      const fieldOf = (column: string) => scalars.find((f) => (f.dbName ?? f.name) === column);
      // Prisma has no interval: such a column is Unsupported("interval"), which the DMMF leaves out.
      const unsupported = t.columns.filter((c) => ["interval", "tsvector", "vector"].includes(c.type.name));
      for (const c of unsupported)
        expect(text).toMatch(
          new RegExp(`Unsupported\\("[a-z]+(\\(\\d+\\))?"\\).*@map\\("${c.name}"\\)|\\b${c.name} Unsupported`),
        );
      const supported = t.columns.filter((c) => !unsupported.includes(c));
      expect(scalars.map((f) => f.dbName ?? f.name).sort()).toEqual(supported.map((c) => c.name).sort());
      for (const c of supported) {
        // Prisma's lists are never optional (as `prisma db pull` writes a nullable array).
        expect(fieldOf(c.name)?.isRequired, `${t.name}.${c.name}`).toBe(!c.nullable || c.type.array === true);
        const native = fieldOf(c.name)?.nativeType?.[0];
        const expected: Record<string, string | undefined> = {
          uuid: "Uuid",
          varchar: "VarChar",
          char: "Char",
          smallint: "SmallInt",
          numeric: c.type.precision === undefined ? undefined : "Decimal",
          date: "Date",
          time: "Time",
          timestamp: "Timestamp",
          timestamptz: "Timestamptz",
          inet: "Inet",
          citext: "Citext",
        };
        expect(native, `${t.name}.${c.name} (${c.type.name})`).toBe(expected[c.type.name]);
      }
      for (const fk of t.foreignKeys) {
        const relation = model?.fields.find(
          (f) => f.kind === "object" && f.relationFromFields?.length && f.relationName === fk.name,
        );
        expect(
          relation?.relationFromFields?.map((f) => scalars.find((s) => s.name === f)?.dbName ?? f),
          fk.name,
        ).toEqual([...fk.columns]);
      }
      const named = datamodel.indexes.filter((i) => i.model === model?.name).map((i) => i.dbName);
      for (const constraint of [t.primaryKey?.name, ...t.uniques.map((u) => u.name)])
        if (constraint) expect(named, `${t.name}: ${constraint}`).toContain(constraint);
      // What Prisma cannot say (partial, pgvector's methods, a btree's operator class, an Unsupported
      // column) is left to a note; the rest is an index of its own.
      const sayable = (i: Index) =>
        i.where === undefined &&
        i.method !== "hnsw" &&
        i.method !== "ivfflat" &&
        !(i.method === undefined && i.ops) &&
        !i.columns.some((c) => unsupported.some((u) => u.name === c));
      for (const index of t.indexes.filter(sayable)) expect(named, `${t.name}: ${index.name}`).toContain(index.name);
      for (const index of t.indexes.filter((i) => !sayable(i))) expect(text).toContain(index.name);
    }
  });
});
