/**
 * The panel's one page: HTML, CSS and script inline (it works with no network; Mermaid comes from the
 * same server). It reads the state from `/api/state`, listens to `/api/events` for file changes, and
 * posts Apply, Rollback and the production apply. Every call carries the per-run token.
 */
import { PAN_ZOOM_BUTTONS, PAN_ZOOM_SCRIPT, PAN_ZOOM_STYLE } from "@dbgen/concept-docs";

/** The page's one inline script (the server's Content-Security-Policy allows it by its hash). */
export const PANEL_SCRIPT = `
const TOKEN = new URLSearchParams(location.search).get("token") || "";
const headers = { "x-dbgen-token": TOKEN, "content-type": "application/json" };
let state = null;
let view = null;
const ui = {};
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
function sql(text) {
  return esc(text)
    .replace(/(--[^\\n]*)/g, '<span class="cm">$1</span>')
    .replace(/(&#39;(?:[^&]|&(?!#39;))*?&#39;)/g, '<span class="str">$1</span>')
    .replace(/\\b(CREATE|TABLE|ALTER|ADD|DROP|COLUMN|CONSTRAINT|PRIMARY|KEY|FOREIGN|REFERENCES|INDEX|UNIQUE|NOT|NULL|DEFAULT|ON|DELETE|UPDATE|CASCADE|SET|INSERT|INTO|VALUES|SELECT|FROM|WHERE|AND|OR|COMMENT|IS|USING|TYPE|IF|EXISTS|BEGIN|COMMIT|RENAME|TO)\\b/g, '<span class="kw">$1</span>');
}
async function api(path, body) {
  const response = await fetch(path, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  return response.json();
}
function busy(text) { document.getElementById("busy").textContent = text || ""; }
function diagnostics(list) {
  return (list || []).map((d) => \`<div class="message \${d.severity === "error" ? "error" : ""}" role="alert"><strong>\${esc(d.code)}</strong> \${esc(d.file || "")} — \${esc(d.message)}\${d.fix ? "<br>Fix: " + esc(d.fix) : ""}</div>\`).join("");
}
function list(items, render) { return items.length ? "<ul>" + items.map((x) => "<li>" + render(x) + "</li>").join("") + "</ul>" : '<p class="muted">None</p>'; }
async function load() {
  busy("Reading the project and the databases…");
  state = await api("/api/state");
  busy("");
  if (!view || !state.views.includes(view)) view = state.views[0];
  render();
}
function nav() {
  document.getElementById("views").innerHTML = state.views.map((v) => \`<button type="button" aria-pressed="\${v === view}" data-view="\${esc(v)}">\${esc(v)}</button>\`).join("");
  for (const b of document.querySelectorAll("#views button")) b.onclick = () => { view = b.dataset.view; render(); };
}
function render() {
  nav();
  const main = document.getElementById("main");
  if (state.errors?.length) { main.innerHTML = diagnostics(state.errors); return; }
  main.innerHTML = view === "production" ? production(state.production) : moduleView(state.modules.find((m) => m.module === view));
  wire();
  showResult();
  drawDiagrams();
}
function moduleView(m) {
  if (!m) return "";
  if (m.errors) return '<section class="card">' + diagnostics(m.errors) + "</section>";
  const r = m.review; const s = m.status || {};
  const head = r.status === "changes" ? \`BUILD ITERATION \${r.iteration} — DATABASE CHANGES DETECTED\` : \`ITERATION \${r.previousIteration} — NO CHANGES DETECTED\`;
  const review = r.status === "changes" ? \`
    <div class="grid">
      <div><h3>New Tables</h3>\${list(r.newTables, (t) => \`<strong>\${esc(t.name)}</strong> <span class="muted">(\${t.columns} columns)</span>\`)}</div>
      <div><h3>Modified Tables</h3>\${list(r.modifiedTables, (t) => \`<strong>\${esc(t.name)}</strong>\${t.added.length ? "<br>+ " + esc(t.added.join(", ")) : ""}\${t.changed.length ? "<br>~ " + esc(t.changed.join("; ")) : ""}\${t.dropped.length ? '<br><span class="bad">− ' + esc(t.dropped.join(", ")) + "</span>" : ""}\`)}\${r.droppedTables.length ? '<p class="bad">Dropped: ' + esc(r.droppedTables.join(", ")) + "</p>" : ""}</div>
      <div><h3>New Relationships</h3>\${list(r.newRelationships, (x) => \`\${esc(x.table)}.\${esc(x.columns)} → \${esc(x.references)}\`)}</div>
    </div>
    <h3>Hazards</h3>\${list(r.hazards, (h) => \`<span class="\${h.hazards.includes("destructive") ? "bad" : "warn"}">\${esc(h.hazards.join(", "))}</span>: \${esc(h.operation)} — \${esc(h.reason || "")}\`)}
    <h3>Migration Preview</h3><pre>\${sql(r.up.split("\\n").filter((l) => !l.startsWith("--")).slice(0, 14).join("\\n"))}</pre>
    <div class="actions">
      <button type="button" data-action="cancel">Cancel</button>
      <button type="button" data-action="review">Review Full Migration</button>
      <button type="button" class="primary" data-action="apply">Apply &amp; Continue</button>
    </div>
    <div id="full" hidden>
      <div class="tabs" role="tablist"><button type="button" role="tab" aria-selected="true" data-tab="up">Migration</button><button type="button" role="tab" aria-selected="false" data-tab="down">Rollback</button><button type="button" role="tab" aria-selected="false" data-tab="types">Types diff</button></div>
      <pre id="fulltext" aria-label="Full migration">\${sql(r.up)}</pre>
    </div>\` : '<p class="muted">The module file matches the latest iteration. Edit it and this page updates.</p>';
  const iterations = (s.generated || []).map((i) => {
    const applied = (s.applied || []).includes(i);
    return \`<tr><td>\${i}</td><td>\${applied ? '<span class="ok">applied</span>' : '<span class="warn">pending</span>'}</td><td>\${esc((m.files || {})[i] || "")}</td><td>\${applied && i > 0 && i === Math.max(...(s.applied || [0])) ? \`<button type="button" data-action="rollback" data-to="\${i - 1}">Rollback iteration \${i}</button>\` : ""}</td></tr>\`;
  }).join("");
  return \`<section class="card" aria-labelledby="title"><h2 id="title">\${esc(head)}</h2><p class="muted">Module <strong>\${esc(m.module)}</strong> · database \${esc(m.database || "")}</p>\${review}<div id="confirm"></div><div id="result" aria-live="polite"></div></section>
    <section class="card"><h2>Iterations</h2><table><thead><tr><th>#</th><th>state</th><th>migration</th><th></th></tr></thead><tbody>\${iterations || '<tr><td colspan="4" class="muted">None generated yet</td></tr>'}</tbody></table>
    <h3>Drift</h3>\${s.drift && s.drift.length ? list(s.drift, esc) : '<p class="muted">No drift: the database matches its iteration.</p>'}</section>
    <section class="card"><h2>ER diagram</h2>\${diagram(r.diagram)}</section>\`;
}
function diagram(text) {
  return \`<div class="diagram-viewport" data-mermaid="\${esc(text)}">${PAN_ZOOM_BUTTONS}<div class="canvas"></div></div>\`;
}
function production(p) {
  if (!p) return "";
  if (p.errors) return '<section class="card">' + diagnostics(p.errors) + "</section>";
  return \`<section class="card"><h2>PRODUCTION — \${p.migrations.length ? p.migrations.length + " MIGRATION(S) PLANNED" : "NO CHANGE PLANNED"}</h2>
    <p class="muted">\${p.tables} tables hardened · target \${esc(p.target)}</p>
    <h3>Hardening plan</h3>\${list(p.migrations, (m) => \`\${esc(m.name)}\${m.outsideTransaction ? ' <span class="muted">(outside a transaction)</span>' : ""}\`)}
    <h3>Who may do what</h3>\${accessTable(p.access || [])}
    <h3>Lint findings</h3>\${list(p.findings, (f) => \`<span class="\${f.severity === "error" ? "bad" : "warn"}">\${esc(f.rule)}</span> \${esc(f.file)}:\${f.line} — \${esc(f.message)}\`)}
    <div class="actions"><button type="button" class="primary" data-action="production">Apply production migrations</button></div>
    <div id="confirm"></div><div id="result" aria-live="polite"></div>
    <h3>Merge report</h3><pre>\${esc(p.report || "(no merge report yet: run dbgen merge)")}</pre></section>\`;
}
function accessTable(rows) {
  if (!rows.length) return '<p class="muted">No entity.</p>';
  const ops = ["select", "insert", "update", "delete"];
  const body = rows.map((r) => \`<tr><th>\${esc(r.entity)}\${r.mode ? ' <span class="muted">(' + esc(r.mode) + ")</span>" : ""}</th>\${ops.map((op) => "<td>" + (r[op] ? esc(r[op]) : '<span class="muted">nobody</span>') + "</td>").join("")}<td>\${esc(r.owner)}</td><td>\${esc(r.scope)}</td></tr>\`).join("");
  return \`<table aria-label="Who may do what"><thead><tr><th>entity</th>\${ops.map((op) => "<th>" + op + "</th>").join("")}<th>owner</th><th>scope</th></tr></thead><tbody>\${body}</tbody></table>\`;
}
function confirmBox(text, label, onYes) {
  const box = document.getElementById("confirm");
  box.innerHTML = \`<div class="message error" role="alertdialog" aria-label="Confirm">\${text}<div class="actions"><button type="button" class="danger" id="yes">\${esc(label)}</button><button type="button" id="no">Keep everything</button></div></div>\`;
  document.getElementById("yes").onclick = () => { box.innerHTML = ""; onYes(); };
  document.getElementById("no").onclick = () => { box.innerHTML = ""; };
}
/** The last action's outcome stays on the page through every re-render (a file change re-renders too). */
function showResult() {
  const result = document.getElementById("result");
  const out = ui.last;
  if (!result || !out || out.view !== view) return;
  result.innerHTML = out.ok ? \`<div class="message" role="status">\${esc((out.lines || []).join("\\n"))}</div>\` : diagnostics(out.errors);
}
async function post(path, body, doing) {
  busy(doing);
  for (const b of document.querySelectorAll("button")) b.disabled = true;
  const out = await api(path, body);
  busy("");
  ui.last = { ...out, view };
  await load();
}
function wire() {
  const m = state.modules.find((x) => x.module === view);
  for (const b of document.querySelectorAll("[data-action]")) {
    const action = b.dataset.action;
    b.onclick = () => {
      if (action === "cancel") { document.getElementById("full").hidden = true; document.getElementById("confirm").innerHTML = ""; ui.last = { ok: true, lines: ["Cancelled: nothing was written or applied."], view }; showResult(); }
      if (action === "review") document.getElementById("full").hidden = false;
      if (action === "apply") {
        const drops = m.review.destructive;
        if (drops.length) confirmBox("This change drops data:<ul>" + drops.map((d) => "<li>" + esc(d) + "</li>").join("") + "</ul>Rows in them are saved in schema dbgen first (dbgen restore puts them back).", "Drop and apply", () => post("/api/modules/" + encodeURIComponent(m.module) + "/apply", { confirm: drops }, "Applying…"));
        else post("/api/modules/" + encodeURIComponent(m.module) + "/apply", {}, "Applying…");
      }
      if (action === "rollback") {
        const to = Number(b.dataset.to);
        const drops = (m.review.rollbackDrops || {})[to + 1] || [];
        confirmBox(\`Roll \${esc(m.module)} back to iteration \${to}?\${drops.length ? "<br>This drops:<ul>" + drops.map((d) => "<li>" + esc(d) + "</li>").join("") + "</ul>Their rows are saved in schema dbgen first (dbgen restore puts them back)." : "<br>Nothing is dropped."}\`, "Roll back", () => post("/api/modules/" + encodeURIComponent(m.module) + "/rollback", { to, confirm: true }, "Rolling back…"));
      }
      if (action === "production") confirmBox(\`Apply the production migrations to \${esc(state.production.target)}?\`, "Apply to this database", () => post("/api/production/apply", { confirm: true }, "Applying production…"));
    };
  }
  for (const t of document.querySelectorAll("[data-tab]")) t.onclick = () => {
    for (const x of document.querySelectorAll("[data-tab]")) x.setAttribute("aria-selected", String(x === t));
    document.getElementById("fulltext").innerHTML = sql(m.review[t.dataset.tab]);
  };
}
${PAN_ZOOM_SCRIPT}
let diagrams = 0;
async function drawDiagrams() {
  if (!window.mermaid) return;
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral", er: { useMaxWidth: false } });
  for (const box of document.querySelectorAll(".diagram-viewport")) {
    const { svg } = await window.mermaid.render("d" + ++diagrams, box.dataset.mermaid);
    box.querySelector(".canvas").innerHTML = svg;
    dbgenPanZoom(box);
  }
}
const events = new EventSource("/api/events?token=" + encodeURIComponent(TOKEN));
events.addEventListener("change", () => load());
load();
`;

