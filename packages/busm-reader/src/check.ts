/**
 * Semantic checks of a schema-valid BUSM: names, types, enums, references, keys. Each problem is a
 * coded diagnostic with the file, line and path.
 */
import {
  type Diagnostic,
  type IndexMethod,
  indexesByDefault,
  isReservedWord,
  LOGICAL_TYPES,
  type LogicalType,
  OPERATOR_CLASSES,
  type SqlType,
  SYSTEM_COLUMN_TYPES,
  suggestFix,
} from "@dbgen/schema-core";
import { hasRules, membersProblems, rulesProblems } from "./access.js";
import type { BusmEntity, BusmField, BusmModel } from "./model.js";
import {
  ENTITY_NAME_PATTERN,
  entitySnakeName,
  enumTypeName,
  isAuthUsersReference,
  SNAKE_NAME_PATTERN,
  tableNameOf,
} from "./names.js";
import { type DocPath, diagnosticAt, diagnosticsOf, type Locator, type Problem } from "./parse.js";
import { expressionColumns, sqlExpressionProblem } from "./postgres/expressions.js";
import { sqlTypeOf } from "./types.js";

export function isLogicalType(type: string): type is LogicalType {
  return (LOGICAL_TYPES as readonly string[]).includes(type);
}

/** The field's enum values: inline `values`, or the shared enum it names. */
export function enumValuesOf(model: BusmModel, field: BusmField): readonly string[] | undefined {
  if (field.values) return field.values;
  if (field.enum) return model.enums?.[field.enum];
  return undefined;
}

/** The primary key fields of an entity (its composite `primaryKey`, or the marked fields); `id` is implied when none is. */
export function primaryKeyFields(entity: BusmEntity): string[] {
  if (entity.primaryKey && entity.primaryKey.length > 0) return [...entity.primaryKey];
  const marked = Object.entries(entity.fields)
    .filter(([, f]) => f.primaryKey)
    .map(([name]) => name);
  return marked.length > 0 ? marked : ["id"];
}

/**
 * The checked model as every stage reads it: the fields an entity's composite `primaryKey` lists are
 * marked `primaryKey` (and so required), the form a single-field key already has.
 */
export function withCompositeKeys(model: BusmModel): BusmModel {
  if (!Object.values(model.entities).some((e) => e.primaryKey)) return model;
  const entities = Object.fromEntries(
    Object.entries(model.entities).map(([name, entity]) => {
      const key = entity.primaryKey;
      if (!key) return [name, entity];
      const fields = Object.fromEntries(
        Object.entries(entity.fields).map(([f, field]) => [
          f,
          key.includes(f) ? { ...field, primaryKey: true } : field,
        ]),
      );
      return [name, { ...entity, fields }];
    }),
  );
  return { ...model, entities };
}

/** Why a field's reference into Supabase's `auth` schema cannot work (only `auth.users`, by a uuid). */
function authReferenceProblems(field: BusmField): { key: string; report: [Diagnostic["code"], string, string] }[] {
  const reference = field.references ?? "";
  if (!isAuthUsersReference(reference))
    return [
      {
        key: "references",
        report: [
          "INVALID_FOREIGN_KEY",
          `References ${reference}: of Supabase's auth schema only auth.users may be referenced`,
          'write "references": "auth.users" (the user\'s id), or name an entity of the model',
        ],
      },
    ];
  if (field.type !== "uuid" || field.array === true)
    return [
      {
        key: "type",
        report: [
          "INVALID_FOREIGN_KEY",
          `References auth.users, whose id is a uuid, but the field is ${field.type}${field.array ? "[]" : ""}`,
          'make the field "type": "uuid"',
        ],
      },
    ];
  return [];
}

/** `"Entity"` or `"Entity.field"` → its parts. */
export function parseReference(reference: string): { entity: string; field?: string } {
  const dot = reference.indexOf(".");
  return dot < 0 ? { entity: reference } : { entity: reference.slice(0, dot), field: reference.slice(dot + 1) };
}

export function joinTableName(from: string, to: string, model: BusmModel, through?: string): string {
  return through
    ? model.entities[through]
      ? tableNameOf(through, model.entities[through])
      : through
    : `${tableNameOf(from, model.entities[from]).replace(/s$/, "")}_${tableNameOf(to, model.entities[to])}`;
}

/** The key columns of a many-to-many join table, as the builder names them (and the docs show them). */
export function joinColumns(from: string, to: string): [string, string] {
  const a = `${entitySnakeName(from)}_id`;
  return [a, from === to ? `related_${entitySnakeName(to)}_id` : `${entitySnakeName(to)}_id`];
}

/**
 * JavaScript syntax PostgreSQL's regular expressions (ARE) do not have: the pattern would pass here
 * and then refuse every insert in production. The harden proof also compiles each pattern on PGlite.
 */
