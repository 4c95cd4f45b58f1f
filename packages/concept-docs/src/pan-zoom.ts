/**
 * The diagram viewport both the concept docs' `index.html` and the change-review panel use: a box of
 * the window's size with zoom buttons, the mouse wheel (zooming at the pointer), dragging to pan, and
 * Fit (the whole diagram). It opens fitted when the text stays readable that way (at least
 * `MIN_TEXT_PX` on screen); a larger model opens at the smallest readable scale on its first entity
 * instead — a whole 16-entity model fitted to a 1400×900 window has 3-pixel text — and the
 * rest is a drag, a zoom out or Fit away. `focus(element)` zooms to one entity (the search uses it).
 * Plain browser JavaScript, inlined into each page (no network).
 */

/** The viewport's look: `.diagram-viewport` holds `.zoom` (the buttons) and `.canvas` (the SVG). */
export const PAN_ZOOM_STYLE = `.diagram-viewport { position: relative; overflow: hidden; height: 70vh; min-height: 320px; border: 1px solid #d9e2ec; border-radius: 6px; background: #fff; cursor: grab; touch-action: none; }
.diagram-viewport .canvas { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.diagram-viewport .canvas svg { max-width: none !important; }
.diagram-viewport .zoom { position: absolute; right: 8px; top: 8px; display: flex; gap: 4px; z-index: 1; }
.diagram-viewport .zoom button { font: inherit; min-width: 2.2em; padding: 2px 8px; cursor: pointer; }`;

/** The buttons of one viewport (put inside `.diagram-viewport`, before `.canvas`). */
export const PAN_ZOOM_BUTTONS = `<div class="zoom"><button type="button" data-zoom="in" aria-label="Zoom in">+</button><button type="button" data-zoom="out" aria-label="Zoom out">−</button><button type="button" data-zoom="fit">Fit</button></div>`;

/** `dbgenPanZoom(viewport)`: call once its SVG is rendered; returns `{ fit, focus }` (also `viewport.dbgenView`). */
export const PAN_ZOOM_SCRIPT = `function dbgenPanZoom(box) {
  const MIN_TEXT_PX = 10;
  const canvas = box.querySelector(".canvas");
  let scale = 1, x = 0, y = 0, drag = null;
  const apply = () => { canvas.style.transform = "translate(" + x + "px, " + y + "px) scale(" + scale + ")"; };
  const size = () => {
    const svg = canvas.querySelector("svg");
    if (!svg || !box.clientWidth || !box.clientHeight) return null;
    const view = svg.viewBox && svg.viewBox.baseVal;
    const rect = svg.getBoundingClientRect();
    const w = view && view.width ? view.width : rect.width / scale;
    const h = view && view.height ? view.height : rect.height / scale;
    svg.setAttribute("width", String(w));
    svg.setAttribute("height", String(h));
    return { w, h };
  };
  // The scale at which the diagram's labels are MIN_TEXT_PX on screen.
  const readable = () => {
    const label = canvas.querySelector("svg .label, svg text");
    const px = label ? parseFloat(getComputedStyle(label).fontSize) : NaN;
    return MIN_TEXT_PX / (px > 0 ? px : 14);
  };
  const fit = () => {
    const s = size();
    if (!s) return;
    scale = Math.min(box.clientWidth / s.w, box.clientHeight / s.h, 2) * 0.96;
    x = (box.clientWidth - s.w * scale) / 2;
    y = (box.clientHeight - s.h * scale) / 2;
    apply();
  };
  const open = () => {
    const s = size();
    if (!s) return;
    fit();
    if (scale >= readable()) return;
    // Too big to read whole: the model's first entity, readable, at the top of the window.
    const first = canvas.querySelector("svg g.node");
    const r = first ? first.getBoundingClientRect() : null;
    const c = canvas.getBoundingClientRect();
    const ex = r ? (r.left - c.left + r.width / 2) / scale : s.w / 2;
    const ey = r ? (r.top - c.top) / scale : 0;
    scale = readable();
    x = box.clientWidth / 2 - ex * scale;
    y = 16 - ey * scale;
    apply();
  };
  const focus = (element) => {
    if (!size()) return;
    const r = element.getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    const ex = (r.left - c.left) / scale, ey = (r.top - c.top) / scale;
    const ew = r.width / scale, eh = r.height / scale;
    scale = Math.max(readable(), Math.min((box.clientWidth * 0.6) / ew, (box.clientHeight * 0.6) / eh, 1.5));
    x = box.clientWidth / 2 - (ex + ew / 2) * scale;
    y = box.clientHeight / 2 - (ey + eh / 2) * scale;
    apply();
  };
  const zoomAt = (factor, cx, cy) => {
    const next = Math.min(Math.max(scale * factor, 0.05), 8);
    x = cx - ((cx - x) * next) / scale;
    y = cy - ((cy - y) * next) / scale;
    scale = next;
    apply();
  };
  box.querySelector('[data-zoom="in"]').addEventListener("click", () => zoomAt(1.25, box.clientWidth / 2, box.clientHeight / 2));
  box.querySelector('[data-zoom="out"]').addEventListener("click", () => zoomAt(1 / 1.25, box.clientWidth / 2, box.clientHeight / 2));
  box.querySelector('[data-zoom="fit"]').addEventListener("click", fit);
  box.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = box.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  box.addEventListener("pointerdown", (e) => {
    if (e.target.closest("button")) return;
    drag = { px: e.clientX - x, py: e.clientY - y };
    box.style.cursor = "grabbing";
  });
  window.addEventListener("pointermove", (e) => { if (drag) { x = e.clientX - drag.px; y = e.clientY - drag.py; apply(); } });
  window.addEventListener("pointerup", () => { drag = null; box.style.cursor = ""; });
  open();
  box.dbgenView = { fit, focus };
  return box.dbgenView;
}`;
