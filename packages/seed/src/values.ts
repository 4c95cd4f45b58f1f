/**
 * One column's value for one row: from the model's rules first (enum values, min/max, pattern),
 * then plausible text by the column's name (email, phone, names, addresses, money) through
 * @faker-js/faker seeded per value, then by type. Every value fits its type's size.
 */

import type { Column } from "@dbgen/schema-core";
import { base, en, Faker } from "@faker-js/faker";
import RandExpModule from "randexp";
import { between, hash32, keyedUuid, mulberry32 } from "./random.js";

/**
 * The one source of randomness for a value: faker draws from it too (a custom randomizer, so
 * re-keying it per value costs a number, not a Mersenne Twister's set-up).
 */
let draw: () => number = mulberry32(0);
const faker = new Faker({
  locale: [en, base],
  randomizer: {
    next: () => draw(),
    seed: (seed) => {
      draw = mulberry32(Array.isArray(seed) ? hash32(...seed) : seed);
    },
  },
});

/** What a value is before it is SQL: text (quoted), a number (as written), a boolean or NULL. */
export type SeedValue = string | number | boolean | null;

export interface ValueKey {
  readonly seed: string;
  readonly table: string;
  readonly row: number;
  /** Bumped to get another value for the same place (a unique value already taken). */
  readonly attempt?: number;
}

type RandExpClass = new (pattern: RegExp) => { max: number; randInt: (a: number, b: number) => number; gen(): string };
// NOTE: randexp is CommonJS; under Node's ESM loader its class may sit on `.default`.
const RandExp = ((RandExpModule as unknown as { default?: RandExpClass }).default ??
  (RandExpModule as unknown as RandExpClass)) as RandExpClass;

const NUMBER_TYPES = new Set(["smallint", "integer", "bigint", "numeric", "real"]);
export const isNumeric = (c: Column): boolean => NUMBER_TYPES.has(c.type.name);

const fit = (text: string, c: Column): string =>
  c.type.length !== undefined && (c.type.name === "varchar" || c.type.name === "char")
    ? text.slice(0, c.type.length)
    : text;

/** A string matching `pattern` (JavaScript's syntax, which dbgen requires PostgreSQL to share). */
function fromPattern(pattern: string, random: () => number, c: Column): string | undefined {
  const gen = new RandExp(new RegExp(pattern));
  gen.max = 6;
  gen.randInt = (a, b) => between(random, a, b);
  for (let i = 0; i < 20; i++) {
    const out = gen.gen();
    if (fit(out, c) === out) return out;
  }
  return undefined;
}

function numberFor(c: Column, random: () => number): number | string {
  const rules = c.rules ?? {};
  if (c.type.name === "numeric" || c.type.name === "real") {
    const scale = c.type.scale ?? (c.type.name === "real" ? 2 : 2);
    const whole = c.type.precision !== undefined ? c.type.precision - scale : 6;
    const limit = 10 ** Math.min(whole, 6) - 1;
    const min = Math.max(rules.min ?? 0, -limit);
    const max = Math.min(rules.max ?? Math.min(limit, 10_000), limit);
    return (min + random() * (max - min)).toFixed(scale);
  }
  const top = c.type.name === "smallint" ? 32_767 : 1_000_000;
  const min = Math.ceil(rules.min ?? 1);
  const max = Math.floor(Math.min(rules.max ?? (min <= 100 ? 100 : top), top));
  return between(random, min, Math.max(min, max));
}

