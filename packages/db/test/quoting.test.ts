/**
 * The one quoting function for identifiers matches the server's own quote_ident() for every keyword
 * and for awkward names; the one for literals gives back exactly the text, whatever it holds.
 */
import { PG_KEYWORDS, quoteIdent, quoteLiteral } from "@dbgen/schema-core";
import { afterAll, describe, expect, it } from "vitest";
import { engines } from "./engines.js";

const NAMES = [...PG_KEYWORDS.keys(), "accounts", "Account", "a b", 'a"b', "1abc", "_x", "ñandú", "x$y", "order_id"];
const LITERALS = [
  "plain",
  "it's",
  "''",
  "back\\slash",
  "\\'; drop table x; --",
  "?",
  "$1",
  "$$ dollar $$",
  "émoji 🚀",
  "line\nbreak",
  "tab\t",
  "%s %d",
];

describe.each(engines())("quoting on $name", (engine) => {
  afterAll(() => engine.dispose());
  it.skipIf(engine.skipReason !== "")(
    "quoteIdent equals quote_ident() for every keyword and awkward names",
    async () => {
      const box = await engine.sandbox();
      try {
        const { rows } = await box.db.knex.raw<{ rows: { name: string; quoted: string }[] }>(
          "select n as name, quote_ident(n) as quoted from unnest(?::text[]) as n",
          [NAMES],
        );
        expect(rows.length).toBe(NAMES.length);
        for (const row of rows) expect(quoteIdent(row.name), row.name).toBe(row.quoted);
      } finally {
        await box.close();
      }
    },
  );
  it.skipIf(engine.skipReason !== "")("quoteLiteral round-trips any text", async () => {
    const box = await engine.sandbox();
    try {
      const sql = `select ${LITERALS.map((l, i) => `${quoteLiteral(l)} as c${i}`).join(", ")}`;
      // Straight to the driver: knex.raw would take the `?` for a parameter.
      const client = box.db.knex.client as {
        acquireConnection(): Promise<{ query(s: string): Promise<{ rows: Record<string, string>[] }> }>;
        releaseConnection(c: unknown): Promise<void>;
      };
      const connection = await client.acquireConnection();
      try {
        const { rows } = await connection.query(sql);
        expect(Object.values(rows[0] ?? {})).toEqual(LITERALS);
      } finally {
        await client.releaseConnection(connection);
      }
    } finally {
      await box.close();
    }
  });
});
