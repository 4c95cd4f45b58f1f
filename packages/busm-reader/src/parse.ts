/**
 * Parsing the two input formats into plain values plus a locator that turns a document path into a
 * line, so every later error can name the file, the line and the path. Pure: text in, values out.
 */
import { type Diagnostic, suggestFix } from "@dbgen/schema-core";
import type { ErrorObject, ValidateFunction } from "ajv";
import { FAILSAFE_SCHEMA, load as loadYaml, Type } from "js-yaml";
import {
  findNodeAtLocation,
  type Node as JsonNode,
  type ParseError,
  parseTree,
  printParseErrorCode,
  visit,
} from "jsonc-parser";
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
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

/** A problem found in a document: where (a path from its root), what, and how to fix it. */
export interface Problem {
  readonly path: DocPath;
  readonly code: Diagnostic["code"];
  readonly message: string;
  readonly fix: string;
  readonly severity?: Diagnostic["severity"];
}

/** Problems as diagnostics, each at its line (an error unless it says otherwise). */
export function diagnosticsOf(locator: Locator, problems: readonly Problem[]): Diagnostic[] {
  return problems.map((p) => diagnosticAt(locator, p.path, p.code, p.message, p.fix, p.severity ?? "error"));
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

function jsonLocator(file: string, tree: () => JsonNode | undefined, starts: () => readonly number[]): Locator {
  return {
    file,
    lineOf(path) {
      const root = tree();
      if (!root) return undefined;
      for (let n = path.length; n >= 0; n--) {
        const node = findNodeAtLocation(root, [...path.slice(0, n)]);
        if (node) return lineAt(starts(), node.parent?.type === "property" ? node.parent.offset : node.offset);
      }
      return undefined;
    },
  };
}

/** Deeper than any model needs: refused before parsing, so no input can exhaust the stack. */
const MAX_NESTING = 64;

/**
 * One pass outside strings: the first offset where brackets nest deeper than `max`, and the number
 * of `:` — in valid JSON, one per property written.
 */
function scanJson(text: string, max: number): { readonly tooDeepAt?: number; readonly properties: number } {
  let depth = 0;
  let properties = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 58) properties++;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) return { tooDeepAt: i, properties };
    } else if (c === 125 || c === 93) depth--;
  }
  return { properties };
}

/** The number of properties the parsed value holds (a duplicate key leaves one fewer than written). */
function countProperties(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countProperties(v), 0);
  let n = 0;
  for (const key of Object.keys(value)) n += 1 + countProperties((value as Record<string, unknown>)[key]);
  return n;
}

/**
 * The BUSM by the engine's own JSON.parse, when that answer is the whole answer: the text is valid
 * JSON and every property written is a property held (no duplicate key). Undefined otherwise, and the
 * full reader finds and places what is wrong.
 */
function quickJson(text: string, properties: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return countProperties(value) === properties ? value : undefined;
}

/** Parses and schema-checks `busm-model.json`: strict JSON, no duplicate keys. */
export function parseBusm(text: string, file: string): Parsed<BusmModel> {
  const scan = scanJson(text, MAX_NESTING);
  const value = scan.tooDeepAt === undefined ? quickJson(text, scan.properties) : undefined;
  if (value === undefined) return parseBusmFully(text, file, scan.tooDeepAt);
  let starts: readonly number[] | undefined;
  let tree: JsonNode | undefined | null = null;
  const locator = jsonLocator(
    file,
    () => {
      if (tree === null) tree = parseTree(text);
      return tree;
    },
    () => {
      starts ??= lineStarts(text);
      return starts;
    },
  );
  if (!validateBusmDocument(value))
    return { diagnostics: schemaDiagnostics(validateBusmDocument.errors, locator, value), locator };
  return { value: value as BusmModel, diagnostics: [], locator };
}

/** The full reader: syntax errors and duplicate keys found and placed (the reference quickJson is tested against). */
export function parseBusmFully(
  text: string,
  file: string,
  deep = scanJson(text, MAX_NESTING).tooDeepAt,
): Parsed<BusmModel> {
  const starts = lineStarts(text);
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
  const locator = jsonLocator(file, lazyTree, () => starts);
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

/**
 * The first offset where flow collections (`[`, `{`) nest deeper than `max`, outside quotes and
 * comments. Both YAML readers recurse per level: past a few thousand they overflow the stack, and the
 * `yaml` library then reports a varying number of errors. A plain scan, wrong only in favour of
 * reading (an apostrophe in plain text hides brackets after it).
 */
function flowTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) <= 32)) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

function tooDeepModule(text: string, file: string, offset: number): Parsed<ModuleConfig> {
  return {
    diagnostics: [
      {
        severity: "error",
        code: "PARSE_ERROR",
        file,
        line: lineAt(lineStarts(text), offset),
        message: `The YAML nests deeper than ${MAX_NESTING} levels`,
        fix: "a module file is a few levels deep: check the file's brackets",
      },
    ],
    locator: { file, lineOf: () => undefined },
  };
}

