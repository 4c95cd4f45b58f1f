/**
 * `dbgen export drizzle|prisma [--module M [--iteration N] | --stage production] [--out DIR]`: the ORM
 * schema of a prototype iteration's state or of the production schema, from `@dbgen/orm-export`.
 * Default place: `{orm}/{drizzle,prisma}/` for production, `{orm}/{drizzle,prisma}/{module}/` for a module.
 */
import { join, relative, resolve } from "node:path";
import { PRISMA_CONFIG, renderDrizzle, renderPrisma } from "@dbgen/orm-export";
import { type OutputFile, ormDir, publish } from "@dbgen/project";
import { type Schema, userError } from "@dbgen/schema-core";
import type { CommandResult, RunContext } from "../context.js";
import { readSchemaSource } from "../inputs.js";
import { writing } from "../project.js";

export interface ExportOptions {
  readonly module?: string;
  readonly iteration?: number;
  readonly stage?: "production";
  readonly out?: string;
  /** Prisma's major release the export is for (default 7). */
  readonly prisma?: string;
}

function refuse(message: string, fix: string, file?: string): never {
  throw userError("INVALID_CONFIG", message, fix, { file });
}

/** `schema.prisma` for Prisma 7 with its `prisma.config.ts`, or for Prisma 6 alone (`--prisma 6`). */
function prismaFiles(schema: Schema, version: string | undefined): { name: string; content: string }[] {
  if (version !== undefined && version !== "6" && version !== "7")
    refuse(`Prisma ${version} is not a release dbgen exports for`, "pass --prisma 7 (the default) or --prisma 6");
  return version === "6"
    ? [{ name: "schema.prisma", content: renderPrisma(schema, 6) }]
    : [
        { name: "schema.prisma", content: renderPrisma(schema, 7) },
        { name: "prisma.config.ts", content: PRISMA_CONFIG },
      ];
}

export interface ExportResult {
  readonly orm: "drizzle" | "prisma";
  /** Which schema: the production schema, or a module's iteration. */
  readonly source: string;
  readonly tables: number;
  readonly files: readonly string[];
  readonly changed: readonly string[];
}

export function exportCommand(
  global: RunContext,
  orm: "drizzle" | "prisma",
  options: ExportOptions,
): Promise<CommandResult<ExportResult>> {
  const out = options.out === undefined ? undefined : resolve(options.out);
  return writing(global, `export ${orm}`, async ({ layout }) => {
    if (options.module !== undefined && options.stage === "production")
      refuse("--module and --stage production name two schemas", "pass one of them");
    const { schema, label } = await readSchemaSource(layout, options);
    const dir = out ? relative(layout.root, out) : ormDir(layout, orm, options.module);
    const rendered =
      orm === "drizzle"
        ? (() => {
            const files = renderDrizzle(schema);
            return [
              { name: "schema.ts", content: files.schema },
              { name: "relations.ts", content: files.relations },
            ];
          })()
        : prismaFiles(schema, options.prisma);
    const files: OutputFile[] = rendered.map((f) => ({ path: join(dir, f.name), content: f.content }));
    const changed = await publish(layout, files);
    return {
      result: { orm, source: label, tables: schema.tables.length, files: files.map((f) => f.path), changed },
      diagnostics: [],
    };
  });
}
