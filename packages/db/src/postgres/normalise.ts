/**
 * Expressions as PostgreSQL prints them. A schema's default expressions, checks and index predicates
 * are what dbgen wrote; the database gives them back its own way (casts, parentheses, `= ANY
 * (ARRAY[…])` for `IN`). To compare the two, the expected side is built in temporary tables on the
 * same database, in a transaction rolled back, and read back: both sides then went through the same
 * printing.
 */
import { type Column, diffSchemas, emptySchema, renderPostgres, type Schema, type Table } from "@dbgen/schema-core";
import type { Knex } from "knex";
import { execRaw, proveStatements, queryRaw } from "../apply.js";
import { introspectPostgres } from "./introspect.js";

const hasExpression = (t: Table): boolean =>
  t.checks.length > 0 ||
  t.indexes.some((i) => i.where !== undefined) ||
  t.columns.some((c) => c.default?.kind === "expression" || c.generated !== undefined);

/** The table as a temporary copy needs it: no foreign keys (they point at tables it does not have). */
const detached = (t: Table): Table =>
  ({ ...t, schema: undefined, foreignKeys: [], policies: [], triggers: [] }) as Table;

function withPrinted(expected: Table, printed: Table | undefined): Table {
  if (!printed) return expected;
  const column = (c: Column): Column => {
    const p = printed.columns.find((x) => x.name === c.name);
    const withDefault = c.default?.kind === "expression" && p?.default ? { ...c, default: p.default } : c;
    return c.generated !== undefined && p?.generated !== undefined
      ? { ...withDefault, generated: p.generated }
      : withDefault;
  };
  return {
    ...expected,
    columns: expected.columns.map(column),
    checks: expected.checks.map((c) => printed.checks.find((x) => x.name === c.name) ?? c),
    indexes: expected.indexes.map((i) => {
      const p = printed.indexes.find((x) => x.name === i.name);
      return i.where !== undefined && p?.where !== undefined ? { ...i, where: p.where } : i;
    }),
  };
}

/** `expected` with its expressions as this database prints them (nothing else changes). */
export async function printedExpressions(knex: Knex, expected: Schema): Promise<Schema> {
  const tables = expected.tables.filter((t) => !t.schema && hasExpression(t)).map(detached);
  if (tables.length === 0) return expected;
  const statements = renderPostgres(
    diffSchemas(emptySchema("pg_temp"), { ...expected, name: "pg_temp", tables }).operations,
    {
      schema: "pg_temp",
    },
  );
  let printed: Schema | undefined;
  await proveStatements(knex, [], {}, async (trx) => {
    for (const statement of statements) await execRaw(trx, statement);
    const { rows } = await queryRaw<{ name: string }>(
      trx,
      "select nspname as name from pg_namespace where oid = pg_my_temp_schema()",
    );
    if (rows[0]) printed = await introspectPostgres(trx as unknown as Knex, rows[0].name);
  });
  return {
    ...expected,
    tables: expected.tables.map((t) =>
      withPrinted(
        t,
        printed?.tables.find((p) => p.name === t.name),
      ),
    ),
  };
}