export const PANEL_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dbgen panel</title>
<link rel="icon" href="data:,">
<style>
  :root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7f9; --card: #fff; --accent: #2456d6; --bad: #b42318; --warn: #9a6700; --ok: #18794e; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
  header { display: flex; gap: 16px; align-items: center; padding: 10px 20px; background: #1d2330; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0; }
  header nav { display: flex; gap: 6px; flex-wrap: wrap; }
  header nav button { background: transparent; color: #fff; border: 1px solid #56607a; }
  header nav button[aria-pressed="true"] { background: #fff; color: #1d2330; }
  #busy { margin-left: auto; font-size: 13px; color: #c9d2e3; }
  main { max-width: 1180px; margin: 0 auto; padding: 16px 20px 60px; }
  section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 16px; overflow-wrap: anywhere; }
  h2 { font-size: 15px; letter-spacing: .04em; margin: 0 0 12px; }
  h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 16px 0 6px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
  ul { margin: 0; padding-left: 18px; }
  .muted { color: var(--muted); }
  .bad { color: var(--bad); } .warn { color: var(--warn); } .ok { color: var(--ok); }
  button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
  button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
  button.danger { background: var(--bad); color: #fff; border-color: var(--bad); }
  button:disabled { opacity: .5; cursor: default; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 14px; }
  pre { background: #0f1420; color: #e6e9ef; padding: 12px; border-radius: 6px; overflow: auto; max-height: 420px; font: 12px/1.5 ui-monospace, monospace; white-space: pre; }
  .kw { color: #7aa2f7; } .str { color: #9ece6a; } .cm { color: #6b7394; } .num { color: #ff9e64; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  td:not(:nth-child(3)) { white-space: nowrap; overflow-wrap: normal; }
  .message { border-left: 4px solid var(--accent); padding: 8px 12px; background: #eef3ff; margin-top: 12px; white-space: pre-wrap; }
  .message.error { border-color: var(--bad); background: #fdecea; }
  ${PAN_ZOOM_STYLE}
  .diagram-viewport { height: 420px; }
  .tabs { display: flex; gap: 6px; margin: 8px 0; }
  .tabs button[aria-selected="true"] { background: var(--fg); color: #fff; }
</style>
</head>
<body>
<header>
  <h1>dbgen — change review</h1>
  <nav id="views" aria-label="Views"></nav>
  <span id="busy" role="status" aria-live="polite"></span>
</header>
<main id="main"><p class="muted">Loading…</p></main>
<script src="/assets/mermaid.js?token=__TOKEN__"></script>
<script>${PANEL_SCRIPT}</script>
</body>
</html>
`;
