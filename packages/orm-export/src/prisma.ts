/**
 * The Prisma export: `schema.prisma` with a model per table of the main schema (`@@map`/`@map` to the
 * real names, `@db.*` native types, `@default(dbgenerated(…))` for expressions), relations with their
 * actions (named after the foreign key, so two keys to one table never clash), `@@id`, `@@unique`,
 * `@@index`, and `///` comments for what Prisma cannot express (checks, row-level security,
 * triggers, partial indexes) the way `prisma db pull` writes them. A pure function of the IR.
 */
import {
  type Column,
  type ForeignKey,
  type Index,
  postgresDialect,
  type ReferentialAction,
  renderOperatorClass,
  type Schema,
  type SqlType,
  type Table,
} from "@dbgen/schema-core";
import { camel, commentText, NameScope, pascalSingular, prismaString, referenceName } from "./names.js";

const PRISMA_RESERVED = `String Int BigInt Float Decimal Boolean DateTime Json Bytes Unsupported model enum datasource
generator type view`.split(/\s+/);

const ACTIONS: Record<ReferentialAction, string> = {
  cascade: "Cascade",
  "set null": "SetNull",
  restrict: "Restrict",
  "no action": "NoAction",
};

interface PrismaEnum {
  readonly name: string;
  /** Each database value's Prisma identifier (mapped with `@map` where they differ). */
  readonly values: ReadonlyMap<string, string>;
}

interface Names {
  readonly models: Map<string, string>;
  readonly enums: Map<string, PrismaEnum>;
  readonly fields: Map<string, Map<string, string>>;
  readonly scopes: Map<string, NameScope>;
}

function scalarType(type: SqlType): { prisma: string; native?: string } {
  switch (type.name) {
    case "uuid":
      return { prisma: "String", native: "Uuid" };
    case "varchar":
      return { prisma: "String", native: type.length === undefined ? "VarChar" : `VarChar(${type.length})` };
    case "char":
      return { prisma: "String", native: `Char(${type.length ?? 1})` };
    case "text":
      return { prisma: "String" };
    case "smallint":
      return { prisma: "Int", native: "SmallInt" };
    case "integer":
      return { prisma: "Int" };
    case "bigint":
      return { prisma: "BigInt" };
    case "numeric":
      return type.precision === undefined
        ? { prisma: "Decimal" }
        : { prisma: "Decimal", native: `Decimal(${type.precision}, ${type.scale ?? 0})` };
    case "real":
      return { prisma: "Float" };
    case "boolean":
      return { prisma: "Boolean" };
    case "date":
      return { prisma: "DateTime", native: "Date" };
    case "time":
      return { prisma: "DateTime", native: "Time(6)" };
    case "timestamp":
      return { prisma: "DateTime", native: "Timestamp(6)" };
    case "timestamptz":
      return { prisma: "DateTime", native: "Timestamptz(6)" };
    case "jsonb":
      return { prisma: "Json" };
    case "blob":
      return { prisma: "Bytes" };
    case "inet":
      return { prisma: "String", native: "Inet" };
    // Prisma has no interval type: a column it reads through raw SQL only, as `prisma db pull` writes it.
    case "interval":
      return { prisma: 'Unsupported("interval")' };
    case "citext":
      return { prisma: "String", native: "Citext" };
    case "tsvector":
      return { prisma: 'Unsupported("tsvector")' };
    // Prisma has no vector type either: `prisma db pull` writes pgvector columns so.
    case "vector":
      return { prisma: `Unsupported("vector(${type.dimensions ?? 1})")` };
    // The field names its Prisma enum instead (scalarLine); as a scalar it is the text it holds.
    case "enum":
      return { prisma: "String" };
  }
}

/** A Prisma scalar list for an array column (Prisma's lists are never optional, as `db pull` writes them). */
function fieldType(type: SqlType): { prisma: string; native?: string; list: boolean } {
  const element = scalarType(type.array ? { ...type, array: undefined } : type);
  return { ...element, list: type.array === true };
}

