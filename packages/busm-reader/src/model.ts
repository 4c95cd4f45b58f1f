/** The BUSM v1 and module documents as TypeScript types (what the JSON Schemas accept). */
import type { ReferentialAction } from "@dbgen/schema-core";

export type FieldDefault = string | number | boolean | { readonly sql: string };

export interface BusmField {
  readonly type: string;
  readonly required?: boolean;
  readonly primaryKey?: boolean;
  readonly unique?: boolean;
  readonly default?: FieldDefault;
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly values?: readonly string[];
  readonly enum?: string;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly references?: string;
  readonly onDelete?: ReferentialAction;
  readonly description?: string;
  readonly renamedFrom?: string;
}

export type { AccessMode } from "@dbgen/schema-core";

import type { AccessMode } from "@dbgen/schema-core";

export interface BusmEntity {
  readonly description?: string;
  readonly table?: string;
  readonly fields: Readonly<Record<string, BusmField>>;
  readonly indexes?: readonly {
    readonly name?: string;
    readonly fields: readonly string[];
    readonly unique?: boolean;
    readonly where?: string;
  }[];
  readonly unique?: readonly (readonly string[])[];
  readonly access?: {
    readonly mode: AccessMode;
    readonly column?: string;
    readonly claim?: string;
    /** `parent` mode: the reference field whose row decides. */
    readonly via?: string;
  };
}

export type RelationshipType = "many-to-one" | "one-to-one" | "many-to-many";

export interface BusmRelationship {
  readonly from: string;
  readonly to: string;
  readonly type: RelationshipType;
  readonly field?: string;
  readonly through?: string;
  readonly onDelete?: ReferentialAction;
  readonly description?: string;
}

export interface BusmModel {
  readonly busm: "1";
  readonly name?: string;
  readonly description?: string;
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  readonly entities: Readonly<Record<string, BusmEntity>>;
  readonly relationships?: readonly BusmRelationship[];
}

/** A module field entry: a BUSM field name, or `{ name: type }` for a field the BUSM lacks or a type override. */
/**
 * A module's way to say more of one field than its name: `{ type?, backfill? }`. `backfill` (an
 * expression, the rules of defaults) fills the rows a table already holds when this iteration makes
 * the field required there — the prototype's answer to "a required field on a table with rows".
 */
interface ModuleFieldSpec {
  readonly type?: string;
  readonly backfill?: string;
}

/** `name`, `{ name: type }` or `{ name: { type?, backfill? } }`. */
export type ModuleFieldEntry = string | Readonly<Record<string, string | ModuleFieldSpec>>;

export interface ModuleConfig {
  readonly module: string;
  readonly phase: number;
  readonly iteration?: number;
  readonly description?: string;
  readonly entities: readonly string[];
  readonly fields?: Readonly<Record<string, readonly ModuleFieldEntry[]>>;
  readonly relationships?: readonly BusmRelationship[];
}