/** The `yaml` library's reading of a module file, with the line of every node. */
function parseModuleDocument(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  return { doc, lineCounter };
}

function yamlLocator(file: string, read: () => ReturnType<typeof parseModuleDocument>): Locator {
  return {
    file,
    lineOf(path) {
      const { doc, lineCounter } = read();
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
          return lineCounter.linePos(node.range[0] as number).line;
        }
      }
      return undefined;
    },
  };
}

/** A YAML 1.2 core scalar type for js-yaml, resolved exactly as the `yaml` library's core schema does. */
const coreScalar = (tag: string, test: RegExp, construct: (text: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (text: string | null) => test.test(text ?? ""),
    construct: (text: string | null) => construct(text ?? ""),
  });

/** The `yaml` library's core schema (its dist/schema/core and common/null), for js-yaml. */
const YAML_CORE = FAILSAFE_SCHEMA.extend({
  implicit: [
    coreScalar("null", /^(?:~|[Nn]ull|NULL)?$/, () => null),
    coreScalar("bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === "t" || text[0] === "T"),
    coreScalar("int", /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith("0o")
        ? Number.parseInt(text.slice(2), 8)
        : text.startsWith("0x")
          ? Number.parseInt(text.slice(2), 16)
          : Number.parseInt(text, 10),
    ),
    coreScalar(
      "float",
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (text) =>
        text.slice(-3).toLowerCase() === "nan"
          ? Number.NaN
          : /inf$/i.test(text)
            ? text[0] === "-"
              ? Number.NEGATIVE_INFINITY
              : Number.POSITIVE_INFINITY
            : Number.parseFloat(text),
    ),
  ],
});

/**
 * True when only the full reader's answer will do: one object at two places (a YAML alias), or a
 * key the two readers print differently (null, numbers: never names a module uses).
 */
function needsFullReader(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== "object") return false;
  if (seen.has(value)) return true;
  seen.add(value);
  if (!Array.isArray(value) && Object.keys(value).some((key) => key === "null" || /^[-+.\d]/.test(key))) return true;
  return Object.values(value).some((v) => needsFullReader(v, seen));
}

// `? key` or a `]`/`}` closing a key: linear in the text (no backtracking over a line), and broad on
// purpose — a false match only sends a file to the full reader.
const COLLECTION_KEY = /^[ \t-]*\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)/m;

/**
 * A module file read by js-yaml with the `yaml` library's own core schema, about 6× faster on a cold
 * start; undefined whenever the answer could differ from the full reader's — any error, an alias, a
 * key that is a collection, null or a number, a document that is no mapping — so those cases keep
 * its messages exactly (module-yaml.test.ts holds the two to the same values).
 */
export function quickModuleValue(text: string): Record<string, unknown> | undefined {
  // A key that is itself a sequence or mapping (`? [a, b]`, `[a, b]: x`) is printed differently by the
  // two readers; such files (never valid modules) take the full reader.
  if (COLLECTION_KEY.test(text)) return undefined;
  try {
    const value: unknown = loadYaml(text, { schema: YAML_CORE });
    const mapping = value !== null && typeof value === "object" && !Array.isArray(value);
    return mapping && !needsFullReader(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses and schema-checks a module YAML file; duplicate keys are errors. Lines are found by the
 * `yaml` library, read only when a diagnostic needs one.
 */
export function parseModule(text: string, file: string): Parsed<ModuleConfig> {
  const deep = flowTooDeep(text, MAX_NESTING);
  if (deep !== undefined) return tooDeepModule(text, file, deep);
  const quick = quickModuleValue(text);
  if (quick === undefined) return readModuleWithYaml(text, file);
  let full: ReturnType<typeof parseModuleDocument> | undefined;
  const locator = yamlLocator(file, () => {
    full ??= parseModuleDocument(text);
    return full;
  });
  // A document the schema refuses is read again by the full reader, so its errors read exactly as before.
  if (!validateModuleDocument(quick)) return readModuleWithYaml(text, file);
  return { value: quick as unknown as ModuleConfig, diagnostics: [], locator };
}

/** The `yaml` library alone: the reference the quick reader is tested against. */
export function parseModuleFully(text: string, file: string): Parsed<ModuleConfig> {
  const deep = flowTooDeep(text, MAX_NESTING);
  return deep === undefined ? readModuleWithYaml(text, file) : tooDeepModule(text, file, deep);
}

/** The `yaml` library's reading and checks of a text already known not to nest too deep. */
function readModuleWithYaml(text: string, file: string): Parsed<ModuleConfig> {
  const { doc, lineCounter } = parseModuleDocument(text);
  const locator = yamlLocator(file, () => ({ doc, lineCounter }));
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
