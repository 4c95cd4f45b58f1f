/**
 * Model text never becomes a statement: a project whose every free-text field (the model's name and
 * description, entity and field descriptions, enum values, defaults, the module's description, a
 * seed 004 spec's descriptions) carries SQL meant to escape a comment or a literal, run through every
 * command that writes SQL. Each file is parsed by PostgreSQL's own parser (libpg-query): the hostile
 * word may appear in literals only, never as a name a statement acts on.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModule, parseSync } from "libpg-query";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbgen, treeOf } from "./helpers.js";

const WORD = "pwned";
const ESCAPES = [
  `line\nDROP TABLE ${WORD}; --`,
  `cr\rDROP TABLE ${WORD}; --`,
  `*/ DROP TABLE ${WORD}; /*`,
  `it's'); DROP TABLE ${WORD}; --`,
  `$$; DROP TABLE ${WORD}; $$`,
  `\\'; SELECT ${WORD}(); --`,
];
const BUSM = ".pipeline/factory-tools/busm-reader/busm-model.json";

function hostileModel(name: string) {
  return {
    busm: "1",
    name,
    description: ESCAPES.join(" "),
    enums: { Tone: ["plain", ...ESCAPES] },
    entities: {
      Note: {
        description: ESCAPES[0],
        fields: {
          id: { type: "uuid", primaryKey: true, description: ESCAPES[1] },
          title: { type: "string", required: true, default: ESCAPES[0], description: ESCAPES[2] },
          tone: { type: "enum", enum: "Tone", required: true, default: "plain", description: ESCAPES[3] },
          body: { type: "text", description: ESCAPES[5] },
        },
        access: { mode: "authenticated" },
      },
    },
  };
}

const MODULE = [
  "module: notes",
  "phase: 1",
  `description: ${JSON.stringify(ESCAPES.join(" "))}`,
  "entities: [Note]",
  "fields:",
  "  Note: [id, title, tone, body]",
  "",
].join("\n");

function spec(description: string) {
  return {
    description,
    databaseType: "postgresql",
    tables: [
      {
        name: "letters",
        description: ESCAPES[0],
        columns: [
          { name: "id", type: "INTEGER", nullable: false, description: ESCAPES[2] },
          { name: "body", type: "TEXT", nullable: true, default: ESCAPES[3], description: ESCAPES[4] },
        ],
        primaryKey: ["id"],
      },
    ],
  };
}

type Node = unknown;

/**
 * Where the word stands as something a statement acts on (a table, a function, a column): every
 * string in the parse tree except literal values (`A_Const`) and a comment's text (`CommentStmt`).
 */
function namesHolding(node: Node, word: string, path = ""): string[] {
  if (typeof node === "string") return node.includes(word) ? [path] : [];
  if (!node || typeof node !== "object") return [];
  if (Array.isArray(node)) return node.flatMap((n, i) => namesHolding(n, word, `${path}[${i}]`));
  const out: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "A_Const") continue;
    if (key === "CommentStmt") {
      const { comment: _text, ...rest } = value as Record<string, unknown>;
      out.push(...namesHolding(rest, word, `${path}.${key}`));
      continue;
    }
    out.push(...namesHolding(value, word, `${path}.${key}`));
  }
  return out;
}

async function sqlFiles(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".sql") && !/(^|\/)dev\//.test(f)).sort();
}

