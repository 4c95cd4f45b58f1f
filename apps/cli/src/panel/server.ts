/**
 * The panel's server: hono on @hono/node-server, bound to 127.0.0.1 only, every route behind a
 * per-run token. Each action runs the same command code as the CLI (`generate`, `rollback`, `status`,
 * `apply --stage production`, from `@dbgen/pipeline`), under the same project lock; the page is told of file changes through
 * server-sent events.
 *
 * Why hono: small (no dependencies), typed routes, streaming helpers for SSE, and a Node adapter that
 * is a thin `http.createServer` — nothing the panel does needs more (docs/panel.md).
 */
import { timingSafeEqual } from "node:crypto";
import { watch } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readProject } from "@dbgen/busm-reader";
import { accessRows, modelView, readMermaidBundle, scriptHash } from "@dbgen/concept-docs";
import { redactUrl, resolveTarget } from "@dbgen/db";
import {
  applyProductionCommand,
  type CommandResult,
  generateCommand,
  lintFiles,
  mergeStep,
  moduleStatusCommand,
  productionPlan,
  type RunContext,
  readCheckedProject,
  reviewModule,
  rollbackCommand,
} from "@dbgen/pipeline";
import {
  listDir,
  moduleDir,
  type Project,
  type ProjectLayout,
  productionDevDir,
  readOptional,
  readPrototypeMigrationName,
  resolveProject,
} from "@dbgen/project";
import { DbgenError, type Diagnostic, userError } from "@dbgen/schema-core";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { applyProductionText } from "../text/model.js";
import { rollbackText } from "../text/prototype.js";
import { PANEL_PAGE, PANEL_SCRIPT } from "./page.js";

export interface PanelOptions {
  readonly root: string;
  readonly token: string;
  readonly port?: number;
  /** Only this module in the page. */
  readonly module?: string;
}

export interface Panel {
  readonly url: string;
  close(): Promise<void>;
}

/** The command code runs silently here: its lines and errors go back to the page. */
function quietGlobal(root: string): RunContext {
  return { root, progress: () => {}, warnNow: () => {}, notice: () => {}, step: (_label, work) => work() };
}

const errorsOf = (error: unknown): Diagnostic[] =>
  error instanceof DbgenError
    ? [...error.diagnostics]
    : [
        {
          severity: "error",
          code: "INTERNAL_ERROR",
          message: `dbgen failed unexpectedly: ${(error as Error).message}`,
          fix: "run the same step with the CLI and --debug",
        },
      ];

/** A step's outcome for the page: its result, the words its message shows, its errors. */
async function outcome<T>(
  run: () => Promise<CommandResult<T>>,
  words: (result: T) => readonly string[] = () => [],
): Promise<Record<string, unknown>> {
  try {
    const result = await run();
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    return { ok: errors.length === 0, result: result.result, lines: words(result.result), errors };
  } catch (error) {
    return { ok: false, errors: errorsOf(error) };
  }
}

async function moduleState(
  global: RunContext,
  layout: ProjectLayout,
  module: string,
): Promise<Record<string, unknown>> {
  try {
    const status = await moduleStatusCommand(global, { module });
    const review = await reviewModule(global, module);
    const result = status.result;
    const folder = moduleDir(layout, "migrations", module);
    const files = Object.fromEntries(
      (await listDir(join(global.root, folder))).flatMap((f) => {
        const n = readPrototypeMigrationName(f)?.iteration;
        return n !== undefined ? [[n, `${folder}/${f}`]] : [];
      }),
    );
    return { module, status: result, database: result.database ?? "", files, review };
  } catch (error) {
    return { module, errors: errorsOf(error) };
  }
}

