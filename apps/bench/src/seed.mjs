// Seed data at scale: 100,000 rows over the example's production schema, generated (median of 3)
// against a floor of writing the same bytes, then loaded into a fresh PGlite holding the schema with
// its triggers (multi-row INSERTs, one transaction). Prints one JSON line.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execScript, openDatabase } from "@dbgen/db";
import { SUPABASE_SHIM_SQL } from "@dbgen/production-hardener";
import { parseSnapshot } from "@dbgen/schema-core";
import { planSeed } from "@dbgen/seed";

const repo = new URL("../../../", import.meta.url).pathname;
const read = (p) => readFileSync(join(repo, p), "utf8");
const production = parseSnapshot(read(".pipeline/database/state/production/schema.json")).schema;
const model = parseSnapshot(read(".pipeline/database/model/schema.json")).schema;
const tables = production.tables.filter((t) => !t.schema).length;
const rows = Math.ceil(100_000 / tables);
const times = [];
let plan;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  plan = planSeed(production, model, { rows, authUsers: true });
  times.push(performance.now() - t);
}
const generate = times.sort((a, b) => a - b)[1];
const file = join(tmpdir(), `dbgen-bench-seed-${process.pid}.sql`);
const w = performance.now();
writeFileSync(file, plan.sql);
const floor = performance.now() - w;
rmSync(file, { force: true });
const db = await openDatabase({ kind: "pglite" });
await db.knex.transaction((trx) => execScript(trx, SUPABASE_SHIM_SQL));
await db.knex.transaction((trx) => execScript(trx, read(".pipeline/database/production/schema.sql")));
const l = performance.now();
await db.knex.transaction((trx) => execScript(trx, plan.sql));
const load = performance.now() - l;
await db.close();
const total = Object.values(plan.counts).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({ rows: total, tables, bytes: plan.sql.length, generate, floor, load }));