const JS_ONLY_REGEX: readonly [RegExp, string][] = [
  [/\\[pP]\{/, "uses a Unicode property class (\\p{…}), which PostgreSQL does not know"],
  [/\(\?<[A-Za-z_]/, "uses a named group ((?<name>…)), which PostgreSQL does not know"],
  [/\\k</, "uses a named back-reference (\\k<…>), which PostgreSQL does not know"],
  [/\\u\{/, "uses a code point escape (\\u{…}); write the character itself"],
  [/\(\?[imsx]+\)|\(\?[imsx-]+:/, "uses inline flags, which dbgen does not pass to PostgreSQL"],
];

/** Why a pattern cannot serve as a CHECK in PostgreSQL, or undefined. */
function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    return `is not a regular expression: ${(error as Error).message}`;
  }
  return JS_ONLY_REGEX.find(([syntax]) => syntax.test(pattern))?.[1];
}

const INTEGER_LIMITS = { smallint: 2 ** 15, integer: 2 ** 31, bigint: 2 ** 63 } as const;

/** Why a literal default cannot be stored in its field's column, or undefined when it can. */
function literalDefaultProblem(field: BusmField): string | undefined {
  const value = field.default;
  if (value === undefined || (typeof value === "object" && value !== null)) return undefined;
  if (field.array === true)
    return typeof value === "string" && /^\{.*\}$/s.test(value) ? undefined : 'not an array literal such as "{}"';
  const type = field.type as LogicalType;
  if (type === "boolean")
    return typeof value === "boolean" || /^(true|false)$/i.test(String(value)) ? undefined : "not true or false";
  if (type === "smallint" || type === "integer" || type === "bigint" || type === "decimal" || type === "double") {
    const n =
      typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) return "not a number";
    if (type === "decimal" || type === "double") return undefined;
    if (!Number.isInteger(n)) return "not a whole number";
    if (Math.abs(n) >= INTEGER_LIMITS[type]) return `out of ${type}'s range`;
    return undefined;
  }
  if ((type === "string" || type === "email" || type === "url" || type === "phone") && typeof value === "string") {
    const limit = field.maxLength ?? (type === "phone" ? 20 : 255);
    return value.length > limit ? `longer than ${limit} characters` : undefined;
  }
  if (type === "json" && typeof value === "string") {
    try {
      JSON.parse(value);
      return undefined;
    } catch {
      return "not JSON text";
    }
  }
  if (type === "uuid" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(value)))
    return "not a uuid";
  if (type === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(String(value))) return "not a date (YYYY-MM-DD)";
  return undefined;
}

const problem = (
  path: (string | number)[],
  code: Diagnostic["code"],
  message: string,
  fix: string,
  severity?: Diagnostic["severity"],
): Problem => ({ path, code, message, fix, ...(severity ? { severity } : {}) });

const reservedWarning = (path: (string | number)[], what: string, name: string): Problem =>
  problem(
    path,
    "RESERVED_KEYWORD",
    `${what} "${name}" is a PostgreSQL keyword; dbgen quotes it everywhere`,
    "nothing to do, or rename it if hand-written SQL will use it",
    "warning",
  );

const under = (base: DocPath, problems: readonly Problem[]): Problem[] =>
  problems.map((p) => ({ ...p, path: [...base, ...p.path] }));

/** Which entity, enum type or join table claimed each table name first: a second claim is DUPLICATE_TABLE. */
function tableClaims() {
  const tables = new Map<string, string>();
  return (table: string, owner: string, path: (string | number)[]): Problem[] => {
    const other = tables.get(table);
    if (!other) {
      tables.set(table, owner);
      return [];
    }
    return [
      problem(
        path,
        "DUPLICATE_TABLE",
        `${owner} and ${other} both map to table "${table}"`,
        `give one of them a different \`table\` name`,
      ),
    ];
  };
}
type ClaimTable = ReturnType<typeof tableClaims>;

/** The model's name (a title: one line) and its enums (names, repeated values, enum types' values). */
function modelNameProblems(model: BusmModel, claimTable: ClaimTable): Problem[] {
  const out: Problem[] = [];
  // The name is a title (docs, file headers): one line of text, so it can never span lines of a file.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (model.name !== undefined && /[\u0000-\u001f\u007f-\u009f]/.test(model.name))
    out.push(
      problem(
        ["name"],
        "INVALID_NAME",
        "The model's name holds a line break or another control character",
        "make the name one line of text; put longer words in `description`",
      ),
    );
  for (const [enumName, values] of Object.entries(model.enums ?? {})) {
    if (!ENTITY_NAME_PATTERN.test(enumName))
      out.push(
        problem(
          ["enums", enumName],
          "INVALID_NAME",
          `Enum name "${enumName}" is not PascalCase`,
          "name it like AccountType",
        ),
      );
    if (new Set(values).size !== values.length)
      out.push(
        problem(
          ["enums", enumName],
          "INVALID_CONFIG",
          `Enum "${enumName}" lists a value twice`,
          "remove the repeated value",
        ),
      );
  }
  // An enum type shares its name space with the tables (each table has a row type of its name).
  if (model.options?.enums === "type")
    for (const [enumName, values] of Object.entries(model.enums ?? {})) {
      out.push(...claimTable(enumTypeName(enumName), `Enum ${enumName} (an enum type)`, ["enums", enumName]));
      const long = values.find((v) => new TextEncoder().encode(v).length > 63);
      if (long !== undefined)
        out.push(
          problem(
            ["enums", enumName],
            "INVALID_CONFIG",
            `Enum value "${long}" is longer than the 63 bytes PostgreSQL allows an enum type's value`,
            'shorten it, or keep the enum a checked varchar (remove options.enums: "type")',
          ),
        );
    }
  return out;
}

