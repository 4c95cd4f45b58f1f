// Writes the hostile-input corpus: node tooling/hostile/make.mjs. Each file is one input that dbgen
// must refuse with exit 1 and a coded error naming the place (busm/*.json, modules/*.yaml), or must
// accept (valid/*.json). The files are committed; this script documents how they were made.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
for (const d of ["busm", "modules", "valid", "specs"]) {
  rmSync(`${here}${d}`, { recursive: true, force: true });
  mkdirSync(`${here}${d}`, { recursive: true });
}
const ok = (fields, extra = {}) =>
  JSON.stringify(
    { busm: "1", entities: { Account: { access: { mode: "authenticated" }, fields, ...extra } } },
    null,
    2,
  );
const busm = {
  // Malformed JSON
  "truncated.json": '{ "busm": "1", "entities": { "Account": { "fields": {',
  "trailing-comma.json": '{ "busm": "1", "entities": { "A": { "fields": {} }, }, }',
  "comments.json": '{\n  // a comment\n  "busm": "1", "entities": {}\n}',
  "single-quotes.json": "{ 'busm': '1' }",
  "nan.json": '{ "busm": "1", "entities": { "A": { "fields": { "x": { "type": "integer", "default": NaN } } } } }',
  "bare-word.json": "{ busm: 1 }",
  "empty.json": "",
  "whitespace-only.json": "   \n\t  \n",
  "binary-garbage.json": "\u0000\u0001\u0002\uFFFD\u0007PK\u0003\u0004",
  "unterminated-string.json": '{ "busm": "1, "entities": {} }',
  "raw-newline-in-string.json": '{ "busm": "1", "name": "two\nlines", "entities": {} }',
  // A name is a title in every file header: a line break in it would start a statement there
  "name-line-break-statement.json": JSON.stringify({
    busm: "1",
    name: "Demo\nDROP TABLE accounts; --",
    entities: { Account: { access: { mode: "authenticated" }, fields: { id: { type: "uuid", primaryKey: true } } } },
  }),
  "name-carriage-return.json": JSON.stringify({
    busm: "1",
    name: "Demo\rDROP TABLE accounts; --",
    entities: { Account: { access: { mode: "authenticated" }, fields: { id: { type: "uuid", primaryKey: true } } } },
  }),
  "array-root.json": "[]",
  "string-root.json": '"busm"',
  // Wrong types
  "busm-version-number.json": '{ "busm": 1, "entities": { "A": { "fields": {} } } }',
  "busm-version-2.json": '{ "busm": "2", "entities": { "A": { "fields": {} } } }',
  "entities-array.json": '{ "busm": "1", "entities": [] }',
  "fields-string.json": '{ "busm": "1", "entities": { "A": { "fields": "id, name" } } }',
  "type-number.json": ok({ name: { type: 5 } }),
  "required-string.json": ok({ name: { type: "string", required: "yes" } }),
  "maxlength-negative.json": ok({ name: { type: "string", maxLength: -1 } }),
  "precision-string.json": ok({ amount: { type: "decimal", precision: "12" } }),
  "values-string.json": ok({ status: { type: "enum", values: "A,B" } }),
  "references-number.json": ok({ owner_id: { type: "uuid", references: 7 } }),
  "relationships-object.json": '{ "busm": "1", "entities": { "A": { "fields": {} } }, "relationships": {} }',
  "unknown-option.json": ok({ name: { type: "string", lenght: 3 } }),
  "unknown-type.json": ok({ name: { type: "varchar(255)" } }),
  "access-mode-unknown.json": JSON.stringify({
    busm: "1",
    entities: { A: { fields: {}, access: { mode: "everyone" } } },
  }),
  // Huge
  "huge-name.json": JSON.stringify({
    busm: "1",
    entities: { [`A${"b".repeat(1_000_000)}`]: { fields: { "bad name": { type: "string" } } } },
  }),
  "huge-with-error-at-end.json": `${JSON.stringify({ busm: "1", entities: Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`E${i}`, { fields: { name: { type: "string" } } }])) }).slice(0, -1)},`,
  // Deep nesting
  "deep-arrays.json": `{ "busm": "1", "entities": { "A": { "fields": { "x": { "type": "json", "default": ${"[".repeat(100_000)}${"]".repeat(100_000)} } } } } }`,
  "deep-objects.json": `{ "busm": "1", "x": ${'{"a":'.repeat(5000)}1${"}".repeat(5000)}, "entities": {} }`,
  // Unicode and control characters in names
  "entity-accented.json": '{ "busm": "1", "entities": { "Açcount": { "fields": {} } } }',
  "field-nul.json": ok({ "na\u0000me": { type: "string" } }),
  "field-fullwidth.json": ok({ ｎａｍｅ: { type: "string" } }),
  "field-rtl-override.json": ok({ "name\u202Eexe": { type: "string" } }),
  "field-zero-width.json": ok({ "na\u200Bme": { type: "string" } }),
  "entity-emoji.json": '{ "busm": "1", "entities": { "Account🚀": { "fields": {} } } }',
  // Crafted for SQL injection
  "entity-injection.json": '{ "busm": "1", "entities": { "Account\\"; DROP TABLE users; --": { "fields": {} } } }',
  "table-injection.json": ok({ name: { type: "string" } }, { table: "accounts; DROP TABLE users" }),
  "field-injection.json": ok({ "name) ; DROP TABLE users; --": { type: "string" } }),
  "default-sql-injection.json": ok({ created: { type: "datetime", default: { sql: "now()); DROP TABLE users; --" } } }),
  "default-sql-two-statements.json": ok({
    created: { type: "datetime", default: { sql: "now(); DELETE FROM accounts" } },
  }),
  "default-sql-subselect-from.json": ok({
    created: { type: "text", default: { sql: "(SELECT string_agg(usename, ',') FROM pg_user)" } },
  }),
  "index-where-injection.json": ok(
    { name: { type: "string" } },
    { indexes: [{ fields: ["name"], where: "true; DROP TABLE users" }] },
  ),
  "pattern-invalid-regex.json": ok({ code: { type: "string", pattern: "[A-Z" } }),
  // The production-safety payloads: SQL that is not a contained expression, a model that defeats hardening
  "default-sql-query-to-xml.json": ok({
    leak: {
      type: "text",
      default: { sql: "(query_to_xml('select rolname, rolpassword from pg_authid', true, true, ''))::text" },
    },
  }),
  "default-sql-read-file.json": ok({ leak: { type: "text", default: { sql: "pg_read_file('/etc/passwd')" } } }),
  "default-sql-comment.json": ok({ n: { type: "integer", required: true, default: { sql: "1 --" } } }),
  "default-sql-current-setting.json": ok({ n: { type: "text", default: { sql: "current_setting('app.secret')" } } }),
  "default-wrong-type.json": ok({ n: { type: "integer", default: "abc" } }),
  "system-column-version-string.json": ok({ version: { type: "string" } }),
  "system-column-deleted-at-boolean.json": ok({ deleted_at: { type: "boolean" } }),
  "owner-column-email.json": JSON.stringify({
    busm: "1",
    entities: {
      A: { fields: { owner: { type: "email", required: true } }, access: { mode: "owner", column: "owner" } },
    },
  }),
  "owner-column-of-owned-entity.json": JSON.stringify({
    busm: "1",
    entities: {
      Account: {
        fields: { owner_id: { type: "uuid", required: true } },
        access: { mode: "owner", column: "owner_id" },
      },
      Location: {
        fields: { account_id: { type: "uuid", references: "Account", required: true } },
        access: { mode: "owner", column: "account_id" },
      },
    },
  }),
  "parent-via-plain-field.json": JSON.stringify({
    busm: "1",
    entities: { A: { fields: { b_id: { type: "uuid" } }, access: { mode: "parent", via: "b_id" } } },
  }),
  "parent-circle.json": JSON.stringify({
    busm: "1",
    entities: {
      A: { fields: { b_id: { type: "uuid", references: "B" } }, access: { mode: "parent", via: "b_id" } },
      B: { fields: { a_id: { type: "uuid", references: "A" } }, access: { mode: "parent", via: "a_id" } },
    },
  }),
  "pattern-js-unicode-class.json": ok({ code: { type: "string", pattern: "^\\p{Lu}+$" } }),
  "pattern-js-named-group.json": ok({ code: { type: "string", pattern: "^(?<area>[0-9]{3})$" } }),
  "index-where-function.json": ok(
    { name: { type: "string" } },
    { indexes: [{ fields: ["name"], where: "pg_read_file('x') IS NOT NULL" }] },
  ),
  "enum-name-injection.json": JSON.stringify({
    busm: "1",
    enums: { "Kind'); DROP TABLE x; --": ["a"] },
    entities: { A: { fields: {} } },
  }),
  // Duplicate keys
  "duplicate-entity.json": '{ "busm": "1", "entities": { "A": { "fields": {} }, "A": { "fields": {} } } }',
  "duplicate-field.json":
    '{ "busm": "1", "entities": { "A": { "fields": { "x": { "type": "text" }, "x": { "type": "text" } } } } }',
  "duplicate-option.json":
    '{ "busm": "1", "entities": { "A": { "fields": { "x": { "type": "text", "type": "integer" } } } } }',
  "duplicate-top-level.json": '{ "busm": "1", "busm": "1", "entities": { "A": { "fields": {} } } }',
  // References to nothing
  "reference-missing-entity.json": ok({ owner_id: { type: "uuid", references: "Nobody" } }),
  "reference-missing-field.json": ok({ parent_id: { type: "uuid", references: "Account.nope" } }),
  "relationship-missing-entity.json": JSON.stringify({
    busm: "1",
    entities: { A: { fields: {} } },
    relationships: [{ from: "A", to: "Ghost", type: "many-to-one", field: "ghost_id" }],
  }),
  "unique-missing-field.json": ok({ name: { type: "string" } }, { unique: [["name", "nope"]] }),
  "access-missing-column.json": JSON.stringify({
    busm: "1",
    entities: { A: { fields: {}, access: { mode: "owner", column: "owner_id" } } },
  }),
  "shared-enum-missing.json": ok({ kind: { type: "enum", enum: "Nope" } }),
  // Empty models
  "empty-object.json": "{}",
  "no-entities.json": '{ "busm": "1" }',
  "zero-entities.json": '{ "busm": "1", "entities": {} }',
  "two-entities-one-table.json": JSON.stringify({
    busm: "1",
    entities: { A: { table: "things", fields: {} }, B: { table: "things", fields: {} } },
  }),
};
const modules = {
  "malformed.yaml": "module: hostile\nphase: 1\nentities: [Account\n",
  "tabs.yaml": "module: hostile\nphase: 1\nentities:\n\t- Account\n",
  "duplicate-key.yaml": "module: hostile\nphase: 1\nentities: [Account]\nphase: 2\n",
  "alias-bomb.yaml": `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nmodule: hostile\nphase: 1\nentities: [Account]\n`,
  "phase-string.yaml": "module: hostile\nphase: one\nentities: [Account]\n",
  "entities-string.yaml": "module: hostile\nphase: 1\nentities: Account\n",
  "empty-module.yaml": "module: hostile\nphase: 1\nentities: []\n",
  "empty-file.yaml": "",
  "name-mismatch.yaml": "module: other\nphase: 1\nentities: [Account]\n",
  "phase-mismatch.yaml": "module: hostile\nphase: 2\nentities: [Account]\n",
  "unknown-field-no-type.yaml": "module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Account: [id, nickname]\n",
  "unknown-type.yaml":
    "module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Account: [id, { nickname: varchar }]\n",
  "field-injection.yaml":
    "module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Account: [id, 'name\"; DROP TABLE accounts; --']\n",
  "relationship-to-missing.yaml":
    "module: hostile\nphase: 1\nentities: [Account]\nrelationships:\n  - { from: Account, to: Ghost, type: many-to-one, field: ghost_id }\n",
  "fields-for-unlisted.yaml": "module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Contact: [id]\n",
  "duplicate-field.yaml": "module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Account: [id, name, name]\n",
  "unknown-key.yaml": "module: hostile\nphase: 1\nentities: [Account]\ndrop: everything\n",
  "deep-flow.yaml": `module: hostile\nphase: 1\nentities: [Account]\nfields:\n  Account: ${"[".repeat(20000)}${"]".repeat(20000)}\n`,
};
const valid = {
  // jsonb prints a default its own way ({"theme": "dark"}): compared by value, not text
  "json-default-object.json": JSON.stringify({
    busm: "1",
    entities: {
      Pref: {
        access: { mode: "authenticated" },
        fields: {
          id: { type: "uuid", primaryKey: true },
          settings: { type: "json", default: '{"theme":"dark","a":{"z":1,"b":[2,{"y":3,"c":4}]}}' },
          empty: { type: "json", default: "[]" },
        },
      },
    },
  }),
  "names-share-63-bytes.json": JSON.stringify({
    busm: "1",
    entities: {
      Long: {
        access: { mode: "authenticated" },
        table: `t_${"x".repeat(61)}_one`,
        fields: {
          [`c_${"y".repeat(61)}_first`]: { type: "string" },
          [`c_${"y".repeat(61)}_second`]: { type: "string" },
        },
      },
      Other: { access: { mode: "authenticated" }, table: `t_${"x".repeat(61)}_two`, fields: {} },
    },
  }),
  "quotes-everywhere.json": JSON.stringify({
    busm: "1",
    description: 'It\'s "quoted" — \\ back; -- not a comment /* nor this */',
    enums: { Mood: ["It's", 'say "hi"', "back\\slash", "semi;colon", "$$dollar$$", "-- dash", "?", "%s"] },
    entities: {
      Note: {
        access: { mode: "authenticated" },
        description: "Robert'); DROP TABLE students;--",
        fields: {
          mood: { type: "enum", enum: "Mood", default: 'say "hi"' },
          body: { type: "text", default: "O'Reilly; DROP TABLE x; --", description: "'; --" },
        },
      },
    },
  }),
  "reserved-words.json": JSON.stringify({
    busm: "1",
    entities: {
      Order: {
        access: { mode: "authenticated" },
        table: "order",
        fields: {
          user: { type: "string" },
          group: { type: "integer" },
          select: { type: "boolean" },
          table: { type: "text" },
          from: { type: "date" },
        },
      },
      Group: {
        access: { mode: "authenticated" },
        table: "group",
        fields: { order_id: { type: "uuid", references: "Order" } },
      },
    },
  }),
};
// Seed 004 specs (`dbgen migrate`): refused as data, INVALID_CONFIG naming the place
const specTable = { name: "users", columns: [{ name: "id", type: "INTEGER", nullable: false }], primaryKey: ["id"] };
const specs = {
  "description-line-break.json": JSON.stringify({
    description: "add users\nDROP TABLE accounts; --",
    databaseType: "postgresql",
    tables: [specTable],
  }),
  "description-number.json": JSON.stringify({ description: 7, databaseType: "sqlite", tables: [specTable] }),
  "description-missing.json": JSON.stringify({ databaseType: "sqlite", tables: [specTable] }),
  "tables-object.json": JSON.stringify({ description: "x", databaseType: "sqlite", tables: { users: specTable } }),
  "column-type-number.json": JSON.stringify({
    description: "x",
    databaseType: "sqlite",
    tables: [{ name: "users", columns: [{ name: "id", type: 4 }] }],
  }),
  "nullable-string.json": JSON.stringify({
    description: "x",
    databaseType: "sqlite",
    tables: [{ name: "users", columns: [{ name: "id", type: "INTEGER", nullable: "no" }] }],
  }),
  "database-type-unknown.json": JSON.stringify({ description: "x", databaseType: "oracle", tables: [specTable] }),
  "existing-db-line-break.json": JSON.stringify({
    description: "x",
    databaseType: "sqlite",
    existingDbPath: "a.db\nDROP TABLE accounts; --",
    tables: [specTable],
  }),
  "root-array.json": "[]",
};
for (const [name, text] of Object.entries(specs)) writeFileSync(`${here}specs/${name}`, text);
for (const [name, text] of Object.entries(busm)) writeFileSync(`${here}busm/${name}`, text);
for (const [name, text] of Object.entries(modules)) writeFileSync(`${here}modules/${name}`, text);
for (const [name, text] of Object.entries(valid)) writeFileSync(`${here}valid/${name}`, text);
console.log(
  `${Object.keys(busm).length} BUSM, ${Object.keys(modules).length} module files refused; ${Object.keys(valid).length} accepted`,
);
