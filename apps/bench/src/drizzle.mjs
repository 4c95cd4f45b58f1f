// Emits a drizzle-orm schema module (pg-core) from a dbgen schema IR, so drizzle-kit can be measured
// on exactly the schema dbgen generates.
const BUILDERS = {
  uuid: (c) => `uuid(${JSON.stringify(c.name)})`,
  varchar: (c) => `varchar(${JSON.stringify(c.name)}${c.type.length ? `, { length: ${c.type.length} }` : ""})`,
  text: (c) => `text(${JSON.stringify(c.name)})`,
  integer: (c) => `integer(${JSON.stringify(c.name)})`,
  bigint: (c) => `bigint(${JSON.stringify(c.name)}, { mode: "number" })`,
  numeric: (c) =>
    `numeric(${JSON.stringify(c.name)}${c.type.precision ? `, { precision: ${c.type.precision}, scale: ${c.type.scale ?? 0} }` : ""})`,
  boolean: (c) => `boolean(${JSON.stringify(c.name)})`,
  date: (c) => `date(${JSON.stringify(c.name)})`,
  time: (c) => `time(${JSON.stringify(c.name)})`,
  timestamptz: (c) => `timestamp(${JSON.stringify(c.name)}, { withTimezone: true })`,
  jsonb: (c) => `jsonb(${JSON.stringify(c.name)})`,
};
const v = (table) => `t_${table}`;

export function drizzleSchemaModule(schema) {
  const lines = [
    'import { pgTable, uuid, varchar, text, integer, bigint, numeric, boolean, date, time, timestamp, jsonb, index } from "drizzle-orm/pg-core";',
    "",
  ];
  for (const t of schema.tables) {
    const cols = t.columns.map((c) => {
      let expr = (BUILDERS[c.type.name] ?? BUILDERS.text)(c);
      if (t.primaryKey?.columns.length === 1 && t.primaryKey.columns[0] === c.name) expr += ".primaryKey()";
      if (c.default?.kind === "expression" && c.default.sql === "gen_random_uuid()") expr += ".defaultRandom()";
      if (!c.nullable && !t.primaryKey?.columns.includes(c.name)) expr += ".notNull()";
      const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
      if (fk) expr += `.references(() => ${v(fk.referencedTable)}.${fk.referencedColumns[0]})`;
      return `  ${c.name}: ${expr},`;
    });
    const indexes = t.indexes.map(
      (i) => `index(${JSON.stringify(i.name)}).on(${i.columns.map((c) => `t.${c}`).join(", ")})`,
    );
    lines.push(
      `export const ${v(t.name)} = pgTable(${JSON.stringify(t.name)}, {`,
      ...cols,
      `}, (t) => [${indexes.join(", ")}]);`,
      "",
    );
  }
  return lines.join("\n");
}