/** A field's name, and whether its type is one dbgen knows and production's system columns allow. */
function fieldNameAndTypeProblems(fpath: (string | number)[], fieldName: string, field: BusmField): Problem[] {
  const out: Problem[] = [];
  if (!SNAKE_NAME_PATTERN.test(fieldName))
    out.push(
      problem(
        fpath,
        "INVALID_NAME",
        `Field name "${fieldName}" must be snake_case (^[a-z_][a-z0-9_]*$)`,
        "use lower-case letters, digits and _",
      ),
    );
  else if (isReservedWord(fieldName)) out.push(reservedWarning(fpath, "Field name", fieldName));
  const reserved = SYSTEM_COLUMN_TYPES[fieldName];
  if (reserved && isLogicalType(field.type) && !reserved.includes(sqlTypeOf(field.type).name))
    out.push(
      problem(
        [...fpath, "type"],
        "RESERVED_COLUMN",
        `Field "${fieldName}" is a column production adds and keeps (${reserved.join(" or ")}); as ${field.type} every update would fail`,
        `rename the field, or give it the system column's type (${fieldName === "version" ? "integer" : reserved[0] === "uuid" ? "uuid" : "datetime"})`,
      ),
    );
  if (!isLogicalType(field.type))
    out.push(
      problem(
        [...fpath, "type"],
        "UNKNOWN_TYPE",
        `Unknown type "${field.type}"`,
        suggestFix(String(field.type), LOGICAL_TYPES, `use one of: ${LOGICAL_TYPES.join(", ")}`),
      ),
    );
  return out;
}

/** An enum field's values (its own or a shared enum's) and its default; enum values on another type. */
function enumFieldProblems(
  model: BusmModel,
  fpath: (string | number)[],
  fieldName: string,
  field: BusmField,
): Problem[] {
  const out: Problem[] = [];
  if (field.type !== "enum") {
    if (field.values || field.enum)
      out.push(
        problem(
          fpath,
          "INVALID_CONFIG",
          `Field "${fieldName}" has enum values but type "${field.type}"`,
          'set `"type": "enum"`, or remove the values',
        ),
      );
    return out;
  }
  if (!field.values && !field.enum)
    out.push(
      problem(
        fpath,
        "UNKNOWN_TYPE",
        `Enum field "${fieldName}" has neither \`values\` nor \`enum\``,
        "list its `values`, or name a shared enum with `enum`",
      ),
    );
  if (field.enum && !model.enums?.[field.enum])
    out.push(
      problem(
        [...fpath, "enum"],
        "UNKNOWN_TYPE",
        `Enum "${field.enum}" is not declared in \`enums\``,
        suggestFix(field.enum, Object.keys(model.enums ?? {}), "declare it under the model's `enums`, or fix the name"),
      ),
    );
  const values = enumValuesOf(model, field);
  if (values && typeof field.default === "string" && !values.includes(field.default))
    out.push(
      problem(
        [...fpath, "default"],
        "INVALID_CONFIG",
        `Default "${field.default}" is not one of the enum's values`,
        `use one of: ${values.join(", ")}`,
      ),
    );
  return out;
}

/** A reference: to `auth.users`, or to an entity's key or unique field that exists. */
function referenceProblems(model: BusmModel, fpath: (string | number)[], field: BusmField): Problem[] {
  if (!field.references) return [];
  if (isAuthUsersReference(field.references) || field.references.startsWith("auth."))
    return authReferenceProblems(field).map((p) => problem([...fpath, p.key], ...p.report));
  const path = [...fpath, "references"];
  const ref = parseReference(field.references);
  const target = model.entities[ref.entity];
  if (!target)
    return [
      problem(
        path,
        "INVALID_FOREIGN_KEY",
        `References entity "${ref.entity}", which does not exist`,
        suggestFix(ref.entity, Object.keys(model.entities), "name an entity of the model"),
      ),
    ];
  if (ref.field === undefined)
    return primaryKeyFields(target).length !== 1
      ? [
          problem(
            path,
            "INVALID_FOREIGN_KEY",
            `References ${ref.entity}, whose primary key has several columns`,
            "reference one field: Entity.field",
          ),
        ]
      : [];
  const targetField = target.fields[ref.field];
  if (!targetField && !(ref.field === "id" && primaryKeyFields(target).includes("id")))
    return [
      problem(
        path,
        "INVALID_FOREIGN_KEY",
        `References ${ref.entity}.${ref.field}, which does not exist`,
        suggestFix(ref.field, Object.keys(target.fields), `name a field of ${ref.entity}`),
      ),
    ];
  if (targetField && !targetField.primaryKey && !targetField.unique)
    return [
      problem(
        path,
        "INVALID_FOREIGN_KEY",
        `References ${ref.entity}.${ref.field}, which is neither primary key nor unique`,
        "reference the primary key, or mark the target unique",
      ),
    ];
  return [];
}

/** What a field's values must be: its default (SQL or literal), its pattern, its previous name. */
function valueProblems(fpath: (string | number)[], field: BusmField): Problem[] {
  const out: Problem[] = [];
  if (typeof field.default === "object" && field.default !== null) {
    const refused = sqlExpressionProblem(field.default.sql);
    if (refused)
      out.push(
        problem(
          [...fpath, "default", "sql"],
          "INVALID_EXPRESSION",
          `The default's SQL is refused: ${refused}`,
          "write one SQL expression, such as now() or gen_random_uuid(); a literal default needs no sql",
        ),
      );
  }
  const literalProblem = isLogicalType(field.type) ? literalDefaultProblem(field) : undefined;
  if (literalProblem)
    out.push(
      problem(
        [...fpath, "default"],
        "INVALID_EXPRESSION",
        `The default ${JSON.stringify(field.default)} does not fit ${/^[aeiou]/.test(field.type) ? "an" : "a"} ${field.type} field: ${literalProblem}`,
        'give a value of the field\'s type, or an expression as { "sql": "…" }',
      ),
    );
  const patternIssue = field.pattern === undefined ? undefined : patternProblem(field.pattern);
  if (patternIssue)
    out.push(
      problem(
        [...fpath, "pattern"],
        "INVALID_EXPRESSION",
        `The pattern ${patternIssue}`,
        "write it in the syntax JavaScript and PostgreSQL share (classes like [A-Z], \\d, anchors, groups without names)",
      ),
    );
  if (field.renamedFrom !== undefined && !SNAKE_NAME_PATTERN.test(field.renamedFrom))
    out.push(
      problem(
        [...fpath, "renamedFrom"],
        "INVALID_NAME",
        `renamedFrom "${field.renamedFrom}" is not a valid field name`,
        "give the field's previous snake_case name",
      ),
    );
  return out;
}

