/**
 * index.html in headless Chromium (Debian's, through playwright-core): no console error, one
 * rendered entity per entity of each diagram, the switcher and the search work. Saves a screenshot.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BusmModel } from "@dbgen/busm-reader";
import { chromium, type Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  buildConceptViews,
  CHROMIUM,
  CHROMIUM_ARGS,
  type ConceptInput,
  readMermaidBundle,
  renderConceptDocs,
} from "../src/index.js";
import { exampleInput, hostileModel, propertyModel } from "./fixtures.js";

const ARTIFACTS = fileURLToPath(new URL("./.artifacts", import.meta.url));
const missing = existsSync(CHROMIUM) ? "" : `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
if (missing) process.stderr.write(`\n*** SKIPPING the browser checks of concept docs: ${missing}\n\n`);

/** What a diagram's viewport shows: whether the SVG fits, its width, and its labels' height on screen. */
async function viewOf(box: Locator) {
  return box.evaluate((el) => {
    const v = el.getBoundingClientRect();
    const svg = el.querySelector("svg");
    if (!svg) throw new Error("no diagram");
    const s = svg.getBoundingClientRect();
    const label = svg.querySelector(".label, text")?.getBoundingClientRect();
    return {
      fits: s.left >= v.left - 1 && s.right <= v.right + 1 && s.top >= v.top - 1 && s.bottom <= v.bottom + 1,
      width: s.width,
      viewport: [v.width, v.height],
      textPx: label?.height ?? 0,
    };
  });
}

