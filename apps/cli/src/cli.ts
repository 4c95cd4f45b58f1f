/**
 * The `dbgen` command line: a command table with lazy imports (start-up stays fast), global
 * options, and one catch that turns every failure into a code, a sentence and an exit code.
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { DbgenError, type Diagnostic, hasErrors, suggestFix, userError } from "@dbgen/schema-core/diagnostics";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  askOnTerminal,
  type CommandResult,
  type GlobalOptions,
  printDiagnostics,
  printJson,
  stepRunner,
} from "./output.js";

const version = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/**
 * Commands that read a module without changing what it plans: the model's and modules' warnings were
 * told in full by validate, generate and preview, so these tell them in one line per file instead of
 * repeating each on every command of a session (`--json` still lists every one).
 */
const RETELLING = new Set(["apply", "rollback", "restore", "status", "types", "discard", "sql"]);

const isFileWarning = (d: Diagnostic): boolean => d.severity === "warning" && d.file !== undefined;

function warningSummary(diagnostics: readonly Diagnostic[]): string[] {
  const byFile = new Map<string, string[]>();
  for (const d of diagnostics.filter(isFileWarning))
    byFile.set(d.file ?? "", [...(byFile.get(d.file ?? "") ?? []), d.code]);
  return [...byFile].map(
    ([file, codes]) =>
      `warning: ${codes.length} in ${file} (${[...new Set(codes)].join(", ")}), told in full by dbgen validate`,
  );
}

/**
 * Exit codes: 0 success (warnings included), 1 a coded user error, 2 a connection or internal
 * failure, 3 `status --exit-code` found something to do (a change not generated, a pending iteration,
 * drift), or `lint` found something.
 */
export const EXIT = { ok: 0, userError: 1, failure: 2, pendingChanges: 3 } as const;

const FAILURE_CODES = new Set(["CONNECTION_ERROR", "WRITE_FAILED", "INTERNAL_ERROR"]);

function exitCodeOf(diagnostics: readonly Diagnostic[]): number {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0) return EXIT.ok;
  return errors.some((d) => FAILURE_CODES.has(d.code)) ? EXIT.failure : EXIT.userError;
}

/** A command as the CLI runs it: the pipeline's command, and its result in words (stdout, not with --json). */
interface Loaded {
  readonly run: (options: GlobalOptions) => Promise<CommandResult>;
  readonly text: (result: unknown) => readonly string[];
}

/** Pairs a command with its words; the result's type is the command's own. */
function command<T>(
  run: (options: GlobalOptions) => Promise<CommandResult<T>>,
  text: (result: T) => readonly string[] = () => [],
): Loaded {
  return { run, text: (result) => text(result as T) };
}

/** Commands that may run SQL long enough for optimised WebAssembly to pay for itself (a large seed load). */
const LONG_SQL_COMMANDS = new Set(["seed"]);

/**
 * The embedded PostgreSQL is 8 MB of WebAssembly. V8 compiles it fast (Liftoff), then again,
 * optimised, on background threads — and a process cannot exit until that second compile ends. A
 * dbgen command runs a few hundred statements: the optimised code never pays back, and on two cores
 * the background compile slows the queries too. Measured on the example's largest module (#19 note):
 * opening PGlite 0.57 → 0.33 s per process, 400 → 250 MB. Set before any PGlite is made.
 */
