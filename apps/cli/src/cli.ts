/**
 * The `dbgen` command line: a command table with lazy imports (start-up stays fast), global
 * options, and one catch that turns every failure into a code, a sentence and an exit code.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { DbgenError, type Diagnostic, hasErrors } from "@dbgen/schema-core";
import { Command, CommanderError, Option } from "commander";
import { type CommandResult, type GlobalOptions, printDiagnostics, printJson } from "./output.js";

const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/** Exit codes: 0 success (warnings included), 1 a coded user error, 2 a connection or internal failure. */
export const EXIT = { ok: 0, userError: 1, failure: 2 } as const;

const FAILURE_CODES = new Set(["CONNECTION_ERROR", "INTERNAL_ERROR"]);

function exitCodeOf(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0) return EXIT.ok;
  return errors.some((d) => FAILURE_CODES.has(d.code)) ? EXIT.failure : EXIT.userError;
}

type Runner = (options: GlobalOptions) => Promise<CommandResult>;

/** Runs `argv` (without node and script) and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command("dbgen")
    .description("From a business entity model (BUSM) to concept docs, prototype migrations and a hardened Supabase schema.")
    .version(version, "-v, --version")
    .addOption(new Option("--root <dir>", "the project folder holding .pipeline/").default(process.cwd(), "the current folder"))
    .option("--json", "print one JSON object { ok, command, result, errors, warnings } on stdout", false)
    .option("--debug", "add stack traces to internal errors", false)
    .showHelpAfterError("(run dbgen --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  const run = (name: string, load: () => Promise<Runner>) => async () => {
    const raw = program.opts<{ root: string; json: boolean; debug: boolean }>();
    const options: GlobalOptions = { root: resolve(raw.root), json: raw.json, debug: raw.debug };
    let outcome: CommandResult;
    try {
      outcome = await (await load())(options);
    } catch (error) {
      if (error instanceof DbgenError) {
        outcome = { result: null, diagnostics: error.diagnostics };
      } else {
        const message = error instanceof Error ? error.message : String(error);
        outcome = {
          result: null,
          diagnostics: [{ severity: "error", code: "INTERNAL_ERROR", message: `dbgen failed unexpectedly: ${message}`, fix: "run again with --debug and report the output as a bug" }],
        };
        if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
      }
    }
    exitCode = exitCodeOf(outcome.diagnostics);
    if (options.json) {
      printJson(name, !hasErrors(outcome.diagnostics), outcome.result, outcome.diagnostics);
    } else {
      printDiagnostics(outcome.diagnostics);
      for (const line of outcome.lines ?? []) process.stdout.write(`${line}\n`);
    }
  };

  program
    .command("validate")
    .description("check the BUSM and every module file; print every error and warning with its place")
    .action(run("validate", async () => (await import("./commands/validate.js")).validateCommand));
  program
    .command("all")
    .description("the whole pipeline for .pipeline/ (what `pnpm generate` runs); touches no persistent database")
    .action(run("all", async () => (await import("./commands/all.js")).allCommand));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; a usage error is the user's, exit 1.
      return error.exitCode === 0 ? EXIT.ok : EXIT.userError;
    }
    throw error;
  }
  return exitCode;
}
