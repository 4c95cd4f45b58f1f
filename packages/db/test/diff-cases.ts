/**
 * Diff cases as pairs of small BUSM models: each says what it proves. The same cases are golden
 * fixtures (expected SQL in test/golden/) and run on real databases.
 */
import type { BusmModel } from "@dbgen/busm-reader";

export interface DiffCase {
  readonly name: string;
  readonly from: BusmModel;
  readonly to: BusmModel;
  /** Expected hazards: at least these kinds appear (or none at all, for `[]`). */
  readonly hazards: readonly ("destructive" | "data-dependent")[];
  /** pgvector, which Debian's PostgreSQL 15 lacks: the case runs on PGlite only. */
  readonly needsPgvector?: boolean;
}

const model = (entities: BusmModel["entities"], relationships: BusmModel["relationships"] = []): BusmModel => ({
  busm: "1",
  entities,
  relationships,
});
const EMPTY = model({});
const long70 = `a_${"x".repeat(66)}_z`; // 70 bytes
const same63a = `${"s".repeat(63)}_first`;
const same63b = `${"s".repeat(63)}_second`;

const account = {
  fields: {
    name: { type: "string", maxLength: 100, required: true },
    email: { type: "email" },
  },
} as const;

/** Every column type beyond the first fifteen, required and optional, with a literal default each. */
const sample = {
  fields: {
    small: { type: "smallint", required: true, default: 3 },
    ratio: { type: "double", default: 0.5 },
    seen_at: { type: "timestamp", required: true },
    lasts: { type: "interval", default: "1 day" },
    address: { type: "inet" },
    payload: { type: "bytea" },
  },
} as const;

/** A film-rental pair: identity keys, a composite key, a check and ON UPDATE CASCADE. */
const film = {
  fields: {
    film_id: { type: "integer", primaryKey: true, identity: true },
    title: { type: "string", required: true },
    release_year: { type: "smallint" },
  },
  checks: [{ name: "film_release_year_check", sql: "release_year >= 1901 AND release_year <= 2155" }],
} as const;
const filmActor = {
  primaryKey: ["actor_id", "film_id"],
  fields: {
    actor_id: { type: "bigint" },
    film_id: { type: "integer", references: "Film", onUpdate: "cascade", onDelete: "cascade" },
  },
} as const;

/** Shared enums as PostgreSQL enum types: a column with a default and an array of another type. */
const RATINGS = ["G", "PG", "R"];
const typed = (ratings: readonly string[], fallback = "G"): BusmModel => ({
  ...model({
    Film: {
      fields: {
        title: { type: "text", required: true },
        rating: { type: "enum", enum: "MpaaRating", required: true, default: fallback },
        moods: { type: "enum", enum: "Mood", array: true },
      },
    },
  }),
  enums: { MpaaRating: ratings, Mood: ["calm", "tense"] },
  options: { enums: "type" },
});

/** Arrays (of text, an enum, integers), a case-insensitive text and a full-text document. */
const doc = {
  fields: {
    title: { type: "citext", required: true },
    tags: { type: "string", maxLength: 20, array: true, required: true, default: "{}" },
    moods: { type: "enum", values: ["calm", "tense"], array: true },
    scores: { type: "integer", array: true },
    search: { type: "tsvector" },
  },
} as const;

/** A full-text document generated from two fields. */
const article = (sql: string) => ({
  fields: {
    title: { type: "string", required: true },
    body: { type: "text" },
    search: { type: "tsvector", generated: { sql } },
  },
});
const ENGLISH =
  "to_tsvector('english'::regconfig, (((COALESCE(title, ''::character varying))::text || ' '::text) || COALESCE(body, ''::text)))";
const SIMPLE = "to_tsvector('simple'::regconfig, COALESCE(body, ''::text))";

