/**
 * Errors and warnings are part of the product: each has a code, the place it concerns and a fix.
 */

export const ERROR_CODES = [
  "PARSE_ERROR",
  "DUPLICATE_KEY",
  "UNKNOWN_TYPE",
  "INVALID_NAME",
  "DUPLICATE_COLUMN",
  "DUPLICATE_TABLE",
  "MISSING_PRIMARY_KEY",
  "INVALID_FOREIGN_KEY",
  "UNKNOWN_FIELD",
  "INVALID_CONFIG",
  "INVALID_ITERATION",
  "DESTRUCTIVE_CHANGE",
  "MERGE_CONFLICT",
  "CHECKSUM_MISMATCH",
  "MIGRATION_FAILED",
  "ACCESS_TEST_FAILED",
  "CONNECTION_ERROR",
  "CONFIRMATION_REQUIRED",
  "INVALID_SNAPSHOT",
  "INVALID_EXPRESSION",
  "INVALID_TABLE_NAME",
  "LOCKED",
  "RESERVED_COLUMN",
  "WRITE_FAILED",
  "INTERNAL_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const WARNING_CODES = [
  "RESERVED_KEYWORD",
  "TYPE_MISMATCH",
  "MISSING_ENTITY",
  "CIRCULAR_REFERENCE",
  "NO_ACCESS_MODE",
  "WIDER_ACCESS",
  "OPEN_PROTOTYPE",
  "NEEDS_BACKFILL",
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly code: ErrorCode | WarningCode;
  readonly message: string;
  /** How to fix it, as a sentence. */
  readonly fix?: string;
  /** The file concerned, relative to the project root when known. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** Where in the document: `entities.Account.fields.name.type`, or `table.column` for a schema. */
  readonly path?: string;
}

/** An error carrying one or more diagnostics; the CLI turns it into messages and an exit code. */
/** Marks a DbgenError from any copy of this module (a bundle and node_modules may each hold one). */
const BRAND = Symbol.for("dbgen.DbgenError");

export class DbgenError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  readonly [BRAND] = true;
  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    super(first ? `${first.code}: ${first.message}` : "dbgen error");
    this.name = "DbgenError";
    this.diagnostics = diagnostics;
  }
  /**
   * `instanceof` by brand, not by identity: the CLI's bundle holds its own copy of this class, and the
   * packages it loads from node_modules (`@dbgen/db`) throw theirs.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
  get code(): string {
    return this.diagnostics[0]?.code ?? "INTERNAL_ERROR";
  }
}

/**
 * The spec's one-line format: `error CODE file:line path — sentence. Fix: …`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.file ? `${escapeControl(d.file)}${d.line !== undefined ? `:${d.line}` : ""}` : "";
  const head = [d.severity, d.code, place, escapeControl(d.path ?? "")].filter((part) => part !== "").join(" ");
  const message = escapeControl(d.message);
  const sentence = message.endsWith(".") ? message : `${message}.`;
  return `${head} — ${sentence}${d.fix ? ` Fix: ${escapeControl(d.fix)}` : ""}`;
}

/**
 * Control characters from the input (a name with a newline, an ANSI escape) shown as escapes, so a
 * diagnostic stays one line and cannot repaint the terminal.
 */
export function escapeControl(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** Where a diagnostic points: the file (relative to the project root), its line, the path inside it. */
export type Place = Pick<Diagnostic, "file" | "line" | "path">;

/**
 * A user's error, the one way to make one: its code, what is wrong, how to fix it and, when known,
 * where. Throw it; the CLI prints it in the spec's format and exits 1.
 */
export function userError(code: ErrorCode, message: string, fix: string, place: Place = {}): DbgenError {
  const at = Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) as Place;
  return new DbgenError([{ severity: "error", code, message, fix, ...at }]);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
