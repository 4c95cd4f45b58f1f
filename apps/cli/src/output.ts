/**
 * How the CLI speaks: diagnostics to stderr in the spec's format (colour on a terminal), or one
 * JSON object on stdout with `--json`.
 */

import type { CommandResult, RunContext } from "@dbgen/pipeline";
import { type Diagnostic, formatDiagnostic } from "@dbgen/schema-core/diagnostics";
import pc from "picocolors";

export type { CommandResult };

/**
 * A command's context as the CLI gives it: progress and early warnings on stderr (silent with
 * --json, whose stdout is one object); `step` a spinner on a terminal, one plain line otherwise (CI).
 */
export interface GlobalOptions extends RunContext {
  readonly json: boolean;
  readonly debug: boolean;
}

/** `step` for a terminal (a @clack/prompts spinner), for plain output, or for --json. */
export function stepRunner(json: boolean, stream: NodeJS.WriteStream = process.stderr): GlobalOptions["step"] {
  if (json) return (_label, work) => work();
  if (!stream.isTTY)
    return (label, work) => {
      stream.write(`${label}…\n`);
      return work();
    };
  return async (label, work) => {
    const { spinner } = await import("@clack/prompts");
    const spin = spinner({ output: stream, withGuide: false });
    spin.start(label);
    try {
      const result = await work();
      spin.stop(`✓ ${label}`);
      return result;
    } catch (error) {
      spin.error(`✗ ${label}`);
      throw error;
    }
  };
}

/**
 * The CLI's y/N question: a @clack/prompts prompt (arrow keys or y/n, Ctrl-C cancels), loaded only when
 * asked; undefined without a terminal on both ends, so the command refuses instead of waiting.
 */
export async function askOnTerminal(question: string): Promise<boolean | undefined> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const { confirm, isCancel } = await import("@clack/prompts");
  const answer = await confirm({ message: question, initialValue: false });
  return !isCancel(answer) && answer === true;
}

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  stream: NodeJS.WriteStream = process.stderr,
): void {
  const colour = stream.isTTY === true;
  for (const d of diagnostics) {
    const line = formatDiagnostic(d);
    stream.write(`${colour ? (d.severity === "error" ? pc.red(line) : pc.yellow(line)) : line}\n`);
  }
}

export function printJson(command: string, ok: boolean, result: unknown, diagnostics: readonly Diagnostic[]): void {
  const strip = (d: Diagnostic) => {
    const { severity: _severity, ...rest } = d;
    return rest;
  };
  const payload = {
    ok,
    command,
    result: result ?? null,
    errors: diagnostics.filter((d) => d.severity === "error").map(strip),
    warnings: diagnostics.filter((d) => d.severity === "warning").map(strip),
  };
  process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
}
