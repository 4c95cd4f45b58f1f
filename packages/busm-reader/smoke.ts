import { readProject } from "./src/index.js";
import { diffSchemas, emptySchema, renderPostgres, formatDiagnostic, renderTypescript } from "@dbgen/schema-core";
const p = await readProject("/work/main");
for (const d of p.diagnostics) console.log(formatDiagnostic(d));
if (p.schema) {
  const plan = diffSchemas(emptySchema(), p.schema);
  console.log(renderPostgres(plan.operations).join("\n"));
  for (const w of plan.warnings) console.log(formatDiagnostic(w));
  for (const m of p.modules) console.log("--", m.file, "\n" + renderPostgres(diffSchemas(emptySchema(), m.schema).operations).join("\n"));
}
