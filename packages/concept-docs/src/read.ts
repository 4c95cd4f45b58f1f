/** The edges: Mermaid's browser bundle from node_modules, and SVGs drawn by Debian's Chromium. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { userError } from "@dbgen/schema-core";

/** Mermaid's self-contained browser bundle, inlined into index.html so the page works offline. */
export async function readMermaidBundle(): Promise<string> {
  const path = createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  return readFile(path, "utf8");
}

export const CHROMIUM = process.env.DBGEN_CHROMIUM ?? "/usr/bin/chromium";

/** Flags for a closed network: no background traffic, no sandbox as root. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Opens `htmlPath` in headless Chromium, waits for every diagram, and returns each view's SVG.
 * Needs Debian's chromium (never a downloaded browser).
 */
export async function renderSvgs(htmlPath: string): Promise<Map<string, string>> {
  if (!existsSync(CHROMIUM)) {
    throw userError(
      "INVALID_CONFIG",
      `--svg needs Chromium at ${CHROMIUM}`,
      "apt-get install chromium (or set DBGEN_CHROMIUM to its path)",
    );
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // The page needs nothing but itself; whatever else it asks for is refused, never fetched into an SVG.
    await page.route(/^(?!file:|data:)/, (route) => route.abort("blockedbyclient"));
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector("body[data-rendered]", { timeout: 60_000 });
    const state = await page.getAttribute("body", "data-rendered");
    if (state !== "true")
      throw new Error(`Mermaid could not render the diagrams: ${await page.textContent("#status")}`);
    const svgs = await page.$$eval("section.diagram", (sections) =>
      sections.map(
        (s) => [s.getAttribute("data-view") ?? "", s.querySelector("svg")?.outerHTML ?? ""] as [string, string],
      ),
    );
    return new Map(svgs.filter(([, svg]) => svg !== ""));
  } finally {
    await browser.close();
  }
}
