/** What the merger reads, decides and reports. */
import type { Column, Schema, SqlType } from "@dbgen/schema-core";

/** A module's latest prototype state. */
export interface ModuleState {
  readonly module: string;
  readonly iteration: number;
  readonly schema: Schema;
  /** The state file, for messages. */
  readonly file?: string;
}

/** A person's decision for a conflict, from the resolutions file. */
export interface Resolution {
  readonly table: string;
  readonly column: string;
  readonly type: SqlType;
  readonly nullable?: boolean;
  readonly reason?: string;
}

/** The rules, by the names the report uses. */
export type RuleName =
  | "widen-varchar"
  | "widen-integer"
  | "varchar-to-text"
  | "widen-numeric"
  | "busm-nullability"
  | "busm-default"
  | "module-only-nullable"
  | "module-only-default-dropped"
  | "same-key-other-name"
  | "resolution-file"
  | "busm-type";

export interface RuleApplication {
  readonly rule: RuleName;
  readonly table: string;
  readonly column?: string;
  readonly modules: readonly string[];
  /** What each module had and what the merge chose, in words. */
  readonly detail: string;
}

export interface Conflict {
  readonly kind: "incompatible-type" | "module-only-type" | "primary-key";
  readonly table: string;
  readonly column?: string;
  /** Every module involved and what it says. */
  readonly modules: readonly { readonly module: string; readonly value: string }[];
}

/** Where a merged column comes from: the modules that have it, or completion from the BUSM. */
export type ColumnSources = readonly string[] | "completion";

export interface MergedColumnInfo {
  readonly column: Column;
  readonly sources: ColumnSources;
}

/** Why a table is in the merged schema. */
export type TableOrigin = "modules" | "closure" | "join-table";
