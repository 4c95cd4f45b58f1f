/**
 * Seed 004's three examples on SQLite, PostgreSQL (PGlite and 15) and MariaDB: users; orders with a
 * foreign key and checks; phone and verified added to users, seen through introspection. Each up
 * then down leaves the database as it was.
 */
import { physicalShape, type Schema } from "@dbgen/schema-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureSqlParser, generateMigration, type MigrationSpec } from "../src/index.js";

beforeAll(() => ensureSqlParser());

import { specEngines } from "./engines.js";

const users = (databaseType: MigrationSpec["databaseType"]): MigrationSpec => ({
  description: "create_users_table",
  databaseType,
  generateTypes: true,
  tables: [
    {
      name: "users",
      description: "Application users",
      columns: [
        { name: "id", type: "TEXT", nullable: false, description: "User ID" },
        { name: "email", type: "TEXT", nullable: false, unique: true, description: "Email address" },
        { name: "name", type: "TEXT", nullable: false, description: "Full name" },
        { name: "age", type: "INTEGER", nullable: true, description: "User age" },
        { name: "created_at", type: "TIMESTAMP", nullable: false, default: "CURRENT_TIMESTAMP" },
      ],
      primaryKey: ["id"],
      indexes: [{ name: "idx_users_email", columns: ["email"], unique: true }],
      checkConstraints: [{ name: "chk_age_positive", expression: "age >= 0 AND age <= 150" }],
    },
  ],
});

const orders = (databaseType: MigrationSpec["databaseType"]): MigrationSpec => ({
  description: "create_orders_table",
  databaseType,
  generateTypes: true,
  tables: [
    {
      name: "orders",
      description: "Customer orders",
      columns: [
        { name: "id", type: "TEXT", nullable: false },
        { name: "user_id", type: "TEXT", nullable: false },
        { name: "total", type: "REAL", nullable: false },
        { name: "status", type: "TEXT", nullable: false },
      ],
      primaryKey: ["id"],
      foreignKeys: [{ columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: "CASCADE" }],
      indexes: [
        { name: "idx_orders_user", columns: ["user_id"], unique: false },
        { name: "idx_orders_status", columns: ["status"], unique: false },
      ],
      checkConstraints: [
        { name: "chk_total_positive", expression: "total >= 0" },
        { name: "chk_status_valid", expression: "status IN ('pending', 'completed', 'cancelled')" },
      ],
    },
  ],
});

const phone = (databaseType: MigrationSpec["databaseType"]): MigrationSpec => ({
  description: "add_phone_to_users",
  databaseType,
  tables: [
    {
      name: "users",
      columns: [
        { name: "phone", type: "TEXT", nullable: true, description: "Phone number" },
        { name: "verified", type: "INTEGER", nullable: false, default: 0, description: "Email verified flag" },
      ],
      indexes: [{ name: "idx_users_phone", columns: ["phone"], unique: false }],
    },
  ],
});

/** What every engine tells back alike: names of columns, nullability, keys; types and expressions are each engine's own. */
const shape = (s: Schema) =>
  physicalShape(s, { columnOrder: "name" }).tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => [c.name, c.nullable]),
    primaryKey: t.primaryKey?.columns,
    foreignKeys: t.foreignKeys.map((f) => [f.columns, f.referencedTable, f.onDelete]),
    uniques: t.uniques.map((u) => u.columns),
    checks: t.checks.map((c) => c.name).sort(),
    indexes: t.indexes.map((i) => [i.name, i.columns, i.unique]),
  }));

describe.each(specEngines())("seed 004's examples on $name", (engine) => {
  it.skipIf(engine.skipReason !== "")(
    "create, create with a foreign key, then ALTER through introspection; each down restores",
    async () => {
      const live = await engine.open();
      try {
        const snapshots: Schema[] = [await live.introspect()];
        const migrations = [];
        for (const spec of [users, orders, phone]) {
          const m = generateMigration(spec(engine.databaseType), {
            existing: await live.introspect(),
            now: Date.UTC(2026, 1, 9, 12),
          });
          expect(m.validation.errors).toEqual([]);
          await live.apply(m.upStatements);
          snapshots.push(await live.introspect());
          migrations.push(m);
        }
        const [first, second, third] = migrations;
        expect(first?.metadata).toMatchObject({
          operationType: "CREATE",
          filename: "20260209120000_create_users_table.sql",
          tablesAffected: ["users"],
        });
        expect(second?.metadata.operationType).toBe("CREATE");
        expect(third?.metadata).toMatchObject({ operationType: "ALTER", tableOperations: { users: "ALTER" } });
        expect(third?.upMigration).not.toMatch(/CREATE TABLE/);
        expect(first?.typeDefinitions).toContain("export interface User {");
        expect(first?.typeDefinitions).toContain("  age?: number | null;");
        expect(first?.file).toMatch(
          /^-- Migration: 20260209120000\n-- Description: create_users_table\n-- Database: \w+\n-- Tables: users\n-- Generated: .+\n-- Operation: CREATE\n\n-- UP MIGRATION\n/,
        );
        const after = shape(snapshots[3] as Schema).find((t) => t.name === "users");
        expect(after?.columns.map(([c]) => c)).toEqual([
          "age",
          "created_at",
          "email",
          "id",
          "name",
          "phone",
          "verified",
        ]);
        expect(after?.indexes.map(([n]) => n)).toContain("idx_users_phone");
        // Down, one by one, to empty.
        for (let i = migrations.length - 1; i >= 0; i--) {
          await live.apply(migrations[i]?.downStatements ?? []);
          expect(shape(await live.introspect())).toEqual(shape(snapshots[i] as Schema));
        }
      } finally {
        await live.close();
      }
    },
  );
});

describe("types seed 004's dialects lack", () => {
  // Seed 004's specs name SQL types from its own list; the model's §2b types (arrays, vectors,
  // full-text, intervals, enum types) have no equivalent in SQLite or MySQL, so a spec cannot use them.
  it.each(["TEXT[]", "VECTOR(3)", "TSVECTOR", "INTERVAL", "INET", "CITEXT"])(
    "refuses %s with TYPE_MISMATCH naming the column: the spec is invalid",
    (type) => {
      const m = generateMigration({
        description: "add_embedding",
        databaseType: "postgresql",
        tables: [
          {
            name: "docs",
            columns: [
              { name: "id", type: "UUID", nullable: false },
              { name: "body", type, nullable: true },
            ],
            primaryKey: ["id"],
          },
        ],
      } as MigrationSpec);
      expect(m.validation.errors).toEqual([
        expect.objectContaining({ code: "TYPE_MISMATCH", table: "docs", column: "body" }),
      ]);
      expect(m.validation.errors[0]?.message).toContain(type);
      // Invalid: `dbgen migrate` writes nothing for it (it refuses with these diagnostics).
      expect(m.validation.valid).toBe(false);
    },
  );
});
