/**
 * The TypeScript renderer: the `Database` type exactly as Supabase's generator (postgres-meta 0.99,
 * `supabase gen types typescript`) emits it for the database our SQL builds, so either generator's
 * file can be dropped into `createClient<Database>()`. Like postgres-meta, inputs are sorted first
 * (with the same pinned English collation) so output is deterministic.
 */
import type { Column, ForeignKey, Schema, SqlType, Table } from "../ir/types.js";

const collator = new Intl.Collator("en");
const compare = (a: string, b: string): number => collator.compare(a, b);

/**
 * The one mapping from a column type to TypeScript: postgres-meta's for PostgreSQL's types — bytea
 * as `string` (PostgREST sends its hex text), a vector as `string` (its `[1,2,3]` text), an array as
 * `T[]`, and `unknown` for a type it does not map (inet, tsvector).
 */
export function tsTypeOf(type: SqlType, schemaName = "public"): string {
  if (type.array) return `${tsTypeOf({ ...type, array: undefined } as SqlType, schemaName)}[]`;
  switch (type.name) {
    case "enum":
      return `Database[${JSON.stringify(schemaName)}]["Enums"][${JSON.stringify(type.enumType ?? "")}]`;
    case "smallint":
    case "integer":
    case "bigint":
    case "numeric":
    case "real":
      return "number";
    case "boolean":
      return "boolean";
    case "jsonb":
      return "Json";
    case "inet":
    case "tsvector":
      return "unknown";
    default:
      return "string";
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** PostgREST's rule: a foreign key is one-to-one when its columns are the primary key or a unique key. */
function isOneToOne(table: Table, fk: ForeignKey): boolean {
  const keys = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.map((u) => u.columns)];
  return keys.some((k) => sameColumns(k, fk.columns));
}

function columnLines(columns: readonly Column[], mode: "Row" | "Insert" | "Update", schemaName: string): string {
  return columns
    .map((c) => {
      const ts = tsTypeOf(c.type, schemaName);
      // postgres-meta: `unknown` already holds null.
      const type = `${ts}${c.nullable && ts !== "unknown" ? " | null" : ""}`;
      // postgres-meta: a generated column can be neither inserted nor updated.
      if (mode !== "Row" && c.generated !== undefined) return `          ${c.name}?: never`;
      const optional =
        mode === "Update" ||
        (mode === "Insert" &&
          (c.nullable || c.default !== undefined || c.autoIncrement === true || c.expand !== undefined));
      // An expanded rename's old name works until `dbgen harden --complete`: said so where the app reads it.
      const deprecated =
        c.expand?.role === "old"
          ? `          /** @deprecated renamed to ${c.expand.partner}; gone after dbgen harden --complete */\n`
          : c.expand?.role === "shadow"
            ? `          /** @deprecated dbgen's copy of ${c.expand.partner} in its new type, filled by a trigger; becomes ${c.expand.partner} at dbgen harden --complete */\n`
            : "";
      return `${deprecated}          ${c.name}${optional ? "?" : ""}: ${type}`;
    })
    .join("\n");
}

function relationshipLines(table: Table): string {
  // postgres-meta lists only relationships among the generated schemas: none to auth.users.
  const fks = table.foreignKeys
    .filter((fk) => fk.referencedSchema === undefined)
    .sort(
      (a, b) =>
        compare(a.name, b.name) ||
        compare(a.referencedTable, b.referencedTable) ||
        compare(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns)),
    );
  if (fks.length === 0) return "        Relationships: []";
  const items = fks.map(
    (fk) => `          {
            foreignKeyName: ${JSON.stringify(fk.name)}
            columns: ${JSON.stringify(fk.columns).replaceAll(",", ", ")}
            isOneToOne: ${isOneToOne(table, fk)}
            referencedRelation: ${JSON.stringify(fk.referencedTable)}
            referencedColumns: ${JSON.stringify(fk.referencedColumns).replaceAll(",", ", ")}
          },`,
  );
  return `        Relationships: [\n${items.join("\n")}\n        ]`;
}