function defaultAttribute(c: Column): string | undefined {
  if (c.autoIncrement) return "@default(autoincrement())";
  // Prisma has no generated columns: the database computes it, so creating a row need not give it.
  if (c.generated !== undefined) return `@default(dbgenerated(${prismaString(c.generated)}))`;
  const d = c.default;
  if (d === undefined) return undefined;
  if (d.kind === "expression")
    return /^now\(\)$/i.test(d.sql.trim()) ? "@default(now())" : `@default(dbgenerated(${prismaString(d.sql)}))`;
  // A list's default is a list: the empty one as Prisma writes it, any other as the database reads it.
  if (c.type.array && d.value === "{}") return "@default([])";
  // An Unsupported type takes only a database-generated default: the literal as PostgreSQL reads it.
  if (c.type.array || scalarType(c.type).prisma.startsWith("Unsupported"))
    return `@default(dbgenerated(${prismaString(postgresDialect.renderDefault(d, c.type))}))`;
  if (typeof d.value === "string") return `@default(${prismaString(d.value)})`;
  return `@default(${String(d.value)})`;
}

const sameColumns = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((c) => b.includes(c));

function scalarLine(t: Table, c: Column, names: Names): string {
  const field = names.fields.get(t.name)?.get(c.name) ?? camel(c.name);
  const prismaEnum = c.type.name === "enum" ? names.enums.get(c.type.enumType ?? "") : undefined;
  const scalar = fieldType(c.type);
  const { native, list } = prismaEnum ? { native: undefined, list: scalar.list } : scalar;
  const prisma = prismaEnum ? prismaEnum.name : scalar.prisma;
  const attributes: string[] = [];
  const pk = t.primaryKey;
  if (pk && pk.columns.length === 1 && pk.columns[0] === c.name) attributes.push(`@id(map: ${prismaString(pk.name)})`);
  const unique = t.uniques.find((u) => sameColumns(u.columns, [c.name]));
  if (unique) attributes.push(`@unique(map: ${prismaString(unique.name)})`);
  const enumDefault =
    prismaEnum && c.default?.kind === "literal" && !list ? prismaEnum.values.get(String(c.default.value)) : undefined;
  const fallback = enumDefault ? `@default(${enumDefault})` : defaultAttribute(c);
  if (fallback) attributes.push(fallback);
  if (field !== c.name) attributes.push(`@map(${prismaString(c.name)})`);
  if (native) attributes.push(`@db.${native}`);
  const doc = c.comment !== undefined ? `  /// ${commentText(c.comment)}\n` : "";
  const modifier = list ? "[]" : c.nullable ? "?" : "";
  return `${doc}  ${field} ${prisma}${modifier}${attributes.length ? ` ${attributes.join(" ")}` : ""}`;
}

/** A database value as a Prisma enum identifier: letters, digits and `_`, starting with a letter. */
function enumIdentifier(value: string): string {
  const word = value.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z]/.test(word) ? word : `V${word}`;
}

function allocateEnums(schema: Schema, modelScope: NameScope): Map<string, PrismaEnum> {
  const enums = new Map<string, PrismaEnum>();
  for (const e of schema.enumTypes ?? []) {
    const pascal = camel(e.name).replace(/^./, (x) => x.toUpperCase());
    const scope = new NameScope();
    const values = new Map(e.values.map((v) => [v, scope.claim(enumIdentifier(v), "_")]));
    enums.set(e.name, { name: modelScope.claim(pascal, "Enum"), values });
  }
  return enums;
}

/** Prisma enums for the schema's enum types, each value mapped to the database's. */
function enumBlocks(schema: Schema, names: Names): string[] {
  return (schema.enumTypes ?? []).map((e) => {
    const prismaEnum = names.enums.get(e.name) as PrismaEnum;
    const lines = [...prismaEnum.values].map(
      ([value, id]) => `  ${id}${id !== value ? ` @map(${prismaString(value)})` : ""}`,
    );
    return [`enum ${prismaEnum.name} {`, ...lines, "", `  @@map(${prismaString(e.name)})`, "}"].join("\n");
  });
}

function allocate(schema: Schema, tables: readonly Table[]): Names {
  const modelScope = new NameScope(PRISMA_RESERVED);
  const enums = allocateEnums(schema, modelScope);
  const models = new Map<string, string>();
  const fields = new Map<string, Map<string, string>>();
  const scopes = new Map<string, NameScope>();
  for (const t of tables) {
    models.set(t.name, modelScope.claim(t.entity ?? pascalSingular(t.name), "Table"));
    const scope = new NameScope();
    fields.set(t.name, new Map(t.columns.map((c) => [c.name, scope.claim(camel(c.name), "Field")])));
    scopes.set(t.name, scope);
  }
  return { models, enums, fields, scopes };
}

function isOneToOne(t: Table, fk: ForeignKey): boolean {
  return (
    (t.primaryKey !== undefined && sameColumns(t.primaryKey.columns, fk.columns)) ||
    t.uniques.some((u) => sameColumns(u.columns, fk.columns))
  );
}

