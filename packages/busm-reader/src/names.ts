import { shortenIdentifier } from "@dbgen/schema-core";
import { snakeCase } from "change-case";
import pluralize from "pluralize";
import type { BusmEntity } from "./model.js";

export const ENTITY_NAME_PATTERN = /^[A-Z][A-Za-z0-9]*$/;
export const SNAKE_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** Supabase's users table, which a field may reference as `"auth.users"`: its `id`, a uuid. */
export const AUTH_USERS = { schema: "auth", table: "users", column: "id" } as const;

/** Whether a reference names Supabase's `auth.users` rather than an entity (entity names are PascalCase). */
export function isAuthUsersReference(reference: string): boolean {
  return reference === "auth.users" || reference === "auth.users.id";
}

/** `WorkOrder` → `work_order`. */
export function entitySnakeName(entity: string): string {
  return snakeCase(entity);
}

/** A shared enum's PostgreSQL type name (`options.enums: "type"`): `MpaaRating` → `mpaa_rating`. */
export function enumTypeName(enumName: string): string {
  return shortenIdentifier(snakeCase(enumName));
}

/** The table of an entity: its `table`, else the snake_case plural of its name (`WorkOrder` → `work_orders`). */
export function tableNameOf(entityName: string, entity: Pick<BusmEntity, "table"> | undefined): string {
  return entity?.table ?? pluralTableName(entityName);
}

// Names are asked for again and again (every reference, every module); pluralize tries its rules'
// regular expressions one by one, so each name is derived once per process.
const pluralTableNames = new Map<string, string>();

function pluralTableName(entityName: string): string {
  let name = pluralTableNames.get(entityName);
  if (name === undefined) {
    name = pluralize(entitySnakeName(entityName));
    pluralTableNames.set(entityName, name);
  }
  return name;
}