/** One field, whole: name and type first (an unknown type stops there), then what depends on the type. */
function fieldProblems(model: BusmModel, fpath: (string | number)[], fieldName: string, field: BusmField): Problem[] {
  const first = fieldNameAndTypeProblems(fpath, fieldName, field);
  if (!isLogicalType(field.type)) return first;
  const scale =
    field.precision !== undefined && field.scale !== undefined && field.scale > field.precision
      ? [
          problem(
            [...fpath, "scale"],
            "INVALID_CONFIG",
            `Scale ${field.scale} is larger than precision ${field.precision}`,
            "make scale at most precision",
          ),
        ]
      : [];
  return [
    ...first,
    ...enumFieldProblems(model, fpath, fieldName, field),
    ...scale,
    ...referenceProblems(model, fpath, field),
    ...valueProblems(fpath, field),
  ];
}

/** The entity's keys, unique sets and indexes name its own fields; an index's predicate is an expression. */
function keyAndIndexProblems(entityName: string, entity: BusmEntity): Problem[] {
  const out: Problem[] = [];
  const fieldNames = new Set(Object.keys(entity.fields));
  if (!entity.primaryKey && !Object.values(entity.fields).some((f) => f.primaryKey) && fieldNames.has("id"))
    out.push(
      problem(
        ["fields", "id"],
        "MISSING_PRIMARY_KEY",
        `Entity ${entityName} has a field "id" that is not its primary key, and no other primary key`,
        'mark it `"primaryKey": true`, or mark another field',
      ),
    );
  (entity.unique ?? []).forEach((set, i) => {
    for (const f of set)
      if (!fieldNames.has(f))
        out.push(
          problem(
            ["unique", i],
            "UNKNOWN_FIELD",
            `Unique set names "${f}", which is not a field of ${entityName}`,
            suggestFix(f, Object.keys(entity.fields), "list fields of the entity"),
          ),
        );
  });
  (entity.indexes ?? []).forEach((index, i) => {
    for (const f of index.fields)
      if (!fieldNames.has(f))
        out.push(
          problem(
            ["indexes", i],
            "UNKNOWN_FIELD",
            `Index names "${f}", which is not a field of ${entityName}`,
            suggestFix(f, Object.keys(entity.fields), "list fields of the entity"),
          ),
        );
    const refused = index.where === undefined ? undefined : sqlExpressionProblem(index.where);
    if (refused)
      out.push(
        problem(
          ["indexes", i, "where"],
          "INVALID_EXPRESSION",
          `The index's where is refused: ${refused}`,
          "write one boolean SQL expression over the entity's fields",
        ),
      );
  });
  return out;
}

/** Who may reach the entity's rows: none said (a warning), the rules, or the shorthand mode; its members. */
function entityAccessProblems(model: BusmModel, entityName: string, entity: BusmEntity): Problem[] {
  const access: Problem[] = !entity.access
    ? [
        problem(
          [],
          "NO_ACCESS_MODE",
          `Entity ${entityName} has no \`access\`: it is service-only, unreachable through the API`,
          'add "access": { "mode": … } to say who may reach it',
          "warning",
        ),
      ]
    : hasRules(entity.access)
      ? rulesProblems(model, entityName)
      : accessProblems(model, entityName);
  return [...access, ...membersProblems(model, entityName)];
}

/** One entity, whole: its names and table, every field, its table features, keys, indexes and access. */
function entityProblems(model: BusmModel, entityName: string, entity: BusmEntity, claimTable: ClaimTable): Problem[] {
  const base = ["entities", entityName];
  if (!ENTITY_NAME_PATTERN.test(entityName))
    return [
      problem(
        base,
        "INVALID_NAME",
        `Entity name "${entityName}" must be PascalCase (^[A-Z][A-Za-z0-9]*$)`,
        "rename it, e.g. WorkOrder",
      ),
    ];
  const out: Problem[] = [];
  const table = tableNameOf(entityName, entity);
  const tablePath = entity.table ? [...base, "table"] : base;
  if (!SNAKE_NAME_PATTERN.test(table))
    out.push(
      problem(
        [...base, "table"],
        "INVALID_NAME",
        `Table name "${table}" must be snake_case (^[a-z_][a-z0-9_]*$)`,
        "use lower-case letters, digits and _",
      ),
    );
  else {
    out.push(...claimTable(table, `entity ${entityName}`, tablePath));
    if (isReservedWord(table)) out.push(reservedWarning(tablePath, "Table name", table));
  }
  for (const [fieldName, field] of Object.entries(entity.fields))
    out.push(...fieldProblems(model, [...base, "fields", fieldName], fieldName, field));
  out.push(...under(base, tableFeatureProblems(entityName, entity)));
  out.push(...under(base, keyAndIndexProblems(entityName, entity)));
  out.push(...under(base, entityAccessProblems(model, entityName, entity)));
  return out;
}

