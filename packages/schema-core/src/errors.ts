/**
 * `@dbgen/schema-core/diagnostics`: the error type, its format and "did you mean …?" alone, for code
 * that must start fast (the CLI's entry loads this, not the whole IR, renderers and diff).
 */
export { DbgenError, type Diagnostic, formatDiagnostic, hasErrors, userError } from "./diagnostics.js";
export { suggestFix } from "./suggest.js";
