/**
 * The data directory shipped in dist/pgdata.tar.gz (scripts/pgdata.mjs) against a database PGlite
 * makes itself with initdb: a new embedded database made from the template must be the same database
 * dbgen would otherwise get — same catalogs, roles and settings in `template1`, the one PGlite opens —
 * only without the two databases dbgen never opens.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, truncate, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { createTar } from "nanotar";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/index.js";
import { unpackTemplate } from "../src/template.js";

const TEMPLATE = new URL("../dist/pgdata.tar.gz", import.meta.url);

/** What a database holds that dbgen's work depends on, as rows that compare across two databases. */
const FINGERPRINT = [
  "select current_database() as db",
  "select array_agg(datname::text order by datname) as databases from pg_database",
  "select array_agg(rolname::text order by rolname) as roles from pg_roles",
  "select array_agg(extname::text order by extname) as extensions from pg_extension",
  "select array_agg(nspname::text order by nspname) as schemas from pg_namespace",
  "select count(*)::int as relations from pg_class",
  "select count(*)::int as functions from pg_proc",
  "select array_agg(name || '=' || setting order by name) as settings from pg_settings where source = 'configuration file'",
];

async function fingerprint(db: PGlite): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const sql of FINGERPRINT) Object.assign(out, (await db.query<Record<string, unknown>>(sql)).rows[0]);
  return out;
}

describe("the pre-initialised data directory", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("gives the database initdb gives, less the postgres and template0 databases PGlite never opens", async () => {
    const template = await readFile(TEMPLATE);
    const fromTemplate = new PGlite({ loadDataDir: new Blob([template]) });
    const fromInitdb = new PGlite();
    const [made, initdb] = [await fingerprint(fromTemplate), await fingerprint(fromInitdb)];
    await Promise.all([fromTemplate.close(), fromInitdb.close()]);
    expect(made.db).toBe("template1");
    expect(made.databases).toEqual(["template1"]);
    expect(initdb.databases).toEqual(["postgres", "template0", "template1"]);
    expect({ ...made, databases: undefined }).toEqual({ ...initdb, databases: undefined });
  });

  it("makes a new embedded folder that holds only template1, which the next process opens as it was", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-pgdata-"));
    dirs.push(dir);
    const first = await openDatabase({ kind: "pglite", dataDir: dir });
    await first.knex.raw("create table kept (id int primary key)");
    await first.knex.raw("insert into kept values (1)");
    await first.close();
    expect((await readdir(join(dir, "base"))).sort()).toEqual(["1"]);
    const again = await openDatabase({ kind: "pglite", dataDir: dir });
    const { rows } = await again.knex.raw<{ rows: { id: number }[] }>("select id from kept");
    await again.close();
    expect(rows).toEqual([{ id: 1 }]);
  });

  it("unpacks again over what a killed unpack left (files, no PG_VERSION), and the database opens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-pgdata-"));
    dirs.push(dir);
    unpackTemplate(await readFile(TEMPLATE), dir);
    await unlink(join(dir, "PG_VERSION"));
    await truncate(join(dir, "global", "pg_control"), 0);
    const db = await openDatabase({ kind: "pglite", dataDir: dir });
    await db.knex.raw("create table t (id int)");
    const { rows } = await db.knex.raw<{ rows: { n: number }[] }>("select count(*)::int as n from t");
    await db.close();
    expect(rows).toEqual([{ n: 0 }]);
    expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
  });

  it("keeps a template's entries inside the data directory, whatever they are named", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-pgdata-"));
    dirs.push(dir);
    const hostile = gzipSync(
      createTar([
        { name: "../../escaped", data: "x" },
        { name: "/absolute", data: "y" },
      ]),
    );
    unpackTemplate(hostile, join(dir, "data"));
    expect(existsSync(join(dir, "escaped"))).toBe(false);
    expect((await readdir(join(dir, "data"))).sort()).toEqual(["absolute", "escaped"]);
  });
});