/** A relationship: both ends entities; a many-to-many's join table; another kind's foreign key field. */
function relationshipProblems(
  model: BusmModel,
  rel: NonNullable<BusmModel["relationships"]>[number],
  i: number,
  claimTable: ClaimTable,
): Problem[] {
  const base = ["relationships", i];
  const from = model.entities[rel.from];
  const to = model.entities[rel.to];
  const out: Problem[] = [];
  if (!from)
    out.push(
      problem(
        [...base, "from"],
        "INVALID_FOREIGN_KEY",
        `Relationship from "${rel.from}", which is not an entity`,
        suggestFix(rel.from, Object.keys(model.entities), "name an entity of the model"),
      ),
    );
  if (!to)
    out.push(
      problem(
        [...base, "to"],
        "INVALID_FOREIGN_KEY",
        `Relationship to "${rel.to}", which is not an entity`,
        suggestFix(rel.to, Object.keys(model.entities), "name an entity of the model"),
      ),
    );
  if (!from || !to) return out;
  if (rel.type === "many-to-many") {
    if (rel.field)
      out.push(
        problem(
          [...base, "field"],
          "INVALID_CONFIG",
          "A many-to-many relationship has no `field`",
          "remove `field`; name the join table with `through`",
        ),
      );
    if (!rel.through || !model.entities[rel.through]) {
      const table = joinTableName(rel.from, rel.to, model, rel.through);
      if (!SNAKE_NAME_PATTERN.test(table))
        out.push(
          problem(
            [...base, "through"],
            "INVALID_NAME",
            `Join table name "${table}" must be snake_case`,
            "use lower-case letters, digits and _",
          ),
        );
      else out.push(...claimTable(table, `the ${rel.from}–${rel.to} join table`, [...base, "through"]));
    }
    return out;
  }
  if (!rel.field)
    return [
      ...out,
      problem(
        base,
        "INVALID_CONFIG",
        `A ${rel.type} relationship needs \`field\`, the foreign key column on ${rel.from}`,
        'add "field": "…_id"',
      ),
    ];
  if (!SNAKE_NAME_PATTERN.test(rel.field))
    out.push(
      problem(
        [...base, "field"],
        "INVALID_NAME",
        `Field name "${rel.field}" must be snake_case`,
        "use lower-case letters, digits and _",
      ),
    );
  if (primaryKeyFields(to).length !== 1)
    out.push(
      problem(
        [...base, "to"],
        "INVALID_FOREIGN_KEY",
        `${rel.to} has a composite primary key`,
        "reference an entity with a single-column key",
      ),
    );
  return out;
}

/**
 * Every problem of the model, in document order, each at its place: names and enums, each entity
 * (its fields, features, keys, indexes, access), each relationship; then, when nothing is wrong,
 * the entities reachable more widely than what they belong to (WIDER_ACCESS).
 */
export function checkModel(model: BusmModel, locator: Locator): Diagnostic[] {
  const claimTable = tableClaims();
  const problems = [
    ...modelNameProblems(model, claimTable),
    ...Object.entries(model.entities).flatMap(([name, entity]) => entityProblems(model, name, entity, claimTable)),
    ...(model.relationships ?? []).flatMap((rel, i) => relationshipProblems(model, rel, i, claimTable)),
  ];
  const out = diagnosticsOf(locator, problems);
  if (!out.some((d) => d.severity === "error"))
    for (const d of widerAccess(model))
      out.push(diagnosticAt(locator, d.path, "WIDER_ACCESS", d.message, d.fix, "warning"));
  return out;
}

const SCOPED = new Set(["owner", "tenant", "parent"]);

/** The entity a reference field points at (its `references`, or a many-to-one relationship's `field`), if any. */
function referencedEntity(model: BusmModel, entityName: string, field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const reference = model.entities[entityName]?.fields[field]?.references;
  if (reference !== undefined) return parseReference(reference).entity;
  return (model.relationships ?? []).find(
    (r) => r.from === entityName && r.type !== "many-to-many" && r.field === field,
  )?.to;
}

/** Why an entity's `access` cannot be enforced as written (owner column, tenant column, parent reference). */
function accessProblems(model: BusmModel, entityName: string): Problem[] {
  const entity = model.entities[entityName];
  const access = entity?.access;
  if (!entity || !access) return [];
  const fieldNames = new Set(Object.keys(entity.fields));
  const key = access.mode === "parent" ? "via" : "column";
  const named = access.mode === "parent" ? access.via : access.column;
  if (!access.mode || !["owner", "tenant", "parent"].includes(access.mode)) return [];
  if (!named || !fieldNames.has(named))
    return [
      {
        path: ["access"],
        code: "UNKNOWN_FIELD",
        message: `Access mode ${access.mode} needs \`${key}\` naming a field of ${entityName}`,
        fix: suggestFix(
          named ?? "",
          fieldNames,
          access.mode === "parent" ? "name the reference field to the parent" : "name the owner or tenant field",
        ),
      },
    ];
  const parent = referencedEntity(model, entityName, named);
  if (access.mode === "owner" && entity.fields[named]?.type !== "uuid")
    return [
      {
        path: ["access", "column"],
        code: "INVALID_CONFIG",
        message: `Owner column ${entityName}.${named} is ${entity.fields[named]?.type}; it must hold the user's id (auth.uid(), a uuid)`,
        fix: "make the owner field a uuid (referencing the users entity), or use another access mode",
      },
    ];
  if (access.mode === "owner" && parent && SCOPED.has(model.entities[parent]?.access?.mode ?? ""))
    return [
      {
        path: ["access", "column"],
        code: "INVALID_CONFIG",
        message: `Owner column ${entityName}.${named} holds ${parent} ids, not user ids: comparing it with auth.uid() would let nobody (or the wrong user) reach the rows`,
        fix: `follow the ${parent}'s access instead: "access": { "mode": "parent", "via": "${named}" }`,
      },
    ];
  if (access.mode === "parent") return parentProblems(model, entityName, named, parent);
  return [];
}

