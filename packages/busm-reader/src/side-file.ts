/**
 * The project's small YAML side files (merge resolutions, production backfills): one way to parse
 * them, check them against their JSON Schema, and report what is wrong as coded diagnostics.
 */
import { DbgenError, type Diagnostic } from "@dbgen/schema-core";
import type { ValidateFunction } from "ajv";
import { type Document, LineCounter, parseDocument } from "yaml";

export interface SideFile<T> {
  readonly value: T;
  readonly document: Document;
  /** The 1-based line of a node of the document, for later checks of its values. */
  lineOf(path: readonly (string | number)[]): number;
}

/**
 * Parses `text` (strict YAML, no duplicate keys) and checks it with `validate`; throws PARSE_ERROR,
 * DUPLICATE_KEY or INVALID_CONFIG naming the file, with `docs` (where the format is described) as the fix.
 */
export function parseSideFile<T>(text: string, file: string, validate: ValidateFunction, docs: string): SideFile<T> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new DbgenError(
      document.errors.map(
        (e): Diagnostic => ({
          severity: "error",
          code: e.code === "DUPLICATE_KEY" ? "DUPLICATE_KEY" : "PARSE_ERROR",
          file,
          line: e.linePos?.[0]?.line ?? 1,
          message: e.message.split("\n")[0] ?? e.code,
          fix: "correct the YAML",
        }),
      ),
    );
  }
  const value: unknown = document.toJS() ?? {};
  if (!validate(value)) {
    throw new DbgenError(
      (validate.errors ?? []).map(
        (e): Diagnostic => ({
          severity: "error",
          code: "INVALID_CONFIG",
          file,
          path: e.instancePath.split("/").slice(1).join("."),
          message: `${e.instancePath || "the file"} ${e.message ?? "is invalid"}`,
          fix: `see ${docs} for the format`,
        }),
      ),
    );
  }
  return {
    value: value as T,
    document,
    lineOf(path) {
      const node = document.getIn(path, true) as { range?: [number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
    },
  };
}
