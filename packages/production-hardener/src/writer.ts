/**
 * Production migrations as files: each one named by its version (one second apart, in order), its
 * header, the settings every production file starts with, its up and its down; and the lock-safe
 * split of a change to tables that may hold rows (one migration per step, see postgres/lock-safe.ts).
 */
import { type ProductionConfig, productionMigrationName, versionOf } from "@dbgen/project";
import {
  invertOperations,
  migrationHeader,
  migrationPrologue,
  type Operation,
  renderPostgres,
  sqlComment,
} from "@dbgen/schema-core";
import { lockSafeSteps } from "./postgres/lock-safe.js";

export interface ProductionMigration {
  readonly name: string;
  readonly up: string;
  readonly down: string;
  readonly operations: readonly Operation[];
  /** Runs outside a transaction (an index built or dropped CONCURRENTLY, alone in its file). */
  readonly outsideTransaction: boolean;
}

export function migrationFile(
  title: string,
  lines: readonly string[],
  ops: readonly Operation[],
  statements: readonly string[],
  timeouts?: ProductionConfig,
): string {
  const body = statements.length > 0 ? statements.join("\n\n") : sqlComment(["(nothing to do)"]);
  return `${migrationHeader(title, lines, ops)}\n\n${migrationPrologue(timeouts)}\n\n${body}\n`;
}

const describeStep = (op: Operation): string =>
  op.kind === "drop_index"
    ? `drop index ${op.index.name}`
    : op.kind === "create_index"
      ? `build index ${op.index.name}`
      : op.kind === "rename_index"
        ? `the new index takes the name ${op.to}`
        : op.kind;

export interface WriterOptions {
  readonly schema: string;
  /** The first version's time (ms); each migration after it a second later. */
  readonly clock: number;
  /** The header lines every file carries (when and by what it was generated). */
  readonly facts: readonly string[];
  readonly timeouts: ProductionConfig;
  /** The project's backfill file, named in a NOT NULL guard's hint. */
  readonly backfillFile: string;
}

/** Collects a plan's migrations in order. */
export class MigrationWriter {
  readonly migrations: ProductionMigration[] = [];
  private clock: number;
  constructor(private readonly options: WriterOptions) {
    this.clock = options.clock;
  }

  private nextName(description: string): string {
    const name = productionMigrationName(versionOf(this.clock), description);
    this.clock += 1000;
    return name;
  }

  /** One migration of `ops`, and its down (the inverse). */
  write(
    description: string,
    title: string,
    ops: readonly Operation[],
    populated: boolean,
    why: readonly string[] = [],
  ) {
    const { schema, facts, timeouts, backfillFile } = this.options;
    const render = (list: readonly Operation[]) => renderPostgres(list, { schema, populated, backfillFile });
    const inverse = invertOperations(ops);
    this.migrations.push({
      name: this.nextName(description),
      operations: ops,
      outsideTransaction: ops.some((o) => (o.kind === "create_index" || o.kind === "drop_index") && o.concurrently),
      up: migrationFile(title, [...facts, ...why], ops, render(ops), timeouts),
      down: migrationFile(`${title} — down`, [...facts, ...why], inverse, render(inverse), timeouts),
    });
  }

  /** A migration of hand-made statements that runs outside a transaction (a batched backfill); its down does nothing. */
  writeScript(description: string, title: string, statements: readonly string[], why: readonly string[]) {
    const { facts, timeouts } = this.options;
    this.migrations.push({
      name: this.nextName(description),
      operations: [],
      outsideTransaction: true,
      up: migrationFile(title, [...facts, ...why], [], statements, timeouts),
      down: migrationFile(`${title} — down`, [...facts, ...why], [], [], timeouts),
    });
  }

  /**
   * A change to tables that may hold rows (`ops`, made safe on them already): one migration per
   * lock-safe step; `first` runs before the rest of the main step.
   */
  upgrade(description: string, title: string, ops: readonly Operation[], first: readonly Operation[] = []) {
    const steps = lockSafeSteps(ops);
    this.write(description, title, [...first, ...steps.main], true, [
      "Split into lock-safe steps because these tables may hold rows: nothing below holds a lock that blocks reads or writes while it scans or builds",
    ]);
    for (const op of steps.concurrent) {
      if (op.kind === "rename_index") {
        this.write(`${description}_rename_index_${op.to}`, `${title}: ${describeStep(op)}`, [op], true);
        continue;
      }
      const index = op.kind === "create_index" || op.kind === "drop_index" ? op.index.name : "";
      const verb = op.kind === "drop_index" ? "drop_index" : "index";
      this.write(`${description}_${verb}_${index}`, `${title}: ${describeStep(op)}, outside a transaction`, [op], true);
    }
    if (steps.attach.length > 0)
      this.write(`${description}_attach`, `${title}: unique constraints take over their indexes`, steps.attach, true);
    if (steps.validate.length > 0)
      this.write(`${description}_validate`, `${title}: existing rows checked, NOT NULL set`, steps.validate, true);
  }
}