/** A parent mode must follow a reference, to an entity that exists, along a chain that ends. */
function parentProblems(model: BusmModel, entityName: string, via: string, parent: string | undefined): Problem[] {
  if (!parent || !model.entities[parent])
    return [
      {
        path: ["access", "via"],
        code: "INVALID_CONFIG",
        message: `Access mode parent follows ${entityName}.${via}, which references no entity`,
        fix: `name a field of ${entityName} that has "references"`,
      },
    ];
  const seen = [entityName];
  for (let at: string | undefined = parent; at; ) {
    if (seen.includes(at))
      return [
        {
          path: ["access", "via"],
          code: "INVALID_CONFIG",
          message: `Access mode parent of ${entityName} goes round in a circle (${[...seen, at].join(" → ")}): no row could ever be reached`,
          fix: "end the chain at an entity with owner, tenant, authenticated or public-read access",
        },
      ];
    seen.push(at);
    const next: BusmEntity | undefined = model.entities[at];
    at = next?.access?.mode === "parent" ? referencedEntity(model, at, next.access.via) : undefined;
  }
  return [];
}
const OPEN = new Set(["authenticated", "public-read"]);

/**
 * An entity open to every signed-in user that references an owner- or tenant-scoped one: its rows
 * (an owner's children) are readable and writable by anyone, and anyone can attach new ones.
 */
function widerAccess(model: BusmModel): { path: (string | number)[]; message: string; fix: string }[] {
  const found: { path: (string | number)[]; message: string; fix: string }[] = [];
  const modeOf = (name: string) => model.entities[name]?.access?.mode;
  const seen = new Set<string>();
  const report = (path: (string | number)[], child: string, parent: string) => {
    const mode = modeOf(child);
    const parentMode = modeOf(parent);
    if (!mode || !parentMode || !OPEN.has(mode) || !SCOPED.has(parentMode) || seen.has(`${child}>${parent}`)) return;
    seen.add(`${child}>${parent}`);
    found.push({
      path,
      message: `${child} is ${mode} but belongs to ${parent}, which is ${parentMode}-scoped: any signed-in user can read and change the ${child} rows of someone else's ${parent}`,
      fix: `scope ${child} too (its own owner or tenant column), or make it service-only`,
    });
  };
  for (const [name, entity] of Object.entries(model.entities))
    for (const [fieldName, field] of Object.entries(entity.fields))
      if (field.references)
        report(["entities", name, "fields", fieldName, "references"], name, parseReference(field.references).entity);
  (model.relationships ?? []).forEach((rel, i) => {
    if (rel.type !== "many-to-many") report(["relationships", i], rel.from, rel.to);
  });
  return found;
}

const IDENTITY_TYPES: ReadonlySet<string> = new Set(["smallint", "integer", "bigint"]);

/** Why the entity's composite key, checks or identity fields cannot work, each with its place. */
function tableFeatureProblems(entityName: string, entity: BusmEntity): Problem[] {
  const problems: Problem[] = [];
  const names = Object.keys(entity.fields);
  const unknown = (path: (string | number)[], what: string, name: string) =>
    problems.push({
      path,
      code: "UNKNOWN_FIELD",
      message: `${what} names "${name}", which is not a field of ${entityName}`,
      fix: suggestFix(name, names, "list fields of the entity"),
    });
  const key = entity.primaryKey ?? [];
  key.forEach((name, i) => {
    if (!names.includes(name)) unknown(["primaryKey", i], "The primary key", name);
  });
  if (new Set(key).size !== key.length)
    problems.push({
      path: ["primaryKey"],
      code: "INVALID_CONFIG",
      message: `The primary key of ${entityName} lists a field twice`,
      fix: "list each field once",
    });
  const marked = names.filter((n) => entity.fields[n]?.primaryKey);
  if (key.length > 0 && marked.length > 0)
    problems.push({
      path: ["fields", marked[0] ?? "", "primaryKey"],
      code: "INVALID_CONFIG",
      message: `${entityName} has a composite \`primaryKey\` and also marks "${marked[0]}" as its primary key`,
      fix: "say the key once: remove the field's primaryKey, or list it in the entity's primaryKey",
    });
  for (const [name, field] of Object.entries(entity.fields)) problems.push(...columnTypeProblems(name, field));
  if (entity.profile === true) problems.push(...profileProblems(entity));
  (entity.indexes ?? []).forEach((index, i) => {
    problems.push(...indexOptionProblems(entity, index, i));
  });
  for (const [name, field] of Object.entries(entity.fields))
    if (field.generated) problems.push(...generatedProblems(entity, name, field.generated.sql));
  for (const [name, field] of Object.entries(entity.fields))
    if (field.using) problems.push(...conversionProblems(entity, name, field.using.sql));
  for (const [name, field] of Object.entries(entity.fields)) {
    if (field.identity !== true) continue;
    if (!IDENTITY_TYPES.has(field.type))
      problems.push({
        path: ["fields", name, "identity"],
        code: "INVALID_CONFIG",
        message: `Field "${name}" is an identity but its type is ${field.type}; only smallint, integer and bigint are numbered by the database`,
        fix: 'make it "type": "bigint" (what Supabase uses for identity keys), or remove identity',
      });
    if (field.default !== undefined)
      problems.push({
        path: ["fields", name, "default"],
        code: "INVALID_CONFIG",
        message: `Field "${name}" is an identity and has a default; the database numbers it`,
        fix: "remove the default, or remove identity",
      });
  }
  const seen = new Set<string>();
  (entity.checks ?? []).forEach((check, i) => {
    const path = ["checks", i];
    if (!SNAKE_NAME_PATTERN.test(check.name) || check.name.length > 63)
      problems.push({
        path: [...path, "name"],
        code: "INVALID_NAME",
        message: `Check name "${check.name}" must be snake_case and at most 63 characters`,
        fix: "use lower-case letters, digits and _, e.g. end_after_start",
      });
    if (seen.has(check.name))
      problems.push({
        path: [...path, "name"],
        code: "INVALID_CONFIG",
        message: `Two checks of ${entityName} are named "${check.name}"`,
        fix: "give each check its own name",
      });
    seen.add(check.name);
    const problem = sqlExpressionProblem(check.sql);
    if (problem) {
      problems.push({
        path: [...path, "sql"],
        code: "INVALID_EXPRESSION",
        message: `The check's SQL is refused: ${problem}`,
        fix: "write one boolean SQL expression over the entity's own fields, e.g. end_date > start_date",
      });
      return;
    }
    for (const column of expressionColumns(check.sql))
      if (!names.includes(column) && !(column === "id" && !entity.primaryKey && marked.length === 0))
        unknown([...path, "sql"], "The check", column);
  });
  return problems;
}

