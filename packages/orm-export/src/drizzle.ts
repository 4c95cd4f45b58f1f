/**
 * The Drizzle export: `schema.ts` (pgTable per table with every column type, default, key, foreign
 * key, unique, check, index — partial ones too — and row-level security with the policies dbgen
 * generated) and `relations.ts` (relations() both ways; many-to-many through the join table).
 * A pure function of the IR, like the TypeScript renderer.
 */
import type { Column, ForeignKey, Policy, ReferentialAction, Schema, Table } from "@dbgen/schema-core";
import { postgresDialect, renderOperatorClass } from "@dbgen/schema-core";
import { camel, commentText, NameScope, referenceName, templateText } from "./names.js";

const JS_RESERVED = `break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof var void
while with yield let static implements interface package private protected public await arguments eval`.split(/\s+/);

/** Every name the files import: a table may not take one. */
const IMPORTED = `pgTable pgSchema pgPolicy uuid varchar char text smallint integer bigint numeric doublePrecision
boolean date time timestamp jsonb customType primaryKey foreignKey unique check index uniqueIndex sql relations
bytea citext tsvector vector pgEnum`.split(/\s+/);

export interface DrizzleFiles {
  readonly schema: string;
  readonly relations: string;
}

interface Names {
  /** Table (by `schema.name` key) → its exported const. */
  readonly tables: Map<string, string>;
  /** Table key → column name → its property. */
  readonly columns: Map<string, Map<string, string>>;
  /** Enum type → its exported pgEnum const. */
  readonly enums: Map<string, string>;
}

const keyOf = (t: Pick<Table, "name" | "schema">): string => `${t.schema ?? ""}.${t.name}`;

function allocateNames(schema: Schema): Names {
  const scope = new NameScope([...JS_RESERVED, ...IMPORTED]);
  const tables = new Map<string, string>();
  const columns = new Map<string, Map<string, string>>();
  const enums = new Map((schema.enumTypes ?? []).map((e) => [e.name, scope.claim(camel(e.name), "Enum")]));
  for (const t of schema.tables) {
    tables.set(keyOf(t), scope.claim(camel(t.schema ? `${t.schema}_${t.name}` : t.name), "Table"));
    const props = new NameScope();
    columns.set(keyOf(t), new Map(t.columns.map((c) => [c.name, props.claim(camel(c.name), "Column")])));
  }
  return { tables, columns, enums };
}

function columnBuilder(c: Column, names: Names): string {
  const element =
    c.type.name === "enum" ? `${names.enums.get(c.type.enumType ?? "")}(${JSON.stringify(c.name)})` : elementBuilder(c);
  return c.type.array ? `${element}.array()` : element;
}

function elementBuilder(c: Column): string {
  const name = JSON.stringify(c.name);
  const t = c.type;
  switch (t.name) {
    case "vector":
      return `vector(${name}, { dimensions: ${t.dimensions ?? 1} })`;
    case "varchar":
      return t.length === undefined ? `varchar(${name})` : `varchar(${name}, { length: ${t.length} })`;
    case "char":
      return `char(${name}, { length: ${t.length ?? 1} })`;
    case "bigint":
      return `bigint(${name}, { mode: "number" })`;
    case "numeric": {
      const options = [
        t.precision !== undefined ? `precision: ${t.precision}` : "",
        t.scale !== undefined ? `scale: ${t.scale}` : "",
      ].filter(Boolean);
      return options.length ? `numeric(${name}, { ${options.join(", ")} })` : `numeric(${name})`;
    }
    case "real":
      return `doublePrecision(${name})`;
    case "timestamptz":
      return `timestamp(${name}, { withTimezone: true })`;
    case "blob":
      return `bytea(${name})`;
    default:
      return `${t.name}(${name})`;
  }
}

function columnLine(c: Column, property: string, names: Names): string {
  const parts = [columnBuilder(c, names)];
  if (c.autoIncrement) parts.push("generatedByDefaultAsIdentity()");
  if (c.generated !== undefined) parts.push(`generatedAlwaysAs(sql\`${templateText(c.generated)}\`)`);
  if (!c.nullable) parts.push("notNull()");
  if (c.default !== undefined)
    parts.push(`default(sql\`${templateText(postgresDialect.renderDefault(c.default, c.type))}\`)`);
  const comment = c.comment !== undefined ? `  /** ${commentText(c.comment)} */\n` : "";
  return `${comment}  ${property}: ${parts.join(".")},`;
}

