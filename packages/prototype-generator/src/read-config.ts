/**
 * Finding and loading the configuration file: `dbgen.config.json`, `dbgen.config.js`/`.mjs`, or the
 * seed's `database-generator.config.js`, at the project root. All optional.
 */
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DbgenError } from "@dbgen/schema-core";
import { DEFAULT_CONFIG, type PrototypeConfig, resolveConfig } from "./config.js";

export const CONFIG_FILES = ["dbgen.config.json", "dbgen.config.js", "dbgen.config.mjs", "dbgen.config.cjs", "database-generator.config.js", "database-generator.config.cjs"] as const;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function readConfig(root: string): Promise<{ config: PrototypeConfig; file?: string }> {
  for (const name of CONFIG_FILES) {
    const path = join(root, name);
    if (!(await exists(path))) continue;
    let document: unknown;
    try {
      if (name.endsWith(".json")) document = JSON.parse(await readFile(path, "utf8"));
      else {
        const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
        document = loaded.default ?? loaded;
      }
    } catch (error) {
      throw new DbgenError([
        {
          severity: "error",
          code: "PARSE_ERROR",
          file: name,
          message: `Cannot load the configuration: ${(error as Error).message}`,
          fix: "make it valid JSON, or a module exporting the settings object",
        },
      ]);
    }
    return { config: resolveConfig(document, name), file: name };
  }
  return { config: DEFAULT_CONFIG };
}