type EntityIndex = NonNullable<BusmEntity["indexes"]>[number];

/** Why an index's method, operator classes or order cannot index its fields. */
function indexOptionProblems(entity: BusmEntity, index: EntityIndex, i: number): Problem[] {
  const problems: Problem[] = [];
  const method = index.method ?? "btree";
  const at = (key: string[], message: string, fix: string) =>
    problems.push({ path: ["indexes", i, ...key], code: "INVALID_CONFIG", message, fix });
  if (index.unique && method !== "btree")
    at(["unique"], `An index using ${method} cannot be unique`, 'remove "unique", or use a btree (the default method)');
  if (method === "hash" && index.fields.length > 1)
    at(["fields"], "A hash index holds one field", "index one field, or use a btree");
  for (const [field, order] of Object.entries(index.order ?? {})) {
    if (!index.fields.includes(field))
      at(
        ["order", field],
        `The order names "${field}", which the index does not list`,
        suggestFix(field, index.fields, "name a field of the index"),
      );
    else if (order === "desc" && method !== "btree")
      at(["order", field], `Only a btree index has an order; this one is ${method}`, 'remove "order", or use a btree');
  }
  for (const field of Object.keys(index.ops ?? {}))
    if (!index.fields.includes(field))
      at(
        ["ops", field],
        `The ops name "${field}", which the index does not list`,
        suggestFix(field, index.fields, "name a field of the index"),
      );
  for (const name of index.fields) {
    const field = entity.fields[name];
    if (!field) continue; // an unknown field is reported with the index's fields
    const type: SqlType = isLogicalType(field.type)
      ? sqlTypeOf(field.type, field)
      : { name: "varchar", ...(field.array ? { array: true } : {}) };
    const ops = index.ops?.[name];
    const known = ops === undefined ? undefined : OPERATOR_CLASSES[ops];
    if (ops !== undefined && !known)
      at(
        ["ops", name],
        `Operator class "${ops}" is not one dbgen knows`,
        suggestFix(ops, Object.keys(OPERATOR_CLASSES), `use one of ${Object.keys(OPERATOR_CLASSES).join(", ")}`),
      );
    else if (known && (!known.methods.includes(method) || !known.types.includes(type.name) || type.array))
      at(
        ["ops", name],
        `Operator class "${ops}" does not index a ${type.array ? `${type.name}[]` : type.name} field with ${method}`,
        `it indexes ${known.types.join(" or ")} with ${known.methods.join(" or ")}`,
      );
    else if (!known && !indexesByDefault(method, type))
      at(
        ["fields"],
        `An index using ${method} cannot index "${name}" (${type.array ? `${type.name}[]` : type.name}) without an operator class`,
        indexFix(method),
      );
  }
  return problems;
}

const indexFix = (method: IndexMethod): string =>
  method === "hnsw" || method === "ivfflat"
    ? 'index a vector field and name its distance, e.g. "ops": { "embedding": "vector_cosine_ops" }'
    : method === "gin"
      ? 'index a tsvector, jsonb or array field, or a text field with "ops": { "name": "gin_trgm_ops" }'
      : "choose the method the field's type supports (btree for ordinary values)";

/** Types that cannot be array elements here: a json value holds arrays itself; a document or a vector is one value. */
const NO_ARRAYS: ReadonlySet<string> = new Set(["json", "tsvector", "vector"]);

