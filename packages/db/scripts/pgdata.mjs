// Builds dist/pgdata.tar.gz: the data directory of a new PGlite (the pinned version), made once at
// build time, so every new embedded database and every proof starts from it instead of running initdb
// (about 0.45 s in memory instead of 1.1 s; 0.8 s for a new folder instead of 1.6 s).
import { writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";

const db = new PGlite();
await db.waitReady;
const dump = await db.dumpDataDir("gzip");
await writeFile(new URL("../dist/pgdata.tar.gz", import.meta.url), Buffer.from(await dump.arrayBuffer()));
await db.close();