/** Relation fields, per model: the foreign key's side and the other side, both named after the key. */
function relationLines(tables: readonly Table[], names: Names): Map<string, string[]> {
  const out = new Map<string, string[]>(tables.map((t) => [t.name, []]));
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      const parent = fk.referencedSchema ? undefined : tables.find((x) => x.name === fk.referencedTable);
      if (!parent) continue;
      const name = prismaString(fk.name);
      const childModel = names.models.get(t.name) ?? "";
      const parentModel = names.models.get(parent.name) ?? "";
      const childField = names.scopes.get(t.name)?.claim(referenceName(fk.columns, parent.name), "Row") ?? "";
      const fields = fk.columns.map((c) => names.fields.get(t.name)?.get(c) ?? camel(c)).join(", ");
      const references = fk.referencedColumns.map((c) => names.fields.get(parent.name)?.get(c) ?? camel(c)).join(", ");
      const optional = fk.columns.some((c) => t.columns.find((x) => x.name === c)?.nullable) ? "?" : "";
      out
        .get(t.name)
        ?.push(
          `  ${childField} ${parentModel}${optional} @relation(${name}, fields: [${fields}], references: [${references}], onDelete: ${ACTIONS[fk.onDelete]}, onUpdate: ${ACTIONS[fk.onUpdate]}, map: ${name})`,
        );
      const oneToOne = isOneToOne(t, fk);
      const by = `By${camel(fk.columns.join("_")).replace(/^./, (c) => c.toUpperCase())}`;
      const wanted = oneToOne ? camel(pascalSingular(t.name)) : camel(t.name);
      const parentField = names.scopes.get(parent.name)?.claim(t === parent ? `${wanted}${by}` : wanted, by) ?? "";
      out.get(parent.name)?.push(`  ${parentField} ${childModel}${oneToOne ? "?" : "[]"} @relation(${name})`);
    }
  }
  return out;
}

function blockAttributes(t: Table, names: Names): string[] {
  const field = (c: string) => names.fields.get(t.name)?.get(c) ?? camel(c);
  const list = (columns: readonly string[]) => `[${columns.map(field).join(", ")}]`;
  const lines: string[] = [];
  if (t.primaryKey && t.primaryKey.columns.length > 1)
    lines.push(`  @@id(${list(t.primaryKey.columns)}, map: ${prismaString(t.primaryKey.name)})`);
  for (const u of t.uniques.filter((u) => u.columns.length > 1))
    lines.push(`  @@unique(${list(u.columns)}, map: ${prismaString(u.name)})`);
  for (const i of t.indexes.filter((i) => prismaIndexable(t, i))) {
    const keys = i.columns.map((c, k) => {
      const args = [
        ...(i.descending?.[k] ? ["sort: Desc"] : []),
        ...(i.ops?.[k] ? [`ops: raw(${prismaString(renderOperatorClass(i.ops[k] as string))})`] : []),
      ];
      return args.length ? `${field(c)}(${args.join(", ")})` : field(c);
    });
    const type = i.method ? `, type: ${PRISMA_INDEX_TYPES[i.method]}` : "";
    lines.push(`  @@${i.unique ? "unique" : "index"}([${keys.join(", ")}]${type}, map: ${prismaString(i.name)})`);
  }
  lines.push(`  @@map(${prismaString(t.name)})`);
  return lines;
}

/** Prisma's names for the index methods it has (it has no pgvector method). */
const PRISMA_INDEX_TYPES: Partial<Record<NonNullable<Index["method"]>, string>> = {
  hash: "Hash",
  gin: "Gin",
  gist: "Gist",
  brin: "Brin",
};

/**
 * Whether Prisma can say this index: not partial, a method it has, over fields it types, and operator
 * classes only where it takes them (not on a btree).
 */
function prismaIndexable(t: Table, i: Index): boolean {
  const unsupported = (c: string) => {
    const type = t.columns.find((x) => x.name === c)?.type;
    return type !== undefined && scalarType(type).prisma.startsWith("Unsupported");
  };
  if (i.where !== undefined || (i.method && !PRISMA_INDEX_TYPES[i.method])) return false;
  if (i.method === undefined && i.ops !== undefined) return false;
  return !i.columns.some(unsupported);
}