const ACTIONS: Record<ReferentialAction, string> = {
  cascade: "cascade",
  "set null": "set null",
  restrict: "restrict",
  "no action": "no action",
};

function policyLine(p: Policy): string {
  const options = [
    `as: "${p.permissive ? "permissive" : "restrictive"}"`,
    `for: "${p.command}"`,
    `to: [${p.roles.map((r) => JSON.stringify(r)).join(", ")}]`,
    ...(p.using !== undefined ? [`using: sql\`${templateText(p.using)}\``] : []),
    ...(p.withCheck !== undefined ? [`withCheck: sql\`${templateText(p.withCheck)}\``] : []),
  ];
  return `pgPolicy(${JSON.stringify(p.name)}, { ${options.join(", ")} })`;
}

function constraintLines(t: Table, names: Names, schema: Schema): string[] {
  const cols = names.columns.get(keyOf(t)) ?? new Map<string, string>();
  const ref = (c: string) => `t.${cols.get(c) ?? camel(c)}`;
  const list = (columns: readonly string[]) => columns.map(ref).join(", ");
  const lines: string[] = [];
  if (t.primaryKey)
    lines.push(`primaryKey({ name: ${JSON.stringify(t.primaryKey.name)}, columns: [${list(t.primaryKey.columns)}] })`);
  for (const fk of t.foreignKeys) lines.push(foreignKeyLine(t, fk, names, schema, ref));
  for (const u of t.uniques) lines.push(`unique(${JSON.stringify(u.name)}).on(${list(u.columns)})`);
  for (const c of t.checks) lines.push(`check(${JSON.stringify(c.name)}, sql\`${templateText(c.expression)}\`)`);
  for (const i of t.indexes) {
    const where = i.where !== undefined ? `.where(sql\`${templateText(i.where)}\`)` : "";
    const keys = i.columns.map((c, k) => {
      const ops = i.ops?.[k];
      return `${ref(c)}${i.descending?.[k] ? ".desc()" : ""}${ops ? `.op(${JSON.stringify(renderOperatorClass(ops))})` : ""}`;
    });
    lines.push(
      `${i.unique ? "uniqueIndex" : "index"}(${JSON.stringify(i.name)}).using("${i.method ?? "btree"}", ${keys.join(", ")})${where}`,
    );
  }
  for (const p of t.policies ?? []) lines.push(policyLine(p));
  return lines;
}

/** Supabase's users table as drizzle-orm declares it (`drizzle-orm/supabase`). */
const isAuthUsers = (fk: ForeignKey): boolean => fk.referencedSchema === "auth" && fk.referencedTable === "users";

function foreignKeyLine(t: Table, fk: ForeignKey, names: Names, schema: Schema, ref: (c: string) => string): string {
  if (isAuthUsers(fk)) {
    const foreign = fk.referencedColumns.map((c) => `authUsers.${camel(c)}`);
    return `foreignKey({ name: ${JSON.stringify(fk.name)}, columns: [${fk.columns.map(ref).join(", ")}], foreignColumns: [${foreign.join(", ")}] }).onDelete("${ACTIONS[fk.onDelete]}").onUpdate("${ACTIONS[fk.onUpdate]}")`;
  }
  const target = schema.tables.find((x) => x.name === fk.referencedTable && x.schema === t.schema);
  const targetKey = target ? keyOf(target) : `${t.schema ?? ""}.${fk.referencedTable}`;
  const self = targetKey === keyOf(t);
  const targetVar = names.tables.get(targetKey) ?? camel(fk.referencedTable);
  const targetCols = names.columns.get(targetKey);
  const foreign = fk.referencedColumns.map((c) => (self ? ref(c) : `${targetVar}.${targetCols?.get(c) ?? camel(c)}`));
  return `foreignKey({ name: ${JSON.stringify(fk.name)}, columns: [${fk.columns.map(ref).join(", ")}], foreignColumns: [${foreign.join(", ")}] }).onDelete("${ACTIONS[fk.onDelete]}").onUpdate("${ACTIONS[fk.onUpdate]}")`;
}