const temps: string[] = [];
let root = "";
beforeAll(async () => {
  await loadModule();
  root = await mkdtemp(join(tmpdir(), "dbgen-headers-"));
  temps.push(root);
  await mkdir(join(root, ".pipeline/factory-tools/busm-reader"), { recursive: true });
  await mkdir(join(root, ".pipeline/modules"), { recursive: true });
  await writeFile(join(root, BUSM), JSON.stringify(hostileModel(`hostile ${ESCAPES[2]} -- ' $$`), null, 2));
  await writeFile(join(root, ".pipeline/modules/notes-phase1.yaml"), MODULE);
  await writeFile(join(root, "spec.json"), JSON.stringify(spec("add letters")));
  const steps = [
    ["validate"],
    ["generate", "--module", "notes"],
    ["rollback", "--module", "notes", "--yes"],
    ["harden"],
    ["all"],
    ["seed", "--stage", "production"],
    ["seed", "--module", "notes"],
    ["migrate", join(root, "spec.json"), "--out", join(root, "spec-out")],
  ];
  for (const args of steps) {
    const run = await dbgen(["--root", root, ...args]);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

describe("hostile text in every field that reaches generated SQL", () => {
  it("every kind of generated SQL file is written", async () => {
    const files = await sqlFiles(root);
    const kinds = [
      /^\.pipeline\/database\/model\/schema\.sql$/,
      /^\.pipeline\/database\/migrations\/prototype\/notes\/\d{14}_iter1_[a-z_]+\.sql$/,
      /^\.pipeline\/database\/rollbacks\/prototype\/notes\/rollback-iteration-1\.sql$/,
      /^\.pipeline\/database\/production\/schema\.sql$/,
      /^\.pipeline\/database\/migrations\/production\/\d{14}_[a-z_]+\.sql$/,
      /^\.pipeline\/database\/migrations\/production\/\d{14}_[a-z_]+\.down\.sql$/,
      /^supabase\/migrations\/\d{14}_[a-z_]+\.sql$/,
      /^supabase\/seed\.sql$/,
      /^\.pipeline\/database\/seed\/notes\.sql$/,
      /^spec-out\/\d{14}_add_letters\.sql$/,
    ];
    for (const kind of kinds)
      expect(
        files.filter((f) => kind.test(f)),
        String(kind),
      ).not.toEqual([]);
  });

  it("each file parses as PostgreSQL, and the hostile word is only ever inside a literal", async () => {
    const files = await sqlFiles(root);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const text = await readFile(join(root, file), "utf8");
      let tree: Node;
      try {
        tree = parseSync(text);
      } catch (error) {
        throw new Error(`${file} does not parse: ${(error as Error).message}`);
      }
      expect(namesHolding(tree, WORD), file).toEqual([]);
      // A comment line holds no carriage return: PostgreSQL would end the comment there too.
      const comments = text.split("\n").filter((l) => l.startsWith("--"));
      expect(
        comments.filter((l) => l.includes("\r")),
        file,
      ).toEqual([]);
    }
  });

  it("a writer handed a name with line breaks still writes them as one comment line (past validation)", async () => {
    const { readProject, planModelOutputs } = await import("@dbgen/busm-reader");
    const { schema } = await readProject(root);
    if (!schema) throw new Error("the hostile project's model did not read");
    const outputs = planModelOutputs(schema, ESCAPES[0] as string, "model", BUSM);
    const sql = outputs.files.find((f) => f.path.endsWith(".sql"))?.content ?? "";
    expect(sql).toMatch(/^-- dbgen: the whole model "line\\nDROP TABLE pwned; --"/);
    expect(namesHolding(parseSync(sql), WORD)).toEqual([]);
  });

  it("the oracle sees an injection: the same check fails on a header written by hand", () => {
    const handWritten = `-- dbgen: the whole model "${ESCAPES[0]}"\nCREATE TABLE notes (id int);`;
    expect(namesHolding(parseSync(handWritten), WORD)).not.toEqual([]);
    expect(namesHolding(parseSync(`COMMENT ON TABLE notes IS ${"'x'"}; SELECT '${WORD}';`), WORD)).toEqual([]);
  });
});

describe("free text that has no place to go on its own line is refused as data", () => {
  async function project(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "dbgen-headers-refused-"));
    temps.push(dir);
    await mkdir(join(dir, ".pipeline/factory-tools/busm-reader"), { recursive: true });
    for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
    return dir;
  }

  it("a model name with a line break: INVALID_NAME at `name`, nothing written", async () => {
    const dir = await project({ [BUSM]: JSON.stringify(hostileModel(`Demo\nDROP TABLE ${WORD}; --`)) });
    const before = await treeOf(dir);
    for (const command of ["validate", "all"]) {
      const run = await dbgen(["--root", dir, command]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error INVALID_NAME \S+busm-model\.json:\d+ name — /m);
    }
    expect(await treeOf(dir)).toEqual(before);
  });

  it.each([
    ["a description with a line break", spec(`add users\nDROP TABLE ${WORD}; --`), /description must be one line/],
    ["a description that is not a string", { ...spec("x"), description: 7 }, /description must be string/],
    [
      "a column type that is not a string",
      { ...spec("x"), tables: [{ name: "t", columns: [{ name: "id", type: 1 }] }] },
      /tables\.0\.columns\.0\.type must be string/,
    ],
    ["tables that are not a list", { ...spec("x"), tables: {} }, /tables must be array/],
    ["a dialect dbgen does not know", { ...spec("x"), databaseType: "oracle" }, /databaseType must be one of/],
  ])("a seed 004 spec with %s: INVALID_CONFIG with its place, nothing written", async (_name, document, message) => {
    const dir = await project({ "spec.json": JSON.stringify(document) });
    const before = await treeOf(dir);
    const run = await dbgen(["--root", dir, "migrate", join(dir, "spec.json"), "--out", join(dir, "out")]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^error INVALID_CONFIG \S*spec\.json /m);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/INTERNAL_ERROR/);
    expect(await treeOf(dir)).toEqual(before);
  });
});