async function openDocs(input: ConceptInput, screenshot: string, viewport = { width: 1400, height: 1000 }) {
  const dir = await mkdtemp(join(tmpdir(), "dbgen-concept-"));
  const files = renderConceptDocs(input, await readMermaidBundle());
  const html = files.find((f) => f.path.endsWith("index.html"))?.content ?? "";
  await writeFile(join(dir, "index.html"), html);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(join(dir, "index.html")).href);
  await page.waitForSelector("body[data-rendered]", { timeout: 60_000 });
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: false });
  return {
    page,
    errors,
    close: async () => {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(missing !== "")("index.html in Chromium", () => {
  it("renders every diagram of the example offline, one box per entity, and its switcher and search work", async () => {
    const input = await exampleInput();
    const expected = buildConceptViews(input).views.map((v) => [v.view.id, v.view.entities.length]);
    const { page, errors, close } = await openDocs(input, "example.png");
    try {
      expect(await page.getAttribute("body", "data-rendered")).toBe("true");
      expect(errors).toEqual([]);
      const counts = await page.$$eval("section.diagram", (sections) =>
        sections.map((s) => [s.getAttribute("data-view"), s.querySelectorAll("svg g.node").length]),
      );
      expect(counts).toEqual(expected);
      await page.selectOption("#switcher", "master-view");
      expect(
        await page.$$eval("section.diagram:not(.hidden)", (s) => s.map((x) => x.getAttribute("data-view"))),
      ).toEqual(["master-view"]);
      await page.fill("#search", "workor");
      await page.click("#results button");
      expect(
        await page.$$eval("section.diagram:not(.hidden)", (s) => s.map((x) => x.getAttribute("data-view"))),
      ).toEqual(["busm"]);
      expect(await page.$eval(".found", (el) => el.textContent ?? "")).toContain("WorkOrder");
      await page.screenshot({ path: join(ARTIFACTS, "example-search.png") });
    } finally {
      await close();
    }
  });

  it("opens the whole model at a readable scale, and zooms, pans and fits it whole", async () => {
    const { page, errors, close } = await openDocs(await exampleInput(), "example-fit.png");
    try {
      expect(errors).toEqual([]);
      const box = page.locator('section.diagram[data-view="busm"] .diagram-viewport');
      const first = await viewOf(box);
      expect(first.textPx).toBeGreaterThanOrEqual(9.9);
      expect(first.viewport[1]).toBeLessThanOrEqual(800);
      await box.getByRole("button", { name: "Zoom in" }).click();
      await box.getByRole("button", { name: "Zoom in" }).click();
      const zoomed = await viewOf(box);
      expect(zoomed.width).toBeGreaterThan(first.width * 1.4);
      await box.hover();
      await page.mouse.down();
      await page.mouse.move(100, 100);
      await page.mouse.up();
      await box.getByRole("button", { name: "Fit" }).click();
      expect((await viewOf(box)).fits).toBe(true);
      expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    } finally {
      await close();
    }
  });

  it("a 16-entity model at 1400×900: readable text at first, Fit shows it whole, and the search zooms to the entity", async () => {
    const { page, errors, close } = await openDocs({ model: propertyModel(), modules: [] }, "property.png", {
      width: 1400,
      height: 900,
    });
    try {
      expect(errors).toEqual([]);
      const box = page.locator('section.diagram[data-view="busm"] .diagram-viewport');
      expect((await viewOf(box)).textPx).toBeGreaterThanOrEqual(9.9);
      await box.getByRole("button", { name: "Fit" }).click();
      const whole = await viewOf(box);
      expect(whole.fits).toBe(true);
      expect(whole.textPx).toBeLessThan(5);
      await page.fill("#search", "Booking");
      await page.click("#results button");
      const found = await box.evaluate((el) => {
        const v = el.getBoundingClientRect();
        const node = el.querySelector(".found");
        if (!node) throw new Error("no entity outlined");
        const r = node.getBoundingClientRect();
        const label = node.querySelector(".label, text")?.getBoundingClientRect();
        return {
          inside: r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom,
          offCentre: [
            Math.abs(r.left + r.width / 2 - (v.left + v.width / 2)) / v.width,
            Math.abs(r.top + r.height / 2 - (v.top + v.height / 2)) / v.height,
          ],
          labelPx: label?.height ?? 0,
          text: node.textContent ?? "",
        };
      });
      expect(found.text).toContain("Booking");
      expect(found.inside).toBe(true);
      expect(Math.max(...found.offCentre)).toBeLessThan(0.1);
      expect(found.labelPx).toBeGreaterThanOrEqual(9.9);
      await page.screenshot({ path: join(ARTIFACTS, "property-search.png") });
    } finally {
      await close();
    }
  });

  it("shows a Mermaid directive in model text as text: no theme change, no request, a policy allowing no origin", async () => {
    const directive =
      "%%{init: {'themeCSS': 'svg { background: url(http://127.0.0.2:9/leak) } .er.entityBox { fill: red }'}}%%";
    const model: BusmModel = {
      busm: "1",
      name: "Directives",
      description: directive,
      enums: { Mode: [directive, "%%{init: {'theme': 'dark'}}%%"] },
      entities: {
        Note: {
          table: "note",
          description: directive,
          fields: { body: { type: "text", description: directive }, mode: { type: "enum", enum: "Mode" } },
        },
      },
    };
    const { page, errors, close } = await openDocs({ model, modules: [] }, "directive.png");
    try {
      expect(await page.getAttribute("body", "data-rendered")).toBe("true");
      expect(errors).toEqual([]);
      const styles = await page.$eval("section.diagram svg", (el) =>
        [...el.querySelectorAll("style")].map((s) => s.textContent ?? "").join("\n"),
      );
      expect(styles).toContain(".er");
      expect(styles).not.toContain("127.0.0.2");
      expect(styles).not.toContain("fill: red");
      expect(await page.$eval("section.diagram svg", (el) => el.textContent ?? "")).toContain("%%{init:");
      const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
      expect(policy).toMatch(/default-src 'none'/);
      expect(policy).not.toMatch(/https?:|\*/);
    } finally {
      await close();
    }
  });

  it("renders quotes, punctuation, reserved words and 70-byte names", async () => {
    const { page, errors, close } = await openDocs({ model: hostileModel, modules: [] }, "hostile.png");
    try {
      expect(await page.getAttribute("body", "data-rendered")).toBe("true");
      expect(errors).toEqual([]);
      expect(await page.$$eval("section.diagram svg g.node", (n) => n.length)).toBe(2);
      const text = await page.$eval("section.diagram svg", (svg) => svg.textContent ?? "");
      expect(text).toContain('It\'s "fine"');
      expect(text).toContain("#hash");
      expect(text).toContain("a|b");
      expect(text).toContain("<tag>");
      expect(text).toContain(`a_${"x".repeat(66)}_z`);
      expect(text).toContain("LongNameEntityWithAVeryLongNameThatGoesOnAndOnAndOnBeyondSeventyBytesXYZ");
    } finally {
      await close();
    }
  });
});
