// Seed 004's performance targets: a 10-table migration (< 500 ms) and introspecting 100 tables (< 1 s),
// on SQLite (sql.js) in-process. Prints one JSON line.
import { applySqlite, introspectSqlite, openSqlite } from "@dbgen/db";
import { generateMigration } from "@dbgen/spec-migrations";

const RUNS = 9;
const tables = (n) =>
  Array.from({ length: n }, (_, i) => ({
    name: `table_${i}`,
    columns: [
      { name: "id", type: "TEXT", nullable: false },
      { name: "name", type: "VARCHAR(120)", nullable: false },
      { name: "amount", type: "DECIMAL(12,2)", nullable: true },
      { name: "active", type: "BOOLEAN", nullable: false, default: true },
      { name: "created_at", type: "TIMESTAMP", nullable: false, default: "CURRENT_TIMESTAMP" },
      ...(i > 0 ? [{ name: "parent_id", type: "TEXT", nullable: true }] : []),
    ],
    primaryKey: ["id"],
    ...(i > 0
      ? { foreignKeys: [{ columns: ["parent_id"], referencedTable: `table_${i - 1}`, referencedColumns: ["id"] }] }
      : {}),
    indexes: [{ name: `idx_table_${i}_name`, columns: ["name"], unique: false }],
  }));
const median = (fn) => {
  const t = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
};
const ten = { description: "ten", databaseType: "sqlite", tables: tables(10) };
const generate10 = median(() => generateMigration(ten, { now: 0 }));
const db = await openSqlite();
applySqlite(
  db,
  generateMigration({ description: "hundred", databaseType: "sqlite", tables: tables(100) }, { now: 0 }).upStatements,
);
const introspect100 = median(() => introspectSqlite(db));
db.close();
process.stdout.write(`${JSON.stringify({ generate10, introspect100 })}\n`);