export const DIFF_CASES: readonly DiffCase[] = [
  { name: "generated-column", from: EMPTY, to: model({ Article: article(ENGLISH) }), hazards: [] },
  {
    name: "generated-column-changed",
    from: model({ Article: article(ENGLISH) }),
    to: model({ Article: article(SIMPLE) }),
    hazards: [],
  },
  { name: "extension-types", from: EMPTY, to: model({ Doc: doc }), hazards: [] },
  {
    name: "array-widened-and-added",
    from: model({ Doc: doc }),
    to: model({
      Doc: {
        fields: {
          ...doc.fields,
          tags: { type: "text", array: true, required: true, default: "{}" },
          aliases: { type: "citext", array: true },
        },
      },
    }),
    hazards: [],
  },
  {
    name: "vector-column",
    from: model({ Doc: doc }),
    to: model({ Doc: { fields: { ...doc.fields, embedding: { type: "vector", dimensions: 3 } } } }),
    hazards: [],
    needsPgvector: true,
  },
  {
    name: "index-methods",
    from: model({ Doc: doc }),
    to: model({
      Doc: {
        fields: { ...doc.fields, body: { type: "text" }, seen_at: { type: "timestamp" } },
        indexes: [
          { fields: ["search"], method: "gin" },
          { fields: ["tags"], method: "gin" },
          { fields: ["body"], method: "gin", ops: { body: "gin_trgm_ops" } },
          { fields: ["scores", "seen_at"], order: { seen_at: "desc" } },
          { fields: ["seen_at"], method: "brin" },
        ],
      },
    }),
    hazards: [],
  },
  {
    name: "vector-indexes",
    from: model({ Doc: { fields: { ...doc.fields, embedding: { type: "vector", dimensions: 3 } } } }),
    to: model({
      Doc: {
        fields: { ...doc.fields, embedding: { type: "vector", dimensions: 3 } },
        indexes: [
          { fields: ["embedding"], method: "hnsw", ops: { embedding: "vector_cosine_ops" } },
          { fields: ["embedding"], method: "ivfflat", ops: { embedding: "vector_l2_ops" } },
        ],
      },
    }),
    hazards: [],
    needsPgvector: true,
  },
  { name: "enum-types", from: EMPTY, to: typed(RATINGS), hazards: [] },
  { name: "enum-type-values-added", from: typed(RATINGS), to: typed(["G", "PG", "PG-13", "R", "NC-17"]), hazards: [] },
  { name: "enum-type-value-renamed", from: typed(RATINGS), to: typed(["G", "PG", "Restricted"]), hazards: [] },
  { name: "enum-type-value-removed", from: typed(RATINGS), to: typed(["G", "R"]), hazards: ["data-dependent"] },
  {
    name: "enum-type-value-added-and-defaulted",
    from: typed(RATINGS),
    to: typed(["X", ...RATINGS], "X"),
    hazards: [],
  },
  {
    name: "enum-checked-to-type",
    from: { ...typed(RATINGS), options: { enums: "check" } },
    to: typed(RATINGS),
    hazards: ["destructive"],
  },
  { name: "table-features", from: EMPTY, to: model({ Film: film, FilmActor: filmActor }), hazards: [] },
  {
    name: "identity-added",
    from: model({ Counter: { fields: { n: { type: "bigint", primaryKey: true }, label: { type: "text" } } } }),
    to: model({
      Counter: { fields: { n: { type: "bigint", primaryKey: true, identity: true }, label: { type: "text" } } },
    }),
    hazards: [],
  },
  { name: "new-table", from: EMPTY, to: model({ Account: account }), hazards: [] },
  { name: "new-types", from: EMPTY, to: model({ Sample: sample }), hazards: [] },
  {
    name: "new-types-widened",
    from: model({ Sample: sample }),
    to: model({
      Sample: { fields: { ...sample.fields, small: { type: "integer", required: true, default: 3 } } },
    }),
    hazards: [],
  },
  {
    name: "added-columns",
    from: model({ Account: account }),
    to: model({
      Account: {
        fields: {
          ...account.fields,
          status: { type: "enum", values: ["Active", "It's done"], required: true, default: "Active" },
          credit: { type: "decimal", precision: 12, scale: 2, default: 0 },
          notes: { type: "text", description: "Free text; 'quoted' and \"double\"" },
        },
      },
    }),
    hazards: [],
  },
  {
    name: "varchar-widening",
    from: model({ Account: account }),
    to: model({
      Account: {
        fields: {
          ...account.fields,
          name: { type: "string", maxLength: 200, required: true },
          email: { type: "text" },
        },
      },
    }),
    hazards: [],
  },
  {
    name: "rename-via-renamedFrom",
    from: model({ Account: account }),
    to: model({
      Account: {
        fields: {
          display_name: { type: "string", maxLength: 100, required: true, renamedFrom: "name" },
          email: { type: "email" },
        },
      },
    }),
    hazards: [],
  },
  {
    name: "dropped-column",
    from: model({ Account: account }),
    to: model({ Account: { fields: { name: account.fields.name } } }),
    hazards: ["destructive"],
  },
  {
    name: "fk-cycle",
    from: EMPTY,
    to: model({
      Account: { fields: { name: { type: "string" }, primary_location_id: { type: "uuid", references: "Location" } } },
      Location: {
        fields: {
          address: { type: "text" },
          account_id: { type: "uuid", references: "Account", required: true, onDelete: "cascade" },
        },
      },
    }),
    hazards: [],
  },
  {
    name: "self-reference",
    from: model({ Account: account }),
    to: model({
      Account: {
        fields: { ...account.fields, parent_account_id: { type: "uuid", references: "Account", onDelete: "set null" } },
      },
    }),
    hazards: ["data-dependent"],
  },
  {
    name: "reserved-words",
    from: EMPTY,
    to: model({
      Order: {
        table: "order",
        fields: {
          user: { type: "string", required: true },
          group: { type: "integer", default: 1 },
          select: { type: "boolean", default: false },
        },
      },
      Group: { table: "group", fields: { order_id: { type: "uuid", references: "Order" }, table: { type: "text" } } },
    }),
    hazards: [],
  },
  {
    name: "name-of-70-bytes",
    from: EMPTY,
    to: model({
      LongOne: {
        table: long70,
        fields: { [long70]: { type: "string", unique: true }, parent_id: { type: "uuid", references: "LongOne" } },
      },
    }),
    hazards: [],
  },
  {
    name: "names-equal-in-63-bytes",
    from: EMPTY,
    to: model({
      First: {
        table: same63a,
        fields: { [same63a]: { type: "string", unique: true }, [same63b]: { type: "string", unique: true } },
      },
      Second: { table: same63b, fields: { first_id: { type: "uuid", references: "First" } } },
    }),
    hazards: [],
  },
  {
    name: "conversion-by-using",
    from: model({
      Reading: { fields: { score: { type: "decimal", precision: 6, scale: 2 }, code: { type: "text" } } },
    }),
    to: model({
      Reading: {
        fields: {
          score: { type: "integer", using: { sql: "round(score)" } },
          code: { type: "integer", using: { sql: "length(code)" } },
        },
      },
    }),
    hazards: ["destructive"],
  },
  {
    name: "narrowing-and-constraints",
    from: model({ Account: account }),
    to: model({
      Account: {
        fields: {
          name: { type: "string", maxLength: 50, required: true, unique: true },
          email: { type: "email", required: true, default: "none@example.com" },
        },
      },
    }),
    hazards: ["destructive", "data-dependent"],
  },
  {
    name: "drop-cycle",
    from: model({
      Account: { fields: { name: { type: "string" }, primary_location_id: { type: "uuid", references: "Location" } } },
      Location: { fields: { address: { type: "text" }, account_id: { type: "uuid", references: "Account" } } },
    }),
    to: model({ Contact: { fields: { name: { type: "string" } } } }),
    hazards: ["destructive"],
  },
];