function tableBlock(t: Table, names: Names, schema: Schema): string {
  const variable = names.tables.get(keyOf(t)) ?? camel(t.name);
  const cols = names.columns.get(keyOf(t)) ?? new Map<string, string>();
  const maker = t.schema ? `${camel(t.schema)}Schema.table` : "pgTable";
  const constraints = constraintLines(t, names, schema);
  // NOTE: the annotated return type keeps TypeScript from inferring a table through the tables its
  // foreign keys reference, which fails on a cycle (accounts ↔ locations).
  const extra = constraints.length
    ? `,\n  (t): PgTableExtraConfigValue[] => [\n    ${constraints.join(",\n    ")},\n  ]`
    : "";
  const doc = t.comment !== undefined ? `/** ${commentText(t.comment)} */\n` : "";
  const triggers = (t.triggers ?? []).map(
    (tr) =>
      `// trigger ${commentText(tr.name)}: ${tr.timing} ${tr.events.join("/")} → ${commentText(tr.function)}() (not expressible in Drizzle; dbgen's migrations create it)\n`,
  );
  const body = t.columns.map((c) => columnLine(c, cols.get(c.name) ?? camel(c.name), names)).join("\n");
  const rls = t.rowLevelSecurity ? ".enableRLS()" : "";
  return `${doc}${triggers.join("")}export const ${variable} = ${maker}(\n  ${JSON.stringify(t.name)},\n  {\n${body.replaceAll("\n  ", "\n    ").replace(/^ {2}/, "    ")}\n  }${extra},\n)${rls};`;
}

/** `schema.ts`: the tables, in the IR's order (foreign keys are resolved lazily, so cycles are fine). */
function schemaFile(schema: Schema, names: Names): string {
  const extraSchemas = [...new Set(schema.tables.flatMap((t) => (t.schema ? [t.schema] : [])))].sort();
  const uses = (type: string) => schema.tables.some((t) => t.columns.some((c) => c.type.name === type));
  // Drizzle has no bytea, citext or tsvector builder: each is a custom type of the database's name.
  const custom = [
    ...(uses("blob") ? ['const bytea = customType<{ data: Uint8Array }>({ dataType: () => "bytea" });'] : []),
    // Unqualified, as on Supabase, whose search_path holds the extensions schema.
    ...(uses("citext") ? ['const citext = customType<{ data: string }>({ dataType: () => "citext" });'] : []),
    ...(uses("tsvector") ? ['const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });'] : []),
  ];
  const header = [
    "// Generated by dbgen export drizzle from the schema IR. Do not edit: change the model and export again.",
    'import { sql } from "drizzle-orm";',
    "import {",
    "  bigint, boolean, char, check, customType, date, doublePrecision, foreignKey, index, inet, integer, interval,",
    "  jsonb, numeric, pgEnum, pgPolicy, pgSchema, pgTable, primaryKey, smallint, text, time, timestamp, unique, uniqueIndex,",
    "  uuid, varchar, vector,",
    "  type PgTableExtraConfigValue,",
    '} from "drizzle-orm/pg-core";',
    ...(schema.tables.some((t) => t.foreignKeys.some(isAuthUsers))
      ? ['import { authUsers } from "drizzle-orm/supabase";']
      : []),
    "",
    ...(custom.length ? [...custom, ""] : ["void customType;", ""]),
    ...(schema.enumTypes ?? []).map(
      (e) =>
        `export const ${names.enums.get(e.name)} = pgEnum(${JSON.stringify(e.name)}, [${e.values.map((v) => JSON.stringify(v)).join(", ")}]);`,
    ),
    ...(schema.enumTypes?.length ? [""] : []),
    ...extraSchemas.map((s) => `export const ${camel(s)}Schema = pgSchema(${JSON.stringify(s)});`),
    ...(extraSchemas.length ? [""] : []),
  ];
  return `${header.join("\n")}${schema.tables.map((t) => tableBlock(t, names, schema)).join("\n\n")}\n`;
}

interface RelationEnd {
  readonly table: Table;
  readonly line: string;
}

/** The foreign key's columns are unique (a one-to-one): the parent side is `one`, not `many`. */
function isOneToOne(t: Table, fk: ForeignKey): boolean {
  const same = (columns: readonly string[]) =>
    columns.length === fk.columns.length && columns.every((c) => fk.columns.includes(c));
  return (
    (t.primaryKey !== undefined && same(t.primaryKey.columns)) ||
    t.uniques.some((u) => same(u.columns)) ||
    t.indexes.some((i) => i.unique && i.where === undefined && same(i.columns))
  );
}

