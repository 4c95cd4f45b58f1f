/** `dbgen lint`'s findings as text, JSON, GitHub Actions annotations or SARIF. */
import type { Finding, LintResult } from "@dbgen/pipeline/commands/lint";

export type LintFormat = "text" | "json" | "github" | "sarif";

export function lintText(r: LintResult, format: LintFormat, version: string): string[] {
  if (format === "json") return [JSON.stringify(r.findings, null, 2)];
  if (format === "github") return githubAnnotations(r.findings);
  if (format === "sarif") return [JSON.stringify(sarifLog(r.findings, version), null, 2)];
  return findingLines(r.findings, r.files.length);
}

function findingLines(findings: readonly Finding[], files: number): string[] {
  const lines = findings.map(
    (f) => `${f.file}:${f.line}:${f.column} ${f.severity}[${f.rule}] ${f.message}\n  fix: ${f.fix}\n  see: ${f.url}`,
  );
  lines.push(
    findings.length === 0
      ? `lint: ${files} file(s), no finding`
      : `lint: ${findings.length} finding(s) in ${new Set(findings.map((f) => f.file)).size} of ${files} file(s)`,
  );
  return lines;
}

/** GitHub Actions workflow commands: one annotation a finding. */
function githubAnnotations(findings: readonly Finding[]): string[] {
  const encode = (s: string) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
  const property = (s: string) => encode(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
  return findings.map(
    (f) =>
      `::${f.severity} file=${property(f.file)},line=${f.line},col=${f.column},title=${property(f.rule)}::${encode(`${f.message} Fix: ${f.fix}`)}`,
  );
}

/** SARIF 2.1.0, what code-scanning services read. */
function sarifLog(findings: readonly Finding[], version: string): unknown {
  const rules = [...new Set(findings.map((f) => f.rule))].sort();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "dbgen lint",
            version,
            informationUri: "https://squawkhq.com/docs/rules",
            rules: rules.map((id) => ({ id, helpUri: findings.find((f) => f.rule === id)?.url })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          level: f.severity === "error" ? "error" : "warning",
          message: { text: `${f.message} Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
        })),
      },
    ],
  };
}