function preferQuickWasmStart(command: string): void {
  if (!LONG_SQL_COMMANDS.has(command)) setFlagsFromString("--liftoff-only");
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

type ProtoOpts = import("@dbgen/pipeline/commands/prototype").PrototypeOptions;
type ProtoName = "generate" | "preview" | "apply" | "rollback" | "status" | "types" | "discard" | "restore";

/** A module's prototype command: `generate` runs `generateCommand`, its words are `generateText`. */
const proto =
  (name: ProtoName, cli: Command): (() => Promise<Loaded>) =>
  async () => {
    const [commands, text] = await Promise.all([
      import("@dbgen/pipeline/commands/prototype"),
      import("./text/prototype.js"),
    ]);
    const opts = cli.opts<ProtoOpts & { apply?: boolean }>();
    const run = commands[`${name}Command`] as (g: GlobalOptions, o: ProtoOpts) => Promise<CommandResult>;
    const words = name === "generate" ? undefined : (text[`${name}Text`] as (r: unknown) => string[]);
    return command((global) => run(global, opts), words);
  };

interface ProgramOptions {
  readonly root: string;
  readonly json: boolean;
  readonly debug: boolean;
}

/** Runs one command with the CLI's context and prints what it gives back; resolves to the exit code. */
async function execute(name: string, raw: ProgramOptions, load: () => Promise<Loaded>): Promise<number> {
  preferQuickWasmStart(name);
  const printed = new Set<Diagnostic>();
  const options: GlobalOptions = {
    root: resolve(raw.root),
    json: raw.json,
    debug: raw.debug,
    progress: raw.json ? () => {} : (line) => void process.stdout.write(`${line}\n`),
    step: stepRunner(raw.json),
    confirm: askOnTerminal,
    notice: (line) => void process.stderr.write(`${line}\n`),
    warnNow: (diagnostics) => {
      if (raw.json) return;
      const fresh = diagnostics.filter((d) => !printed.has(d));
      printDiagnostics(fresh);
      for (const d of fresh) printed.add(d);
    },
  };
  let outcome: CommandResult;
  let words: readonly string[] = [];
  try {
    const loaded = await load();
    outcome = await loaded.run(options);
    if (!options.json) words = loaded.text(outcome.result);
  } catch (error) {
    if (error instanceof DbgenError) {
      outcome = { result: null, diagnostics: error.diagnostics };
    } else {
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        result: null,
        diagnostics: [
          {
            severity: "error",
            code: "INTERNAL_ERROR",
            message: `dbgen failed unexpectedly: ${message}`,
            fix: "run again with --debug and report the output as a bug",
          },
        ],
      };
      if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    }
  }
  let exitCode: number = exitCodeOf(outcome.diagnostics);
  if (exitCode === EXIT.ok && outcome.exitCode !== undefined) exitCode = outcome.exitCode;
  if (options.json) {
    printJson(name, !hasErrors(outcome.diagnostics), outcome.result, outcome.diagnostics);
  } else {
    const unprinted = outcome.diagnostics.filter((d) => !printed.has(d));
    printDiagnostics(RETELLING.has(name) ? unprinted.filter((d) => !isFileWarning(d)) : unprinted);
    if (RETELLING.has(name)) for (const line of warningSummary(unprinted)) process.stderr.write(`${line}\n`);
    for (const line of words) process.stdout.write(`${line}\n`);
  }
  return exitCode;
}