async function productionState(project: Project): Promise<Record<string, unknown>> {
  try {
    const checked = await readCheckedProject(project);
    const merge = await mergeStep(project, checked);
    if (!merge)
      return {
        errors: [
          {
            severity: "error",
            code: "INVALID_CONFIG",
            message: "No module has a prototype state yet",
            fix: "generate an iteration of each module first",
          },
        ],
      };
    const plan = await productionPlan(project, merge);
    const dir = await mkdtemp(join(tmpdir(), "dbgen-panel-lint-"));
    let findings: unknown[] = [];
    try {
      const files = await Promise.all(
        plan.migrations.map(async (m) => {
          const absolute = join(dir, `${m.name}.sql`);
          await writeFile(absolute, m.up);
          return { path: `${m.name}.sql`, absolute, sql: m.up };
        }),
      );
      findings = await lintFiles(files);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const target = resolveTarget(undefined, process.env, join(project.layout.root, productionDevDir(project.layout)));
    return {
      tables: plan.schema.tables.length,
      migrations: plan.migrations.map((m) => ({ name: m.name, outsideTransaction: m.outsideTransaction })),
      findings,
      report: await readOptional(join(project.layout.root, project.layout.mergeReport)),
      // Who may do what: the matrix the policies and `dbgen test` are made from.
      access: accessRows(modelView(checked.model)),
      target:
        target.kind === "pglite" ? `the embedded database (${target.dataDir ?? "in memory"})` : redactUrl(target.url),
    };
  } catch (error) {
    return { errors: errorsOf(error) };
  }
}

/**
 * What the page may load: its own script (by hash) and the server's Mermaid, styles inline (Mermaid
 * writes `<style>` into each SVG), calls to its own origin; nothing from any other origin, so text in a
 * diagram can neither fetch nor post anywhere.
 */
const PANEL_POLICY = [
  "default-src 'none'",
  `script-src 'self' ${scriptHash(PANEL_SCRIPT)}`,
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const refusal = (code: string, message: string, fix: string) => ({
  ok: false,
  errors: [{ severity: "error", code, message, fix }],
});

function authorised(expected: string, given: string | undefined): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given ?? "");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who may be answered: the panel's own host names (no DNS rebinding), with the run's token. */
function guard(app: Hono, options: PanelOptions, hosts: () => ReadonlySet<string>): void {
  app.use("*", async (c, next) => {
    if (!hosts().has(c.req.header("host") ?? ""))
      return c.json(
        refusal(
          "FORBIDDEN",
          `This panel answers only as ${[...hosts()].join(" or ")}`,
          "open the URL dbgen panel printed",
        ),
        421,
      );
    c.header("content-security-policy", PANEL_POLICY);
    if (!authorised(options.token, c.req.query("token") ?? c.req.header("x-dbgen-token")))
      return c.json({ ok: false, errors: [{ code: "FORBIDDEN", message: "A wrong or missing token" }] }, 403);
    c.header("cache-control", "no-store");
    c.header("x-content-type-options", "nosniff");
    await next();
  });
}

/** The page, its Mermaid bundle, and the state it shows: every module's status and review, and production's. */
function readRoutes(app: Hono, options: PanelOptions, global: RunContext): void {
  app.get("/", (c) => c.html(PANEL_PAGE.replace("__TOKEN__", options.token)));
  let mermaid: string | undefined;
  app.get("/assets/mermaid.js", async (c) => {
    mermaid ??= await readMermaidBundle();
    return c.body(mermaid, 200, { "content-type": "text/javascript; charset=utf-8" });
  });
  app.get("/api/state", async (c) => {
    // Resolved again on every read: the config may have changed while the panel runs.
    const current = await resolveProject(options.root);
    const { layout } = current;
    const read = await readProject(options.root, { busm: layout.busm, modules: layout.modules });
    const errors = read.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) return c.json({ views: ["production"], modules: [], errors });
    const names = read.modules.map((m) => m.config.module).filter((m) => !options.module || m === options.module);
    const modules = [];
    for (const name of names) modules.push(await moduleState(global, layout, name));
    return c.json({ views: [...names, "production"], modules, production: await productionState(current) });
  });
}

