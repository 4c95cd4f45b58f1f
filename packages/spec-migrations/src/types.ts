/** Seed 004's type definitions: a row interface and an insert interface per table. */
import { type Table, tsTypeOf as tsType, typesHeader } from "@dbgen/schema-core";
import { pascalCase } from "change-case";
import pluralize from "pluralize";

/** The `Json` type a json column maps to, declared as Supabase's generator declares it. */
const JSON_TYPE = `export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]
`;

/** `users` → `User`. */
export function interfaceName(table: string): string {
  return pascalCase(pluralize.singular(table));
}

export function renderTableTypes(tables: readonly Table[], migration: string): string {
  const blocks = [...tables]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((t) => {
      const name = interfaceName(t.name);
      const row = t.columns.map((c) => `  ${c.name}: ${tsType(c.type)}${c.nullable ? " | null" : ""};`);
      const insert = t.columns.map((c) => {
        const optional = c.nullable || c.default !== undefined || c.autoIncrement === true;
        return `  ${c.name}${optional ? "?" : ""}: ${tsType(c.type)}${c.nullable ? " | null" : ""};`;
      });
      return [
        `/**\n * ${t.name} table row${t.comment ? `: ${t.comment.replaceAll("*/", "* /")}` : ""}\n * Generated from migration: ${migration}\n */`,
        `export interface ${name} {`,
        ...row,
        "}",
        "",
        `/** ${t.name} table insert input (generated and defaulted fields optional) */`,
        `export interface ${name}Insert {`,
        ...insert,
        "}",
      ].join("\n");
    });
  const usesJson = tables.some((t) => t.columns.some((c) => c.type.name === "jsonb"));
  return `${typesHeader("dbgen migrate")}\n\n${usesJson ? `${JSON_TYPE}\n` : ""}${blocks.join("\n\n")}\n`;
}
