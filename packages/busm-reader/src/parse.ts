/**
 * Parsing the two input formats into plain values plus a locator that turns a document path into a
 * line, so every later error can name the file, the line and the path. Pure: text in, values out.
 */
import { type Diagnostic, suggestFix } from "@dbgen/schema-core";
import type { ErrorObject, ValidateFunction } from "ajv";
import {
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from "jsonc-parser";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { BusmModel, ModuleConfig } from "./model.js";
import * as generated from "./validators.generated.js";

export type DocPath = readonly (string | number)[];

/** Turns a path inside a parsed document into a 1-based line (the nearest existing ancestor's line). */
export interface Locator {
  readonly file: string;
  lineOf(path: DocPath): number | undefined;
}

export interface Parsed<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
  readonly locator: Locator;
}

/** `entities.Account.fields.name`, the way errors print a path. */
export function formatPath(path: DocPath): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : p))
    .join(".")
    .replaceAll(".[", "[");
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function diagnosticAt(
  locator: Locator,
  path: DocPath,
  code: Diagnostic["code"],
  message: string,
  fix: string,
  severity: Diagnostic["severity"] = "error",
): Diagnostic {
  const line = locator.lineOf(path);
  return {
    severity,
    code,
    message,
    fix,
    file: locator.file,
    ...(line !== undefined ? { line } : {}),
    ...(path.length > 0 ? { path: formatPath(path) } : {}),
  };
}

// Compiled ahead of time (ajv standalone, `pnpm validators:generate`): no schema is compiled at start-up.
const validateBusmDocument = generated.validateBusmDocument as unknown as ValidateFunction;
const validateModuleDocument = generated.validateModuleDocument as unknown as ValidateFunction;

/** The value at `path` in a parsed document. */
function valueAt(document: unknown, path: readonly (string | number)[]): unknown {
  let value = document;
  for (const key of path)
    value = value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[key] : undefined;
  return value;
}

function schemaDiagnostics(
  errors: readonly ErrorObject[] | null | undefined,
  locator: Locator,
  document?: unknown,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // anyOf reports each branch and then itself: keep the summary only.
    if (e.schemaPath.includes("/anyOf/")) continue;
    const path: (string | number)[] = e.instancePath
      .split("/")
      .slice(1)
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let message = `${formatPath(path) || "the document"} ${e.message ?? "is invalid"}`;
    if (e.keyword === "additionalProperties") {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      path.push(key);
      message = `Unknown property "${key}"`;
    }
    let fix = "correct it as docs/formats.md describes";
    if (e.keyword === "enum") {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      message = `${formatPath(path)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
      fix = suggestFix(String(valueAt(document, path)), allowed, fix);
    }
    const key = `${formatPath(path)}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnosticAt(locator, path, "INVALID_CONFIG", message, fix));
  }
  return out;
}

function jsonLocator(file: string, tree: () => JsonNode | undefined, starts: readonly number[]): Locator {
  return {
    file,
    lineOf(path) {
      const root = tree();
      if (!root) return undefined;
      for (let n = path.length; n >= 0; n--) {
        const node = findNodeAtLocation(root, [...path.slice(0, n)]);
        if (node) return lineAt(starts, node.parent?.type === "property" ? node.parent.offset : node.offset);
      }
      return undefined;
    },
  };
}

/** Parses and schema-checks `busm-model.json`: strict JSON, no duplicate keys. */
/** Deeper than any model needs: refused before parsing, so no input can exhaust the stack. */
const MAX_NESTING = 64;

/** The first offset where brackets nest deeper than `max`, outside strings. */
function tooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return undefined;
}

