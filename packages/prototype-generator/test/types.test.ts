/**
 * The types written for each iteration of the example compile with `createClient<Database>()`, and
 * Insert makes optional exactly the columns that are nullable or have a default (read from the
 * iteration's state, independently of the renderer).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadModuleContext, typesPath } from "../src/index.js";
import { REPO } from "./helpers.js";

const MODULES = ["account-management", "master-view", "service-scheduler"];

describe("iteration types", () => {
  it("compile against @supabase/supabase-js with exactly the right optional Insert fields", async () => {
    const dir = await mkdtemp(join(fileURLToPath(new URL(".", import.meta.url)), ".tsc-"));
    try {
      const files: string[] = [];
      for (const module of MODULES) {
        const ctx = await loadModuleContext(REPO, module);
        for (const { iteration, state } of ctx.files.iterations) {
          const types = relative(dir, join(REPO, typesPath(ctx.config, module, iteration))).replace(/\.ts$/, "");
          const checks = state.schema.tables.map((t) => {
            const optional = t.columns
              .filter((c) => c.nullable || c.default !== undefined)
              .map((c) => JSON.stringify(c.name));
            const required = t.columns
              .filter((c) => !(c.nullable || c.default !== undefined))
              .map((c) => JSON.stringify(c.name));
            return [
              `type _${t.name}_optional = Expect<Equal<OptionalKeys<TablesInsert<"${t.name}">>, ${optional.join(" | ") || "never"}>>;`,
              `type _${t.name}_required = Expect<Equal<Exclude<keyof TablesInsert<"${t.name}">, OptionalKeys<TablesInsert<"${t.name}">>>, ${required.join(" | ") || "never"}>>;`,
            ].join("\n");
          });
          const first = state.schema.tables[0]?.name ?? "";
          const file = `${module}-iter${iteration}.ts`;
          await writeFile(
            join(dir, file),
            `import { createClient } from "@supabase/supabase-js";
import type { Database, TablesInsert } from "${types.startsWith(".") ? types : `./${types}`}";
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type Equal<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
${checks.join("\n")}
const supabase = createClient<Database>("http://localhost:54321", "anon-key");
export const rows = supabase.from("${first}").select("*");
`,
          );
          files.push(file);
        }
      }
      expect(files.length).toBe(6);
      await writeFile(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: "ESNext",
            moduleResolution: "Bundler",
            target: "ES2022",
            skipLibCheck: true,
            types: [],
            noUnusedLocals: false,
          },
          files,
        }),
      );
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const output = await promisify(execFile)(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (e: { stdout?: string }) => e.stdout ?? String(e),
      );
      expect(output).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