/** What Prisma cannot express, said in `///` lines above the model (as `prisma db pull` does). */
function modelNotes(t: Table): string[] {
  const notes: string[] = [];
  if (t.comment !== undefined) notes.push(commentText(t.comment));
  if (t.checks.length)
    notes.push(
      `This table contains check constraints and requires additional setup for migrations. Visit https://pris.ly/d/check-constraints for more info. (${t.checks.map((c) => commentText(c.name)).join(", ")})`,
    );
  if (t.rowLevelSecurity)
    notes.push(
      `This model contains row level security and requires additional setup for migrations. Visit https://pris.ly/d/row-level-security for more info. (policies: ${(t.policies ?? []).map((p) => commentText(p.name)).join(", ") || "none"})`,
    );
  const partial = t.indexes.filter((i) => i.where !== undefined);
  if (partial.length)
    notes.push(
      `Partial indexes Prisma cannot express: ${partial.map((i) => `${commentText(i.name)} WHERE ${commentText(i.where ?? "")}`).join("; ")}`,
    );
  const other = t.indexes.filter((i) => i.where === undefined && !prismaIndexable(t, i));
  if (other.length)
    notes.push(
      `Indexes Prisma cannot express (a method, operator class or column type it lacks): ${other.map((i) => `${commentText(i.name)} USING ${i.method ?? "btree"}`).join("; ")}`,
    );
  const outside = t.foreignKeys.filter((fk) => fk.referencedSchema !== undefined);
  if (outside.length)
    notes.push(
      `Foreign keys to tables of another schema, which this datasource does not hold: ${outside.map((fk) => `${commentText(fk.name)} → ${commentText(`${fk.referencedSchema}.${fk.referencedTable}`)}`).join("; ")}`,
    );
  if (t.triggers?.length)
    notes.push(`Triggers dbgen's migrations create: ${t.triggers.map((tr) => commentText(tr.name)).join(", ")}`);
  return notes.map((n) => `/// ${n}`);
}

/** The Prisma major release an export is for: 7 (the current one) or 6. */
export type PrismaVersion = 6 | 7;

/**
 * The generator and datasource blocks. Prisma 7 refuses a `url` in the schema file (the connection
 * URL moved to `prisma.config.ts`) and generates with `prisma-client` into an `output` folder; Prisma 6
 * requires the `url` and has `prisma-client-js`. One schema file cannot suit both.
 */
function preamble(version: PrismaVersion): string[] {
  return version === 7
    ? [
        "// For Prisma 7: the connection URL is in prisma.config.ts, beside this file (Prisma 6: dbgen export prisma --prisma 6).",
        "",
        "generator client {",
        '  provider = "prisma-client"',
        '  output   = "./generated"',
        "}",
        "",
        "datasource db {",
        '  provider = "postgresql"',
        "}",
      ]
    : [
        "// For Prisma 6 (Prisma 7 refuses the url below: dbgen export prisma writes its format by default).",
        "",
        "generator client {",
        '  provider = "prisma-client-js"',
        "}",
        "",
        "datasource db {",
        '  provider = "postgresql"',
        '  url      = env("DATABASE_URL")',
        "}",
      ];
}

/** Prisma 7's `prisma.config.ts`: where the schema is, and the connection URL (from DATABASE_URL). */
export const PRISMA_CONFIG = `// Generated by dbgen export prisma. Prisma 7 reads the connection URL from here, not from schema.prisma.
import { defineConfig, env } from "prisma/config";

export default defineConfig({
  schema: "schema.prisma",
  datasource: { url: env("DATABASE_URL") },
});
`;

export function renderPrisma(schema: Schema, version: PrismaVersion = 7): string {
  // Prisma reads one schema here; tables of other schemas (dbgen's audit log) are listed, not modelled.
  const tables = schema.tables.filter((t) => !t.schema || t.schema === schema.name);
  const others = schema.tables.filter((t) => !tables.includes(t));
  const names = allocate(schema, tables);
  const relations = relationLines(tables, names);
  const models = tables.map((t) => {
    const body = [
      ...t.columns.map((c) => scalarLine(t, c, names)),
      ...(relations.get(t.name) ?? []),
      "",
      ...blockAttributes(t, names),
    ];
    return [...modelNotes(t), `model ${names.models.get(t.name)} {`, ...body, "}"].join("\n");
  });
  const header = [
    "// Generated by dbgen export prisma from the schema IR. Do not edit: change the model and export again.",
    ...others.map((t) => `// Not modelled (schema ${commentText(t.schema ?? "")}): ${commentText(t.name)}`),
    ...preamble(version),
  ];
  return `${[...header, "", [...models, ...enumBlocks(schema, names)].join("\n\n")].join("\n")}\n`;
}
