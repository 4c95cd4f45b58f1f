/**
 * What a command needs from the front end running it (the CLI, the panel): the project folder, and how
 * to show progress and early warnings. What it gives back: its typed result and its diagnostics — data,
 * never text: the CLI renders it as words or JSON, the panel as its page.
 */
import type { Diagnostic } from "@dbgen/schema-core";

export interface RunContext {
  readonly root: string;
  /** Shows a step as it happens (the CLI is silent with --json, whose stdout is one object). */
  readonly progress: (line: string) => void;
  /**
   * Shows warnings now, before the command writes or applies anything, rather than at its end. The
   * command still returns them in its diagnostics.
   */
  readonly warnNow: (diagnostics: readonly Diagnostic[]) => void;
  /**
   * Tells what happened beside the command's own work: a write a crash interrupted, completed or
   * undone before the command read anything (the CLI says it on stderr).
   */
  readonly notice: (line: string) => void;
  /** Runs something that takes a second or more, the front end showing it as it likes. */
  readonly step: <T>(label: string, work: () => Promise<T>) => Promise<T>;
  /**
   * Asks the person running the command a yes/no question (the CLI's y/N prompt on a terminal).
   * Absent, or resolving to undefined when nobody can be asked: the command refuses rather than waits.
   */
  readonly confirm?: (question: string) => Promise<boolean | undefined>;
}

/** What a command gives back: `result` is its data, as --json prints it and the front ends render it. */
export interface CommandResult<T = unknown> {
  readonly result: T;
  readonly diagnostics: readonly Diagnostic[];
  /** An exit code the command chose for a successful run (`status --exit-code`); errors decide otherwise. */
  readonly exitCode?: number;
}