function tableBlock(table: Table, schemaName: string): string {
  const columns = [...table.columns].sort((a, b) => compare(a.name, b.name));
  return `      ${table.name}: {
        Row: {
${columnLines(columns, "Row", schemaName)}
        }
        Insert: {
${columnLines(columns, "Insert", schemaName)}
        }
        Update: {
${columnLines(columns, "Update", schemaName)}
        }
${relationshipLines(table)}
      }`;
}

const NEVER = "{\n      [_ in never]: never\n    }";

export interface TypegenOptions {
  /** Append a named union type for each model enum (default true). */
  readonly enumUnions?: boolean;
}

/**
 * The `Database` type file for `schema`.
 *
 * @example
 * const source = renderTypescript(schema);
 * // import type { Database } from "./database.types"; createClient<Database>(url, key)
 */
export function renderTypescript(schema: Schema, options: TypegenOptions = {}): string {
  // Tables in other database schemas (production's audit log) are not part of the API's types.
  const tables = schema.tables.filter((t) => !t.schema).sort((a, b) => compare(a.name, b.name));
  const tablesBlock =
    tables.length === 0 ? NEVER : `{\n${tables.map((t) => tableBlock(t, schema.name)).join("\n")}\n    }`;
  const s = schema.name;
  const head = `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  ${s}: {
    Tables: ${tablesBlock}
    Views: ${NEVER}
    Functions: ${NEVER}
    Enums: ${enumsBlock(schema)}
    CompositeTypes: ${NEVER}
  }
}
`;
  const tail = HELPERS.replaceAll("__SCHEMA__", s).replace("    Enums: {},", `    Enums: ${constantsBlock(schema)},`);
  const enums = options.enumUnions === false ? [] : [...schema.enums].sort((a, b) => compare(a.name, b.name));
  const unions =
    enums.length === 0
      ? ""
      : `\n${schema.enumTypes?.length ? ENUM_TYPES_NOTE : VARCHAR_ENUMS_NOTE}\n${enums
          .map(
            (e) =>
              `export type ${e.name} = ${e.values.length === 0 ? "never" : e.values.map((v) => JSON.stringify(v)).join(" | ")}`,
          )
          .join("\n")}\n`;
  return `${head}${tail}${unions}`;
}

const VARCHAR_ENUMS_NOTE = `// The model's enums. The database stores them as varchar (checked in production), so \`Database\`
// types them as string, as Supabase's generator does; use these unions where the values matter.`;
const ENUM_TYPES_NOTE = `// The model's enums by their model names (those stored as enum types are also \`Database\`'s \`Enums\`).`;

const enumTypesOf = (schema: Schema) => [...(schema.enumTypes ?? [])].sort((a, b) => compare(a.name, b.name));

/** The schema's enum types as postgres-meta writes them: each a union of its values, in their order. */
function enumsBlock(schema: Schema): string {
  const types = enumTypesOf(schema);
  if (types.length === 0) return NEVER;
  const union = (values: readonly string[]) =>
    values.length ? values.map((v) => JSON.stringify(v)).join(" | ") : "never";
  return `{\n${types.map((e) => `      ${e.name}: ${union(e.values)}`).join("\n")}\n    }`;
}

/** The same values as postgres-meta's runtime `Constants`. */
function constantsBlock(schema: Schema): string {
  const types = enumTypesOf(schema);
  if (types.length === 0) return "{}";
  return `{\n${types.map((e) => `      ${e.name}: [${e.values.map((v) => JSON.stringify(v)).join(", ")}],`).join("\n")}\n    }`;
}

// NOTE: copied verbatim from postgres-meta 0.99's output (a test compares the whole file with it
// on a live database), so the helpers behave exactly as Supabase's own.
const HELPERS = `
type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "__SCHEMA__">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  __SCHEMA__: {
    Enums: {},
  },
} as const
`;

/** The one first line of every generated types file: what made it, and that it is not to be edited. */
export function typesHeader(by: string): string {
  return `// Generated by ${by}. Do not edit.`;
}

/** A generated `Database` types file: the header, then the type. */
export function generatedTypesFile(by: string, schema: Schema): string {
  return `${typesHeader(by)}\n${renderTypescript(schema)}`;
}