/** `dbgen` and its global options, before any command is added. */
function createProgram(): Command {
  return new Command("dbgen")
    .description(
      "From a business entity model (BUSM) to concept docs, prototype migrations and a hardened Supabase schema.",
    )
    .version(version, "-v, --version")
    .addOption(
      new Option(
        "--root <dir>",
        "the project folder (the one holding the pipeline folder and any dbgen config)",
      ).default(process.cwd(), "the current folder"),
    )
    .option("--json", "print one JSON object { ok, command, result, errors, warnings } on stdout", false)
    .option("--debug", "add stack traces to internal errors", false)
    .showHelpAfterError("(run dbgen --help for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
}

/** What a command's action runs: its name and how to load it. */
type Run = (name: string, load: () => Promise<Loaded>) => () => Promise<void>;

const moduleOption = () => new Option("--module <name>", "the module (required when there are several)");
const dbOption = () =>
  new Option("--db <url>", "a postgres:// URL (else DATABASE_URL, SUPABASE_DB_URL, or the module's embedded PGlite)");
const yesOption = () => new Option("--yes", "confirm changes to a non-embedded database without asking");

/** The model and production: validate, all, concept, merge, harden, migrate. */
function addModelCommands(program: Command, run: Run): void {
  program
    .command("validate")
    .description("check the BUSM and every module file; print every error and warning with its place")
    .action(
      run("validate", async () => {
        const [{ validateCommand }, { validateText }] = await Promise.all([
          import("@dbgen/pipeline/commands/validate"),
          import("./text/model.js"),
        ]);
        return command(validateCommand, validateText);
      }),
    );
  program
    .command("all")
    .description("the whole pipeline, model to production (what `pnpm generate` runs); touches no persistent database")
    .action(
      run("all", async () => {
        const [{ allCommand }, { allText }] = await Promise.all([
          import("@dbgen/pipeline/commands/all"),
          import("./text/model.js"),
        ]);
        return command(allCommand, allText);
      }),
    );

  const concept = program
    .command("concept")
    .description("concept docs: Mermaid ER diagrams, Markdown and an offline HTML page (no SQL)")
    .option("--module <name>", "only this module's page")
    .option("--svg", "also draw each diagram as SVG with Debian's Chromium");
  concept.action(
    run("concept", async () => {
      const [{ conceptCommand }, { conceptText }] = await Promise.all([
        import("@dbgen/pipeline/commands/concept"),
        import("./text/model.js"),
      ]);
      const opts = concept.opts<{ module?: string; svg?: boolean }>();
      return command((global) => conceptCommand(global, opts), conceptText);
    }),
  );
  program
    .command("merge")
    .description("merge every module's latest prototype state, completed from the BUSM, with a report")
    .action(
      run("merge", async () => {
        const [{ mergeCommand }, { mergeText }] = await Promise.all([
          import("@dbgen/pipeline/commands/merge"),
          import("./text/model.js"),
        ]);
        return command(mergeCommand, mergeText);
      }),
    );

  const harden = program
    .command("harden")
    .description(
      "the production schema, its upgrade migration and types, proven on an in-memory PGlite before anything is written",
    )
    .option(
      "--complete",
      "the contract step of expanded renames and type changes: drop the old columns and their sync triggers",
    );
  harden.action(
    run("harden", async () => {
      const [{ hardenCommand }, { hardenText }] = await Promise.all([
        import("@dbgen/pipeline/commands/harden"),
        import("./text/model.js"),
      ]);
      const opts = harden.opts<import("@dbgen/pipeline/commands/harden").HardenCommandOptions>();
      return command((global) => hardenCommand(global, opts), hardenText);
    }),
  );

  const migrate = program
    .command("migrate")
    .description(
      "seed 004's generator: a table spec (JSON) to an up/down migration and its types, for postgres, sqlite or mysql",
    )
    .argument("<spec>", "the MigrationSpec JSON file")
    .addOption(
      new Option("--dialect <dialect>", "overrides the spec's databaseType").choices(["postgres", "sqlite", "mysql"]),
    )
    .option(
      "--existing-db <location>",
      "a SQLite file or a postgres:// / mysql:// URL to introspect (CREATE, ALTER or SKIP per table)",
    )
    .option("--out <dir>", "where to write (default: the layout's specMigrations folder, {specMigrations}/{dialect}/)")
    .option("--prune", "also drop what the spec omits from existing tables (destructive)");
  migrate.action((specPath: string) =>
    run("migrate", async () => {
      const [{ migrateCommand }, { migrateText }] = await Promise.all([
        import("@dbgen/pipeline/commands/migrate"),
        import("./text/model.js"),
      ]);
      const opts = migrate.opts<{
        dialect?: "postgres" | "sqlite" | "mysql";
        existingDb?: string;
        out?: string;
        prune?: boolean;
      }>();
      return command((global) => migrateCommand(global, specPath, opts), migrateText);
    })(),
  );
}

/** A module's prototype and its database: generate, preview, apply, rollback, status, sql, restore, discard, types. */
function addPrototypeCommands(program: Command, run: Run): void {
  const generate = program
    .command("generate")
    .description("the next prototype iteration of a module: migration, rollback, state, types; then apply it")
    .addOption(moduleOption())
    .option("--iteration <n>", "the iteration to generate (else the module file's `iteration:`)", integer)
    .addOption(dbOption())
    .option("--no-apply", "write the files but do not apply them")
    .option("--allow-destructive", "allow dropping tables and columns")
    .addOption(yesOption());
  generate.action(run("generate", proto("generate", generate)));
  const preview = program
    .command("preview")
    .description("the planned changes and SQL of the next iteration; writes nothing")
    .addOption(moduleOption())
    .option("--iteration <n>", "the iteration to plan", integer);
  preview.action(run("preview", proto("preview", preview)));
  const apply = program
    .command("apply")
    .description(
      "apply the module's generated iterations that are not applied yet (or, with --stage production, the production migrations)",
    )
    .addOption(moduleOption())
    .addOption(
      new Option("--stage <stage>", "prototype (a module's iterations) or production")
        .choices(["prototype", "production"])
        .default("prototype"),
    )
    .addOption(dbOption())
    .option("--restore", "then put back the rows a rollback saved (dbgen restore)")
    .addOption(yesOption());
  apply.action(
    run("apply", async () => {
      const opts = apply.opts<ProtoOpts & { stage: string }>();
      if (opts.stage === "production") {
        const [{ applyProductionCommand }, { applyProductionText }] = await Promise.all([
          import("@dbgen/pipeline/commands/harden"),
          import("./text/model.js"),
        ]);
        return command((global) => applyProductionCommand(global, opts), applyProductionText);
      }
      return proto("apply", apply)();
    }),
  );
  const rollback = program
    .command("rollback")
    .description("undo the latest applied iteration; --to N undoes down to N, leaving N applied")
    .addOption(moduleOption())
    .option("--to <n>", "the iteration to return to", integer)
    .addOption(dbOption())
    .addOption(yesOption());
  rollback.action(run("rollback", proto("rollback", rollback)));
  const status = program
    .command("status")
    .description("iterations generated and applied; with a database, drift between state and database")
    .addOption(moduleOption())
    .addOption(
      new Option(
        "--stage <stage>",
        "production: its migrations and the expanded changes waiting for harden --complete",
      ).choices(["production"]),
    )
    .addOption(dbOption())
    .option(
      "--exit-code",
      "exit 3 when a module change is not generated, an iteration is pending, or the database drifted (CI)",
    );
  status.action(run("status", proto("status", status)));
  const sql = program
    .command("sql")
    .description("a query (-c) or an interactive session on the module's database (the embedded one by default)")
    .addOption(moduleOption())
    .option("-c, --command <sql>", "run this SQL and print the rows")
    .addOption(dbOption())
    .addOption(yesOption());
  sql.action(
    run("sql", async () => {
      const [{ sqlCommand }, { sqlText, terminalSession }] = await Promise.all([
        import("@dbgen/pipeline/commands/sql"),
        import("./text/sql.js"),
      ]);
      const opts = sql.opts<import("@dbgen/pipeline/commands/sql").SqlOptions>();
      return command(
        (global) => sqlCommand(global, opts, terminalSession(global.progress)),
        (result) => sqlText(result, opts.command),
      );
    }),
  );
  const restore = program
    .command("restore")
    .description("put back the rows a rollback or a destructive step saved in schema dbgen, by key and column name")
    .addOption(moduleOption())
    .addOption(dbOption())
    .addOption(yesOption());
  restore.action(run("restore", proto("restore", restore)));
  const discard = program
    .command("discard")
    .description("remove generated iterations that were never applied (the embedded database, or --db, is checked)")
    .addOption(moduleOption())
    .option("--iteration <n>", "discard from this iteration to the latest (default: the latest)", integer)
    .addOption(dbOption());
  discard.action(run("discard", proto("discard", discard)));
  const types = program
    .command("types")
    .description("the TypeScript types of the module's latest iteration")
    .addOption(moduleOption());
  types.action(run("types", proto("types", types)));
}

/** What works on a schema: export, panel, seed, rebase, test, lint. */
function addToolCommands(program: Command, run: Run): void {
  const exportOrm = program
    .command("export")
    .description("an ORM schema (Drizzle or Prisma) of the production schema or of a module's iteration")
    .argument("<orm>", "drizzle or prisma")
    .addOption(moduleOption())
    .option("--iteration <n>", "the module's iteration (default: its latest)", integer)
    .addOption(new Option("--stage <stage>", "production (the default without --module)").choices(["production"]))
    .option("--out <dir>", "where to write (default: the layout's orm folder, {orm}/{drizzle,prisma}/[module/])")
    .option("--prisma <major>", "the Prisma release the Prisma export is for: 7 (default) or 6");
  exportOrm.action((orm: string) =>
    run("export", async () => {
      if (orm !== "drizzle" && orm !== "prisma")
        throw userError(
          "INVALID_CONFIG",
          `Unknown ORM "${orm}"`,
          suggestFix(orm, ["drizzle", "prisma"], "use drizzle or prisma"),
        );
      const [{ exportCommand }, { exportText }] = await Promise.all([
        import("@dbgen/pipeline/commands/export"),
        import("./text/tools.js"),
      ]);
      const opts = exportOrm.opts<import("@dbgen/pipeline/commands/export").ExportOptions>();
      return command((global) => exportCommand(global, orm, opts), exportText);
    })(),
  );
  const panel = program
    .command("panel")
    .description("the local change-review panel (127.0.0.1, a per-run token): review, apply, roll back")
    .addOption(moduleOption())
    .option("--port <n>", "the port (default: any free one)", integer)
    .option("--no-open", "print the URL without opening a browser");
  panel.action(
    run("panel", async () => {
      const { panelCommand } = await import("./commands/panel.js");
      const opts = panel.opts<import("./commands/panel.js").PanelCommandOptions>();
      return command(
        (global) => panelCommand(global, opts),
        () => ["dbgen panel: stopped"],
      );
    }),
  );
  const seed = program
    .command("seed")
    .description("deterministic, constraint-true seed data for a module or production (supabase/seed.sql)")
    .addOption(moduleOption())
    .addOption(new Option("--stage <stage>", "production (the default without --module)").choices(["production"]))
    .option("--rows <n>", "rows per table (default 10)", integer)
    .option("--rows-per <name=n...>", "rows for a table or entity, e.g. Account=50 (repeatable)")
    .option("--seed <text>", "the same seed, the same data (default dbgen)")
    .option("--apply", "also load it into the database (in one transaction)")
    .addOption(dbOption())
    .addOption(yesOption());
  seed.action(
    run("seed", async () => {
      const [{ seedCommand }, { seedText }] = await Promise.all([
        import("@dbgen/pipeline/commands/seed"),
        import("./text/tools.js"),
      ]);
      const opts = seed.opts<import("@dbgen/pipeline/commands/seed").SeedCommandOptions>();
      return command((global) => seedCommand(global, opts), seedText);
    }),
  );
  const rebase = program
    .command("rebase")
    .description("after a git merge of branches that each generated iterations of a module: one linear history")
    .addOption(moduleOption());
  rebase.action(
    run("rebase", async () => {
      const [{ rebaseCommand }, { rebaseText }] = await Promise.all([
        import("@dbgen/pipeline/commands/rebase"),
        import("./text/tools.js"),
      ]);
      const opts = rebase.opts<import("@dbgen/pipeline/commands/rebase").RebaseCommandOptions>();
      return command((global) => rebaseCommand(global, opts), rebaseText);
    }),
  );
  const test = program
    .command("test")
    .description("the pgTAP access tests of the model's rules (supabase/tests/dbgen_access.test.sql); --run runs them")
    .option("--run", "also run them: on the embedded production database, or --db (in one transaction, rolled back)")
    .addOption(dbOption());
  test.action(
    run("test", async () => {
      const [{ testCommand }, { testText }] = await Promise.all([
        import("@dbgen/pipeline/commands/test"),
        import("./text/tools.js"),
      ]);
      const opts = test.opts<import("@dbgen/pipeline/commands/test").TestCommandOptions>();
      return command((global) => testCommand(global, opts), testText);
    }),
  );
  const lint = program
    .command("lint")
    .description(
      "migration-safety findings (locks, transactions, timeouts) for migration files; production's by default",
    )
    .argument("[files...]", "migration files or folders (default: the production migrations)")
    .addOption(
      new Option("--format <format>", "how to print the findings")
        .choices(["text", "json", "github", "sarif"])
        .default("text"),
    )
    .option("--all-rules", "also report the style rules dbgen's output does not follow (docs/production.md)");
  lint.action((files: string[]) =>
    run("lint", async () => {
      const [{ lintCommand }, { lintText }] = await Promise.all([
        import("@dbgen/pipeline/commands/lint"),
        import("./text/lint.js"),
      ]);
      const opts = lint.opts<{ format: import("./text/lint.js").LintFormat; allRules?: boolean }>();
      return command(
        (global) => lintCommand(global, files, opts),
        (result) => lintText(result, opts.format, version),
      );
    })(),
  );
}

/** Runs `argv` (without node and script) and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram();
  const run: Run = (name, load) => async () => {
    exitCode = await execute(name, program.opts<ProgramOptions>(), load);
  };
  addModelCommands(program, run);
  addPrototypeCommands(program, run);
  addToolCommands(program, run);

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