/** What the page's buttons do: apply a module's next iteration, roll back, apply production. */
function actionRoutes(app: Hono, options: PanelOptions, global: RunContext, changed: () => void): void {
  // A panel started for one module changes no other.
  app.use("/api/modules/:module/*", async (c, next) => {
    const module = c.req.param("module");
    if (options.module !== undefined && module !== options.module)
      return c.json(
        refusal(
          "INVALID_CONFIG",
          `This panel was started for module ${options.module}, not ${module}`,
          `run dbgen panel --module ${module} (or dbgen panel for every module)`,
        ),
      );
    await next();
  });
  app.post("/api/modules/:module/apply", async (c) => {
    const module = c.req.param("module");
    const body = (await c.req.json().catch(() => ({}))) as { confirm?: string[] };
    // Destructive only when the page sends back exactly what it showed: `--allow-destructive` on the CLI.
    const review = await reviewModule(global, module).catch(() => undefined);
    const confirmed = review !== undefined && JSON.stringify(body.confirm ?? []) === JSON.stringify(review.destructive);
    const out = await outcome(() =>
      generateCommand(global, { module, allowDestructive: confirmed && review.destructive.length > 0 }),
    );
    changed();
    return c.json(out);
  });
  app.post("/api/modules/:module/rollback", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { to?: number; confirm?: boolean };
    if (body.confirm === true && !(Number.isInteger(body.to) && (body.to as number) >= 0))
      return c.json(
        refusal(
          "INVALID_ITERATION",
          `A rollback goes back to a whole iteration number, not ${JSON.stringify(body.to ?? null)}`,
          "pick an iteration in the page",
        ),
      );
    if (body.confirm !== true || typeof body.to !== "number")
      return c.json(refusal("CONFIRMATION_REQUIRED", "A rollback needs its confirmation", "confirm it in the page"));
    const out = await outcome(
      () => rollbackCommand(global, { module: c.req.param("module"), to: body.to as number }),
      rollbackText,
    );
    changed();
    return c.json(out);
  });
  app.post("/api/production/apply", async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { confirm?: boolean };
    if (body.confirm !== true)
      return c.json(
        refusal("CONFIRMATION_REQUIRED", "Applying production needs its confirmation", "confirm it in the page"),
      );
    const out = await outcome(() => applyProductionCommand(global, { yes: true }), applyProductionText);
    changed();
    return c.json(out);
  });
}

/** Server-sent events: `change` when something the page shows may have changed, `ping` to keep the stream open. */
function eventsRoute(app: Hono, listeners: Set<() => void>): void {
  app.get("/api/events", (c) =>
    streamSSE(c, async (stream) => {
      let open = true;
      const send = () => void stream.writeSSE({ event: "change", data: "" }).catch(() => {});
      listeners.add(send);
      stream.onAbort(() => {
        open = false;
        listeners.delete(send);
      });
      while (open) {
        await stream.writeSSE({ event: "ping", data: "" }).catch(() => {});
        await stream.sleep(15_000);
      }
    }),
  );
}

/** Watches the model's and the module files' folders (debounced): the page re-plans when someone edits them. */
function watchInputs(root: string, layout: ProjectLayout, changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const debounce = () => {
    clearTimeout(timer);
    timer = setTimeout(changed, 150);
  };
  const watchers = [join(root, layout.modules), dirname(join(root, layout.busm))].map((dir) => {
    try {
      return watch(dir, debounce);
    } catch {
      return undefined;
    }
  });
  return () => {
    for (const w of watchers) w?.close();
    clearTimeout(timer);
  };
}

/** Listens on 127.0.0.1 (the port asked for, else a free one); a port in use is the user's to change. */
async function listen(app: Hono, port: number | undefined): Promise<ReturnType<typeof serve>> {
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: port ?? 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", () => resolve());
      server.once("error", reject);
    });
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw userError(
      "INVALID_CONFIG",
      busy
        ? `Port ${port} on 127.0.0.1 is in use by another program`
        : `The panel cannot listen on 127.0.0.1:${port ?? 0} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      "pass another --port, or leave --port out for a free one",
    );
  }
  return server;
}

export async function startPanel(options: PanelOptions): Promise<Panel> {
  const global = quietGlobal(options.root);
  const project = await resolveProject(options.root);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const app = new Hono();
  // Set once listening: a page on another name that resolves here (DNS rebinding) is not served.
  let hosts = new Set<string>();
  guard(app, options, () => hosts);
  readRoutes(app, options, global);
  actionRoutes(app, options, global, changed);
  eventsRoute(app, listeners);
  const unwatch = watchInputs(options.root, project.layout, changed);
  let server: ReturnType<typeof serve>;
  try {
    server = await listen(app, options.port);
  } catch (error) {
    unwatch();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    close: async () => {
      unwatch();
      listeners.clear();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