export function parseBusm(text: string, file: string): Parsed<BusmModel> {
  const starts = lineStarts(text);
  const deep = tooDeep(text, MAX_NESTING);
  if (deep !== undefined) {
    return {
      diagnostics: [
        {
          severity: "error",
          code: "PARSE_ERROR",
          file,
          line: lineAt(starts, deep),
          message: `The JSON nests deeper than ${MAX_NESTING} levels`,
          fix: "a BUSM is a few levels deep: check the file's structure",
        },
      ],
      locator: { file, lineOf: () => undefined },
    };
  }
  const errors: ParseError[] = [];
  const dups: { path: (string | number)[]; offset: number }[] = [];
  // One streaming pass finds syntax errors and duplicate keys without building a tree; the tree
  // (for lines of later errors) is built only if a diagnostic needs one. On models of thousands
  // of entities the tree is most of the time and memory of reading.
  const keys: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        keys.push(new Set());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty: (property, offset, _length, _line, _column, pathSupplier) => {
        const seen = keys.at(-1);
        if (seen?.has(property)) dups.push({ path: [...pathSupplier(), property], offset });
        seen?.add(property);
      },
      onError: (error, offset, length) => {
        errors.push({ error, offset, length });
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  let tree: JsonNode | undefined | null = null;
  const lazyTree = (): JsonNode | undefined => {
    if (tree === null) tree = parseTree(text);
    return tree;
  };
  const locator = jsonLocator(file, lazyTree, starts);
  if (errors.length > 0 || text.trim() === "") {
    const diagnostics = errors.map(
      (e): Diagnostic => ({
        severity: "error",
        code: "PARSE_ERROR",
        file,
        line: lineAt(starts, e.offset),
        message: `Malformed JSON: ${printParseErrorCode(e.error)} at column ${e.offset - (starts[lineAt(starts, e.offset) - 1] ?? 0) + 1}`,
        fix: "make the file valid JSON (no comments, no trailing commas)",
      }),
    );
    if (diagnostics.length === 0)
      diagnostics.push({
        severity: "error",
        code: "PARSE_ERROR",
        file,
        message: "The file is empty",
        fix: "write a BUSM model object",
      });
    return { diagnostics: diagnostics.slice(0, 1), locator };
  }
  if (dups.length > 0) {
    return {
      diagnostics: dups.map(
        (d): Diagnostic => ({
          severity: "error",
          code: "DUPLICATE_KEY",
          file,
          line: lineAt(starts, d.offset),
          path: formatPath(d.path),
          message: `Key "${String(d.path[d.path.length - 1])}" appears twice in the same object`,
          fix: "remove or rename one of them (JSON keeps only the last)",
        }),
      ),
      locator,
    };
  }
  const value: unknown = JSON.parse(text);
  if (!validateBusmDocument(value))
    return { diagnostics: schemaDiagnostics(validateBusmDocument.errors, locator, value), locator };
  return { value: value as BusmModel, diagnostics: [], locator };
}

/** Parses and schema-checks a module YAML file; duplicate keys are errors. */
export function parseModule(text: string, file: string): Parsed<ModuleConfig> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const locator: Locator = {
    file,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
          return lineCounter.linePos(node.range[0] as number).line;
        }
      }
      return undefined;
    },
  };
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e): Diagnostic => {
        const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
        return e.code === "DUPLICATE_KEY"
          ? {
              severity: "error",
              code: "DUPLICATE_KEY",
              file,
              line,
              message: "A key appears twice in the same mapping",
              fix: "remove or rename one of them",
            }
          : {
              severity: "error",
              code: "PARSE_ERROR",
              file,
              line,
              message: `Malformed YAML: ${e.message.split("\n")[0] ?? e.code}`,
              fix: "correct the YAML syntax",
            };
      }),
      locator,
    };
  }
  if (!isMap(doc.contents) && !(isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      diagnostics: [
        {
          severity: "error",
          code: "PARSE_ERROR",
          file,
          line: 1,
          message: "A module file must be a YAML mapping",
          fix: "start with `module: name`",
        },
      ],
      locator,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // e.g. an alias bomb: the yaml library refuses excessive alias expansion.
    return {
      diagnostics: [
        {
          severity: "error",
          code: "PARSE_ERROR",
          file,
          line: 1,
          message: `The YAML cannot be read safely: ${(error as Error).message}`,
          fix: "write the module without YAML anchors and aliases",
        },
      ],
      locator,
    };
  }
  if (!validateModuleDocument(value))
    return { diagnostics: schemaDiagnostics(validateModuleDocument.errors, locator, value), locator };
  return { value: value as ModuleConfig, diagnostics: [], locator };
}