/** How many foreign keys join `a` and `b`, either way. */
function relationsBetween(a: Table, b: Table): number {
  const joins = (from: Table, to: Table) =>
    from.foreignKeys.filter(
      (fk) => fk.referencedSchema === undefined && fk.referencedTable === to.name && from.schema === to.schema,
    ).length;
  return a === b ? joins(a, a) : joins(a, b) + joins(b, a);
}

function relationEnds(schema: Schema, names: Names): RelationEnd[] {
  const ends: RelationEnd[] = [];
  const scopes = new Map(
    schema.tables.map((t) => [keyOf(t), new NameScope([...(names.columns.get(keyOf(t))?.values() ?? [])])]),
  );
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) {
      const parent = fk.referencedSchema
        ? undefined
        : schema.tables.find((x) => x.name === fk.referencedTable && x.schema === t.schema);
      if (!parent) continue;
      const childVar = names.tables.get(keyOf(t)) ?? camel(t.name);
      const parentVar = names.tables.get(keyOf(parent)) ?? camel(parent.name);
      const childCols = names.columns.get(keyOf(t));
      const parentCols = names.columns.get(keyOf(parent));
      const relation = JSON.stringify(fk.name);
      const childName = scopes.get(keyOf(t))?.claim(referenceName(fk.columns, parent.name), "Row") ?? "";
      const fields = fk.columns.map((c) => `${childVar}.${childCols?.get(c) ?? camel(c)}`).join(", ");
      const references = fk.referencedColumns.map((c) => `${parentVar}.${parentCols?.get(c) ?? camel(c)}`).join(", ");
      ends.push({
        table: t,
        line: `${childName}: one(${parentVar}, { fields: [${fields}], references: [${references}], relationName: ${relation} })`,
      });
      const oneToOne = isOneToOne(t, fk);
      const by = `By${camel(fk.columns.join("_")).replace(/^./, (c) => c.toUpperCase())}`;
      const wanted = oneToOne ? camel(t.name).replace(/s$/, "") : camel(t.name);
      // A self-reference's other end is the children: named by the column, never the table's own name.
      const parentName = scopes.get(keyOf(parent))?.claim(t === parent ? `${wanted}${by}` : wanted, by) ?? "";
      if (!oneToOne)
        ends.push({ table: parent, line: `${parentName}: many(${childVar}, { relationName: ${relation} })` });
      // Drizzle's types let a one() without fields carry no relationName: it finds its other end by
      // being the only relation between the two tables. Where it would not be, the end is left out.
      else if (relationsBetween(t, parent) === 1) ends.push({ table: parent, line: `${parentName}: one(${childVar})` });
      else
        ends.push({
          table: parent,
          line: `// ${parentName}: left out — one of several relations with ${childVar}, and Drizzle's one() without fields cannot be named (${relation})`,
        });
    }
  }
  return ends;
}

/** `relations.ts`: for every foreign key, `one` on its table and `many` (or `one`) on the table it references. */
function relationsFile(schema: Schema, names: Names): string {
  const ends = relationEnds(schema, names);
  const blocks = schema.tables
    .filter((t) => ends.some((e) => e.table === t))
    .map((t) => {
      const variable = names.tables.get(keyOf(t)) ?? camel(t.name);
      const own = ends.filter((e) => e.table === t).map((e) => e.line);
      const helpers = ["one", "many"].filter((h) => own.some((line) => line.includes(`: ${h}(`)));
      const lines = own.map((line) => (line.startsWith("//") ? `  ${line}` : `  ${line},`));
      return `export const ${variable}Relations = relations(${variable}, ({ ${helpers.join(", ")} }) => ({\n${lines.join("\n")}\n}));`;
    });
  const used = [...new Set(schema.tables.map((t) => names.tables.get(keyOf(t)) ?? camel(t.name)))];
  return [
    "// Generated by dbgen export drizzle from the schema IR. Do not edit: change the model and export again.",
    'import { relations } from "drizzle-orm";',
    `import { ${used.join(", ")} } from "./schema";`,
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
}

export function renderDrizzle(schema: Schema): DrizzleFiles {
  const names = allocateNames(schema);
  return { schema: schemaFile(schema, names), relations: relationsFile(schema, names) };
}