/** Why a field's `array`, `dimensions` or vector type cannot work. */
function columnTypeProblems(name: string, field: BusmField): Problem[] {
  const at = (key: string, message: string, fix: string): Problem => ({
    path: ["fields", name, key],
    code: "INVALID_CONFIG",
    message,
    fix,
  });
  const problems: Problem[] = [];
  if (field.type === "vector" && field.dimensions === undefined)
    problems.push(
      at(
        "type",
        `Vector field "${name}" has no dimensions`,
        'say how many, e.g. "dimensions": 1536 (OpenAI\'s text-embedding-3-small)',
      ),
    );
  if (field.dimensions !== undefined && field.type !== "vector")
    problems.push(
      at(
        "dimensions",
        `Field "${name}" has dimensions but type ${field.type}`,
        'use "type": "vector", or remove dimensions',
      ),
    );
  if (field.array === true && NO_ARRAYS.has(field.type))
    problems.push(
      at(
        "array",
        `Field "${name}" is an array of ${field.type}, which dbgen does not make`,
        field.type === "json"
          ? "a json value holds an array itself: remove array"
          : "remove array, or use another type",
      ),
    );
  const rule = (["min", "max", "pattern"] as const).find((k) => field[k] !== undefined);
  if (field.array === true && rule)
    problems.push(
      at(
        rule,
        `Field "${name}" is an array; \`${rule}\` applies to one value`,
        `remove ${rule}, or write an entity check`,
      ),
    );
  if (field.array === true && (field.primaryKey || field.references || field.identity))
    problems.push(
      at(
        "array",
        `Field "${name}" is an array and a key`,
        "keys are one value: remove array, or make it a plain field",
      ),
    );
  return problems;
}

/**
 * Why a profile's signup trigger cannot make its rows: the key must be the user's id (one field
 * referencing auth.users), and every other required field needs a default, or each signup fails.
 */
function profileProblems(entity: BusmEntity): Problem[] {
  const key = primaryKeyFields(entity);
  const keyField = key.length === 1 ? entity.fields[key[0] ?? ""] : undefined;
  if (!keyField?.references || !isAuthUsersReference(keyField.references))
    return [
      {
        path: ["profile"],
        code: "INVALID_CONFIG",
        message: `A profile is keyed by the user: its primary key must be one field referencing auth.users${key.length ? `, and ${key.join(", ")} does not` : ""}`,
        fix: 'make the key { "type": "uuid", "primaryKey": true, "references": "auth.users", "onDelete": "cascade" }, or remove profile',
      },
    ];
  return Object.entries(entity.fields)
    .filter(
      ([name, f]) => name !== key[0] && f.required === true && f.default === undefined && !f.generated && !f.identity,
    )
    .map(([name]) => ({
      path: ["fields", name, "required"],
      code: "INVALID_CONFIG",
      message: `The profile's field "${name}" is required and has no default: the signup trigger makes rows with the key alone, so every signup would fail`,
      fix: "give it a default, or make it optional (the app fills it after signup)",
    }));
}

/**
 * Why a type change's conversion cannot be used: one allowed expression that reads only the field
 * itself (its value before the change), on a field the database may write.
 */
function conversionProblems(entity: BusmEntity, name: string, sql: string): Problem[] {
  const path = ["fields", name, "using", "sql"];
  const problem = sqlExpressionProblem(sql);
  if (problem)
    return [
      {
        path,
        code: "INVALID_EXPRESSION",
        message: `The conversion of "${name}" is refused: ${problem}`,
        fix: `write one expression over ${name} itself, e.g. round(${name})::integer`,
      },
    ];
  const others = expressionColumns(sql).filter((c) => c !== name);
  if (others.length > 0)
    return [
      {
        path,
        code: "INVALID_EXPRESSION",
        message: `The conversion of "${name}" reads ${others.map((c) => `"${c}"`).join(", ")}: a conversion reads only the field's own value before the change`,
        fix: `name only ${name} in it`,
      },
    ];
  if (entity.fields[name]?.generated)
    return [
      {
        path: ["fields", name, "using"],
        code: "INVALID_CONFIG",
        message: `Field "${name}" is generated: the database computes it, nothing converts it`,
        fix: "remove using",
      },
    ];
  return [];
}

/** Why a generated column cannot be made: its expression, what it reads, and what it is combined with. */
function generatedProblems(entity: BusmEntity, name: string, sql: string): Problem[] {
  const field = entity.fields[name];
  const path = ["fields", name, "generated", "sql"];
  const problem = sqlExpressionProblem(sql);
  if (problem)
    return [
      {
        path,
        code: "INVALID_EXPRESSION",
        message: `The generated column's SQL is refused: ${problem}`,
        fix: "write one expression over the entity's own fields, e.g. to_tsvector('english', coalesce(title, ''))",
      },
    ];
  const out: Problem[] = [];
  for (const column of expressionColumns(sql)) {
    if (column.includes("."))
      out.push({
        path,
        code: "INVALID_EXPRESSION",
        message: `The generated column reads ${column}: a generated column reads only its own row`,
        fix: "name the entity's own fields, unqualified; a value of another table belongs in a view or a trigger",
      });
    else if (!(column in entity.fields))
      out.push({
        path,
        code: "UNKNOWN_FIELD",
        message: `The generated column reads "${column}", which is not a field of the entity`,
        fix: suggestFix(column, Object.keys(entity.fields), "name the entity's own fields"),
      });
    else if (entity.fields[column]?.generated)
      out.push({
        path,
        code: "INVALID_CONFIG",
        message: `The generated column reads "${column}", another generated column, which PostgreSQL refuses`,
        fix: "compute it from the fields that one reads",
      });
  }
  const conflicting = (["default", "identity", "primaryKey", "references"] as const).find(
    (k) => field?.[k] !== undefined && field?.[k] !== false,
  );
  if (conflicting)
    out.push({
      path: ["fields", name, conflicting],
      code: "INVALID_CONFIG",
      message: `Field "${name}" is generated and has \`${conflicting}\`; the database computes its value`,
      fix: `remove ${conflicting}, or make it a plain field`,
    });
  return out;
}
