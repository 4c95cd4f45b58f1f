/**
 * Migration-safety findings (`dbgen lint`): squawk is the engine — a PostgreSQL-grammar linter made
 * for migrations (locks, transactions, timeouts, data-dependent steps), shipped as a binary inside its
 * npm package, with machine-readable output and a documented rule for each finding — plus dbgen's own
 * check that a file which must run outside a transaction holds nothing else.
 *
 * How a file runs decides how it is read: a file with a `CONCURRENTLY` index statement runs outside a
 * transaction (dbgen apply and the Supabase CLI both do so), every other file inside one.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isConcurrentStatement, runsOutsideTransaction, splitStatements } from "@dbgen/db";

export interface LintFile {
  /** As printed: relative to the project root or the current folder. */
  readonly path: string;
  /** Where it is on disk. */
  readonly absolute: string;
  readonly sql: string;
}

export interface Finding {
  readonly rule: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly fix: string;
  readonly url: string;
}

/**
 * Style rules dbgen's own output does not follow, on purpose (docs/production.md says why). Lock,
 * transaction and timeout rules are never on this list. `--all-rules` reports these too.
 */
const STYLE_RULES_NOT_FOLLOWED: Readonly<Record<string, string>> = {
  "prefer-text-field":
    "the model's maxLength becomes varchar(n), the database's own length check; changing it later is a metadata-only change when it widens",
  "prefer-bigint-over-int":
    "an integer field is what the model asked for, and Supabase's generated types read int4 as number exactly",
  "prefer-bigint-over-smallint": "a smallint field is what the model asked for (a year, a rental duration)",
  "prefer-timestamp-tz":
    "a timestamp field is what the model asked for (a film's last_update, a local opening time); datetime gives timestamptz",
};

/** dbgen's own rule: a non-transactional file holds its one concurrent statement and SETs, nothing else. */
function concurrentAlone(file: LintFile): Finding[] {
  if (!runsOutsideTransaction(file.sql)) return [];
  const others = splitStatements(file.sql).filter((s) => !/^SET\s/i.test(s));
  if (others.length <= 1) return [];
  const line = file.sql.split("\n").findIndex((l) => isConcurrentStatement(l)) + 1;
  return [
    {
      rule: "dbgen-concurrent-alone",
      file: file.path,
      line: Math.max(line, 1),
      column: 1,
      severity: "error",
      message: `a CONCURRENTLY statement runs outside a transaction, but this file holds ${others.length - 1} other statement(s): a failure half-way leaves them applied`,
      fix: "move each CONCURRENTLY statement into its own migration file, with only SET statements beside it",
      url: "https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY",
    },
  ];
}

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  level: string;
  message: string;
  help: string | null;
  rule_name: string;
}

function squawkBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("squawk-cli/package.json")), "js", "bin", "squawk");
}

/** Runs squawk over `files` (all read the same way: inside a transaction, or not). */
async function squawk(files: readonly LintFile[], inTransaction: boolean, allRules: boolean): Promise<Finding[]> {
  if (files.length === 0) return [];
  const args = [squawkBinary(), "--reporter", "json", "--pg-version", "15.0", "--no-error-on-unmatched-pattern"];
  args.push(inTransaction ? "--assume-in-transaction" : "--no-assume-in-transaction");
  if (!allRules) args.push(`--exclude=${Object.keys(STYLE_RULES_NOT_FOLLOWED).join(",")}`);
  args.push(...files.map((f) => f.absolute));
  const output = await new Promise<string>((resolveOutput, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      // squawk exits 1 when it found something; anything else without JSON is its own failure.
      if (out.trim().startsWith("[")) resolveOutput(out);
      else reject(new Error(`squawk failed (exit ${code}): ${err.trim() || out.trim()}`));
    });
  });
  const byAbsolute = new Map(files.map((f) => [f.absolute, f.path]));
  return (JSON.parse(output) as SquawkViolation[]).map((v) => ({
    rule: v.rule_name,
    file: byAbsolute.get(v.file) ?? v.file,
    // squawk's JSON counts lines and columns from 0.
    line: v.line + 1,
    column: v.column + 1,
    severity: v.level.toLowerCase() === "error" ? "error" : "warning",
    message: v.message,
    fix: v.help ?? "see the rule's page",
    url: `https://squawkhq.com/docs/${v.rule_name}`,
  }));
}

/** Every finding for `files`, in file then line order. */
export async function lintFiles(files: readonly LintFile[], options: { allRules?: boolean } = {}): Promise<Finding[]> {
  const outside = files.filter((f) => runsOutsideTransaction(f.sql));
  const inside = files.filter((f) => !runsOutsideTransaction(f.sql));
  const allRules = options.allRules === true;
  const findings = [
    ...(await squawk(inside, true, allRules)),
    ...(await squawk(outside, false, allRules)),
    ...files.flatMap(concurrentAlone),
  ];
  const order = new Map(files.map((f, i) => [f.path, i]));
  return findings.sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column,
  );
}