/** Plausible text by what the column is called. */
function textByName(name: string): (() => string) | undefined {
  const n = name.toLowerCase();
  if (n.includes("email")) return () => faker.internet.email().toLowerCase();
  if (n.includes("phone") || n === "mobile") return () => faker.phone.number({ style: "national" });
  if (n.includes("url") || n.includes("website")) return () => faker.internet.url();
  if (n === "first_name") return () => faker.person.firstName();
  if (n === "last_name") return () => faker.person.lastName();
  if (n === "full_name" || n === "contact_name" || n === "display_name") return () => faker.person.fullName();
  if (n === "city") return () => faker.location.city();
  if (n === "state" || n === "region") return () => faker.location.state({ abbreviated: true });
  if (n === "zip" || n === "postal_code" || n === "zip_code") return () => faker.location.zipCode("#####");
  if (n === "country") return () => faker.location.country();
  if (n.includes("address") || n === "street") return () => faker.location.streetAddress();
  if (n === "name" || n.endsWith("_name")) return () => faker.company.name();
  if (["description", "notes", "summary", "comment", "comments", "bio", "body"].some((w) => n.includes(w)))
    return () => faker.lorem.sentence();
  if (n === "title" || n === "label" || n === "subject") return () => faker.lorem.words({ min: 1, max: 3 });
  if (n === "code" || n.endsWith("_code") || n === "sku")
    return () => faker.string.alphanumeric({ length: 8, casing: "upper" });
  return undefined;
}

function byType(c: Column, random: () => number): SeedValue {
  switch (c.type.name) {
    case "uuid":
      return keyedUuid(random());
    case "boolean":
      return random() < 0.5;
    case "date":
      return faker.date.between({ from: "2024-01-01", to: "2026-12-31" }).toISOString().slice(0, 10);
    case "time":
      return faker.date.anytime().toISOString().slice(11, 19);
    case "timestamp":
    case "timestamptz":
      return faker.date.between({ from: "2024-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z" }).toISOString();
    case "jsonb":
      return JSON.stringify({ note: faker.lorem.word() });
    case "blob":
      // bytea's hex input form: a few keyed bytes.
      return `\\x${Array.from({ length: 4 }, () =>
        Math.floor(random() * 256)
          .toString(16)
          .padStart(2, "0"),
      ).join("")}`;
    case "interval":
      return `${1 + Math.floor(random() * 90)} days ${Math.floor(random() * 24)} hours`;
    case "inet":
      // TEST-NET-1 (RFC 5737): addresses that belong to nobody.
      return `192.0.2.${1 + Math.floor(random() * 254)}`;
    case "tsvector":
      // A document's words; PostgreSQL's tsvector input makes them lexemes.
      return faker.lorem.words({ min: 2, max: 6 });
    case "vector":
      // A unit-range point of the column's dimensions, as pgvector reads it.
      return `[${Array.from({ length: c.type.dimensions ?? 1 }, () => (random() * 2 - 1).toFixed(4)).join(",")}]`;
    default:
      return isNumeric(c) ? numberFor(c, random) : faker.lorem.words({ min: 1, max: 4 });
  }
}

/** An element in PostgreSQL's array text: double-quoted, with `"` and `\` escaped. */
const arrayElement = (value: SeedValue): string =>
  value === null ? "NULL" : `"${String(value).replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** An array column's value: zero to three elements of its element type, as PostgreSQL's array text. */
function arrayFor(c: Column, key: ValueKey): SeedValue {
  const element: Column = { ...c, type: { ...c.type, array: undefined } as Column["type"] };
  const count = (hash32(key.seed, key.table, key.row, c.name, "length") >>> 0) % 4;
  const items = Array.from({ length: count }, (_, i) =>
    valueFor(element, { ...key, attempt: (key.attempt ?? 0) * 4 + i }),
  );
  return `{${items.map(arrayElement).join(",")}}`;
}

/** The value of `c` in row `key.row` of `key.table`. */
export function valueFor(c: Column, key: ValueKey): SeedValue {
  if (c.type.array) return arrayFor(c, key);
  draw = mulberry32(hash32(key.seed, key.table, key.row, c.name, key.attempt ?? 0));
  const random = () => draw();
  const values = c.enum?.values;
  if (values?.length) return values[Math.floor(random() * values.length)] ?? null;
  if (c.rules?.pattern !== undefined) {
    const matched = fromPattern(c.rules.pattern, random, c);
    if (matched !== undefined) return matched;
  }
  if (isNumeric(c)) return numberFor(c, random);
  if (c.type.name === "varchar" || c.type.name === "char" || c.type.name === "text" || c.type.name === "citext") {
    const text = textByName(c.name)?.() ?? faker.lorem.words({ min: 1, max: 4 });
    return fit(text, c);
  }
  return byType(c, random);
}
