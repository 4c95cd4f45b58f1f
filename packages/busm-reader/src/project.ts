/**
 * A project's inputs analysed together: the BUSM, every module file, their diagnostics, and the IR
 * of the whole model and of each module's latest phase. Pure: file texts in.
 */
import { type Diagnostic, hasErrors, type Schema, validateSchema } from "@dbgen/schema-core";
import {
  type BuildOptions,
  buildModelSchema,
  buildModuleSchema,
  type ModelFacts,
  type ModuleSelection,
  modelFacts,
} from "./build.js";
import { checkModel, withCompositeKeys } from "./check.js";
import type { BusmModel, ModuleConfig } from "./model.js";
import { checkModuleFileName, resolveModule } from "./module.js";
import { type Locator, parseBusm, parseModule } from "./parse.js";

/** The contract's places for the BUSM and the module files (a project's config may move them). */

export interface SourceFile {
  /** Path relative to the project root, as errors print it. */
  readonly file: string;
  readonly text: string;
}

export interface AnalysedModule {
  readonly file: string;
  readonly config: ModuleConfig;
  readonly locator: Locator;
  readonly schema: Schema;
  /** What the module selects, resolved against the BUSM: rebuild with other options through `buildModuleSchema`. */
  readonly selection: ModuleSelection;
  /** The options `schema` was built with: a caller wanting the same ones reuses it. */
  readonly buildOptions: BuildOptions;
  /** True for the highest phase of its module: the file `--module` reads. */
  readonly latest: boolean;
}

export interface AnalysedProject {
  readonly model?: BusmModel;
  /** Lines of the BUSM's paths, for diagnostics found later (against production, say). */
  readonly locator?: Locator;
  /** The whole model's IR, when the BUSM has no errors. */
  readonly schema?: Schema;
  /** The same schema with what the merge needs of the model (built once, with `schema`). */
  readonly facts?: ModelFacts;
  readonly modules: readonly AnalysedModule[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Diagnostics of a schema built from a checked model carry the BUSM file. */
function attachFile(diagnostics: readonly Diagnostic[], file: string): Diagnostic[] {
  return diagnostics.map((d) => ({ ...d, file }));
}

const fileName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/**
 * Parses and checks the BUSM and the module files. `moduleBuild` builds each module's schema as its
 * consumer will (the prototype's naming and lengths), so it is built once, not once here and again there.
 */
export function analyseProject(
  busm: SourceFile,
  moduleFiles: readonly SourceFile[],
  moduleBuild: BuildOptions = {},
): AnalysedProject {
  const parsed = parseBusm(busm.text, busm.file);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  if (!parsed.value) return { modules: [], diagnostics };
  const modelDiagnostics = checkModel(parsed.value, parsed.locator);
  diagnostics.push(...modelDiagnostics);
  if (hasErrors(modelDiagnostics)) return { model: parsed.value, locator: parsed.locator, modules: [], diagnostics };
  const model = withCompositeKeys(parsed.value);
  const schema = buildModelSchema(model);
  // The reader's own checks come first, with places; this catches anything they missed.
  diagnostics.push(
    ...attachFile(
      validateSchema(schema).filter((d) => d.severity === "error"),
      busm.file,
    ),
  );

  const candidates: AnalysedModule[] = [];
  for (const source of [...moduleFiles].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const mod = parseModule(source.text, source.file);
    diagnostics.push(...mod.diagnostics);
    if (!mod.value) continue;
    const nameDiagnostics = checkModuleFileName(mod.value, fileName(source.file), mod.locator);
    const { selection, diagnostics: selectionDiagnostics } = resolveModule(model, mod.value, mod.locator);
    diagnostics.push(...nameDiagnostics, ...selectionDiagnostics);
    if (hasErrors(nameDiagnostics) || hasErrors(selectionDiagnostics)) continue;
    const moduleSchema = buildModuleSchema(model, selection, moduleBuild);
    const structural = validateSchema(moduleSchema).filter((d) => d.severity === "error");
    diagnostics.push(...attachFile(structural, source.file));
    candidates.push({
      file: source.file,
      config: mod.value,
      locator: mod.locator,
      schema: moduleSchema,
      selection,
      buildOptions: moduleBuild,
      latest: false,
    });
  }
  const highest = new Map<string, number>();
  for (const m of candidates) highest.set(m.config.module, Math.max(highest.get(m.config.module) ?? 0, m.config.phase));
  const modules = candidates.map((m) => ({ ...m, latest: highest.get(m.config.module) === m.config.phase }));
  return {
    model,
    locator: parsed.locator,
    ...(hasErrors(diagnostics) ? {} : { schema, facts: modelFacts(model, schema) }),
    modules,
    diagnostics,
  };
}
