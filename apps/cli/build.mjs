// The CLI as users run it: one ESM bundle (esbuild) with a chunk per lazily imported command, so a
// command loads only its own code. Run after `tsc` (which still emits dist/index.js and the types
// for the library entry); this overwrites dist/bin.js.
//
// Kept out of the bundle: packages that find files beside themselves at run time (WASM, binaries,
// Mermaid's bundle) or load drivers by name — they are resolved from node_modules as before.
import { rm } from "node:fs/promises";
import { build } from "esbuild";

const EXTERNAL = [
  "@dbgen/db",
  "@dbgen/concept-docs",
  "libpg-query",
  "squawk-cli",
  "knex",
  "pg",
  "@electric-sql/pglite",
  "mysql2",
  "sql.js",
  "playwright-core",
];

await rm(new URL("./dist/chunks", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { bin: "src/bin.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // ESM builds first: some packages ship a UMD "main" whose require() calls esbuild cannot follow.
  mainFields: ["module", "main"],
  target: "node20",
  chunkNames: "chunks/[name]-[hash]",
  external: EXTERNAL,
  // CommonJS dependencies (commander, ajv…) call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __dbgenRequire } from "node:module"; const require = __dbgenRequire(import.meta.url);',
  },
  legalComments: "none",
  // Less to parse at every start; names kept, so --debug stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
