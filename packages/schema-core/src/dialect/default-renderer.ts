/**
 * The default SQL renderer: one function per operation kind, typed as a `Record` so that a new
 * operation does not compile until it is rendered. Dialects change spelling, not structure.
 */
import { enumChange } from "../diff/enum-change.js";
import type { AlterEnumType, Operation } from "../diff/operations.js";
import { shortenIdentifier } from "../ir/names.js";
import type {
  Column,
  ForeignKey,
  FunctionDef,
  Grant,
  Index,
  Policy,
  ReferentialAction,
  SqlType,
  Table,
  Trigger,
} from "../ir/types.js";
import type { Dialect } from "./dialect.js";
import { renderOperatorClass } from "./postgres/index-methods.js";
import { EXTENSION_SCHEMA } from "./postgres/postgres-dialect.js";

export interface RenderOptions {
  /** The database schema the tables live in. */
  readonly schema?: string;
  /**
   * The tables may hold rows (a production upgrade): a column becomes NOT NULL only after its
   * backfill, or after a check that stops the migration naming the rows that would break it.
   */
  readonly populated?: boolean;
  /** The project's backfill file, named in the hint of a NOT NULL guard. */
  readonly backfillFile?: string;
}

const TIME_TYPES = new Set(["date", "timestamp", "timestamptz"]);

/**
 * True when PostgreSQL casts `from` to `to` directly. Other changes go through text, which every
 * type reads and writes: the migration compiles, and rows that do not convert stop it atomically.
 */
function hasExplicitCast(from: SqlType, to: SqlType): boolean {
  if (NUMBER_TYPES.has(from.name) || from.name === "smallint" || from.name === "real") {
    if (NUMBER_TYPES.has(to.name) || to.name === "smallint" || to.name === "real") return true;
    if (to.name === "boolean") return from.name === "integer";
  }
  if (from.name === "boolean" && to.name === "integer") return true;
  if (TIME_TYPES.has(from.name) && TIME_TYPES.has(to.name)) return true;
  return STRING_TYPES.has(from.name) || from.name === "char";
}

type Visitor = { readonly [K in Operation["kind"]]: (op: Extract<Operation, { kind: K }>) => string[] };

function action(clause: "DELETE" | "UPDATE", value: ReferentialAction): string {
  return value === "no action" ? "" : ` ON ${clause} ${value.toUpperCase()}`;
}

const STRING_TYPES = new Set(["varchar", "text"]);
const NUMBER_TYPES = new Set(["integer", "bigint", "numeric"]);

/** True when the database converts `from` to `to` on assignment (within a family, or to text). */
function hasAssignmentCast(from: SqlType, to: SqlType): boolean {
  if (STRING_TYPES.has(to.name)) return true;
  if (NUMBER_TYPES.has(from.name) && NUMBER_TYPES.has(to.name)) return true;
  return from.name === to.name && from.enumType === to.enumType;
}

export function createRenderer(dialect: Dialect, options: RenderOptions = {}) {
  const schema = options.schema ?? "public";
  const q = (name: string): string => dialect.quoteIdent(name);
  const t = (table: string, tableSchema?: string): string => dialect.tableName(tableSchema ?? schema, table);
  const list = (names: readonly string[]): string => names.map(q).join(", ");
  /** A column type as written: an enum type in the plan's schema, qualified, so no search_path decides. */
  const typeSql = (type: SqlType): string =>
    type.name === "enum" && dialect.capabilities.enumTypes
      ? `${t(type.enumType ?? "")}${type.array ? "[]" : ""}`
      : dialect.renderType(type);

  /** SQLite numbers a column only as its table's one-column INTEGER PRIMARY KEY, written inline. */
  const inlineRowid = (table: Table, column: Column): boolean =>
    column.autoIncrement === true &&
    !dialect.autoIncrement &&
    table.primaryKey?.columns.length === 1 &&
    table.primaryKey.columns[0] === column.name;
  const columnDefinition = (column: Column, table?: Table): string => {
    if (table && inlineRowid(table, column)) return `${q(column.name)} INTEGER PRIMARY KEY AUTOINCREMENT`;
    const parts = [
      q(column.name),
      `${typeSql(column.type)}${column.autoIncrement && dialect.autoIncrement ? dialect.autoIncrement(column) : ""}`,
    ];
    if (column.default !== undefined) parts.push(`DEFAULT ${dialect.renderDefault(column.default, column.type)}`);
    if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${column.generated}) STORED`);
    if (!column.nullable) parts.push("NOT NULL");
    return parts.join(" ");
  };
  const ifNotExists = dialect.capabilities.ifNotExists ? "IF NOT EXISTS " : "";
  const ifExists = dialect.capabilities.ifNotExists ? "IF EXISTS " : "";
  const dropConstraint = (kind: "foreign_key" | "unique" | "check" | "primary_key", name: string): string =>
    dialect.dropConstraint?.(kind, name) ?? `DROP CONSTRAINT ${q(name)}`;
  const foreignKeyClause = (fk: ForeignKey, tableSchema?: string): string =>
    `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${list(fk.columns)}) REFERENCES ${t(fk.referencedTable, fk.referencedSchema ?? tableSchema)} (${list(fk.referencedColumns)})${action("DELETE", fk.onDelete)}${action("UPDATE", fk.onUpdate)}`;
  const createIndex = (table: string, index: Index, tableSchema?: string, concurrently = false): string => {
    const methods = dialect.capabilities.indexMethods;
    const using = methods ? ` USING ${index.method ?? "btree"}` : "";
    const keys = index.columns.map((c, k) => {
      const ops = methods ? index.ops?.[k] : null;
      return `${q(c)}${ops ? ` ${renderOperatorClass(ops)}` : ""}${index.descending?.[k] ? " DESC" : ""}`;
    });
    const where = index.where && dialect.capabilities.partialIndexes ? ` WHERE ${index.where}` : "";
    // A concurrent build runs outside a transaction, so a rerun must not fail on what the last run
    // built. NOTE: a build that failed leaves an invalid index that IF NOT EXISTS would keep: `dbgen
    // apply` drops it (on the failure, and before a retry).
    const exists = dialect.capabilities.ifNotExistsIndexes || concurrently ? "IF NOT EXISTS " : "";
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${concurrently ? "CONCURRENTLY " : ""}${exists}${q(index.name)} ON ${t(table, tableSchema)}${using} (${keys.join(", ")})${where};`;
  };
  const createEnumType = (name: string, values: readonly string[]): string =>
    `CREATE TYPE ${t(name)} AS ENUM (${values.map(dialect.quoteLiteral).join(", ")});`;
  /**
   * Values only added: ADD VALUE in place (no rewrite, no lock beyond the type's). One value renamed:
   * RENAME VALUE (rows keep theirs). Anything else: a new type, each column converted through text
   * (a row holding a removed value stops the migration atomically), the old type dropped.
   */
  const alterEnumType = (op: AlterEnumType): string[] => {
    const change = enumChange(op);
    if (change.kind === "add")
      return change.added.map(
        ({ value, after }) =>
          `ALTER TYPE ${t(op.name)} ADD VALUE ${dialect.quoteLiteral(value)}${after === undefined ? ` BEFORE ${dialect.quoteLiteral(op.from[0] ?? "")}` : ` AFTER ${dialect.quoteLiteral(after)}`};`,
      );
    if (change.kind === "rename")
      return [
        `ALTER TYPE ${t(op.name)} RENAME VALUE ${dialect.quoteLiteral(change.from)} TO ${dialect.quoteLiteral(change.to)};`,
      ];
    const old = shortenIdentifier(`${op.name}_dbgen_old`);
    const type = { name: "enum", enumType: op.name } as const;
    return [
      `ALTER TYPE ${t(op.name)} RENAME TO ${q(old)};`,
      createEnumType(op.name, op.to),
      ...op.columns.flatMap((c) => {
        const target = `${t(op.name)}${c.array ? "[]" : ""}`;
        return [
          ...(c.from ? [alter(c.table, `ALTER COLUMN ${q(c.column)} DROP DEFAULT`)] : []),
          alter(
            c.table,
            `ALTER COLUMN ${q(c.column)} TYPE ${target} USING ${q(c.column)}::${c.array ? "text[]" : "text"}::${target}`,
          ),
          ...(c.to
            ? [alter(c.table, `ALTER COLUMN ${q(c.column)} SET DEFAULT ${dialect.renderDefault(c.to, type)}`)]
            : []),
        ];
      }),
      `DROP TYPE ${t(old)};`,
    ];
  };
  const comment = (target: string, text: string | undefined): string[] =>
    dialect.capabilities.comments
      ? [`COMMENT ON ${target} IS ${text === undefined ? "NULL" : dialect.quoteLiteral(text)};`]
      : [];
  const alter = (table: string, clause: string, tableSchema?: string): string =>
    `ALTER TABLE ${t(table, tableSchema)} ${clause};`;
  const createTable = (table: Table, as?: string): string[] => {
    const s = table.schema;
    const name = as ?? table.name;
    const lines = table.columns.map((c) => columnDefinition(c, table));
    const rowid = table.columns.some((c) => inlineRowid(table, c));
    if (table.primaryKey && !rowid)
      lines.push(`CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${list(table.primaryKey.columns)})`);
    for (const u of table.uniques) lines.push(`CONSTRAINT ${q(u.name)} UNIQUE (${list(u.columns)})`);
    for (const c of table.checks) lines.push(`CONSTRAINT ${q(c.name)} CHECK (${c.expression})`);
    for (const fk of table.foreignKeys) lines.push(foreignKeyClause(fk, s));
    const out = [
      `CREATE TABLE ${ifNotExists}${t(name, s)} (\n  ${lines.join(",\n  ")}\n)${dialect.tableOptions ?? ""};`,
    ];
    if (as !== undefined) return out;
    for (const index of table.indexes) out.push(createIndex(table.name, index, s));
    if (table.comment !== undefined) out.push(...comment(`TABLE ${t(table.name, s)}`, table.comment));
    for (const column of table.columns) {
      if (column.comment !== undefined)
        out.push(...comment(`COLUMN ${t(table.name, s)}.${q(column.name)}`, column.comment));
    }
    return out;
  };
  const functionName = (fn: FunctionDef): string =>
    `${q(fn.schema)}.${q(fn.name)}(${(fn.parameters ?? []).map((p) => p.type).join(", ")})`;
  const functionHead = (fn: FunctionDef): string =>
    `${q(fn.schema)}.${q(fn.name)}(${(fn.parameters ?? []).map((p) => `${q(p.name)} ${p.type}`).join(", ")})`;
  const functionDefinition = (fn: FunctionDef, replace: boolean): string[] => [
    `CREATE ${replace ? "OR REPLACE " : ""}FUNCTION ${functionHead(fn)}\nRETURNS ${fn.returns}\nLANGUAGE ${fn.language}\n${fn.volatility === "stable" ? "STABLE\n" : ""}${fn.securityDefiner ? "SECURITY DEFINER\n" : ""}SET search_path = ''\nAS $function$\n${fn.body.trim()}\n$function$;`,
    ...(fn.revokeExecuteFrom?.length
      ? [
          `REVOKE EXECUTE ON FUNCTION ${functionName(fn)} FROM ${fn.revokeExecuteFrom.map((r) => (r.toUpperCase() === "PUBLIC" ? "PUBLIC" : q(r))).join(", ")};`,
        ]
      : []),
    // Whoever may execute it must reach its schema too (granting again is harmless).
    ...(fn.grantExecuteTo?.length
      ? [
          `GRANT USAGE ON SCHEMA ${q(fn.schema)} TO ${fn.grantExecuteTo.map(q).join(", ")};`,
          `GRANT EXECUTE ON FUNCTION ${functionName(fn)} TO ${fn.grantExecuteTo.map(q).join(", ")};`,
        ]
      : []),
    ...(fn.comment !== undefined ? comment(`FUNCTION ${functionName(fn)}`, fn.comment) : []),
  ];
  const policyDefinition = (table: string, p: Policy, s?: string): string =>
    `CREATE POLICY ${q(p.name)} ON ${t(table, s)} AS ${p.permissive ? "PERMISSIVE" : "RESTRICTIVE"} FOR ${p.command.toUpperCase()} TO ${list(p.roles)}${p.using !== undefined ? ` USING (${p.using})` : ""}${p.withCheck !== undefined ? ` WITH CHECK (${p.withCheck})` : ""};`;
  const triggerDefinition = (table: string, tr: Trigger, s?: string): string => {
    const [fnSchema, fnName] = tr.function.includes(".")
      ? (tr.function.split(".", 2) as [string, string])
      : [schema, tr.function];
    const args = (tr.args ?? []).map((a) => dialect.quoteLiteral(a)).join(", ");
    return `CREATE TRIGGER ${q(tr.name)} ${tr.timing.toUpperCase()} ${tr.events.map((e) => e.toUpperCase()).join(" OR ")} ON ${t(table, s)} FOR EACH ROW EXECUTE FUNCTION ${q(fnSchema)}.${q(fnName)}(${args});`;
  };
  const grantStatements = (
    table: string,
    roles: readonly string[],
    grants: readonly Grant[] | undefined,
    s?: string,
  ): string[] => {
    const target = `TABLE ${t(table, s)}`;
    if (grants === undefined) return [`GRANT ALL ON ${target} TO ${list(roles)};`];
    return [
      `REVOKE ALL ON ${target} FROM ${list(roles)};`,
      ...grants
        .filter((g) => g.privileges.length > 0)
        .map((g) => `GRANT ${g.privileges.map((p) => p.toUpperCase()).join(", ")} ON ${target} TO ${q(g.role)};`),
    ];
  };

  return function renderOperations(ops: readonly Operation[]): string[] {
    // Tables created by the same plan hold no rows yet: no care needed for them.
    const created = new Set(
      ops.flatMap((op) => (op.kind === "create_table" ? [`${op.table.schema ?? schema}.${op.table.name}`] : [])),
    );
    const existing = (table: string, s?: string): boolean =>
      options.populated === true && !created.has(`${s ?? schema}.${table}`);
    const addConstraint = (table: string, clause: string, notValid: boolean | undefined, s?: string): string[] => [
      alter(table, `ADD ${clause}${notValid ? " NOT VALID" : ""}`, s),
    ];

    const visitor: Visitor = {
      create_table: (op) => createTable(op.table),
      drop_table: (op) => [`DROP TABLE ${ifExists}${t(op.table.name, op.table.schema)};`],
      add_column: (op) => [
        alter(op.table, `ADD COLUMN ${columnDefinition(op.column)}`, op.schema),
        ...(op.column.comment !== undefined
          ? comment(`COLUMN ${t(op.table, op.schema)}.${q(op.column.name)}`, op.column.comment)
          : []),
      ],
      drop_column: (op) => [alter(op.table, `DROP COLUMN ${q(op.column.name)}`, op.schema)],
      rename_column: (op) => [alter(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`, op.schema)],
      alter_column_type: (op) => {
        const type = typeSql(op.to);
        // NOTE: an explicit cast (USING) silently truncates a narrowed varchar; the assignment cast
        // that ALTER uses without USING refuses to. So USING only where no assignment cast exists.
        const using =
          op.using !== undefined
            ? ` USING (${op.using})::${type}`
            : hasAssignmentCast(op.from, op.to)
              ? ""
              : ` USING ${q(op.column)}${hasExplicitCast(op.from, op.to) ? "" : "::text"}::${type}`;
        return [alter(op.table, `ALTER COLUMN ${q(op.column)} TYPE ${type}${using}`, op.schema)];
      },
      alter_column_nullable: (op) => {
        const column = q(op.column);
        if (op.viaCheck?.step === "enforce")
          return op.nullable
            ? [alter(op.table, `ALTER COLUMN ${column} DROP NOT NULL`, op.schema)]
            : [
                alter(op.table, `VALIDATE CONSTRAINT ${q(op.viaCheck.name)}`, op.schema),
                alter(op.table, `ALTER COLUMN ${column} SET NOT NULL`, op.schema),
                alter(op.table, `DROP CONSTRAINT ${q(op.viaCheck.name)}`, op.schema),
              ];
        if (op.viaCheck && op.nullable)
          return [alter(op.table, `DROP CONSTRAINT IF EXISTS ${q(op.viaCheck.name)}`, op.schema)];
        if (op.nullable || !existing(op.table, op.schema))
          return [alter(op.table, `ALTER COLUMN ${column} ${op.nullable ? "DROP" : "SET"} NOT NULL`, op.schema)];
        const table = t(op.table, op.schema);
        const where = `${column} IS NULL`;
        const label = `${op.table}.${op.column}`.replaceAll("'", "''");
        return [
          ...(op.backfill?.before ? [op.backfill.before.trim().replace(/;?$/, ";")] : []),
          ...(op.backfill?.value ? [`UPDATE ${table} SET ${column} = ${op.backfill.value} WHERE ${where};`] : []),
          `DO $guard$\nDECLARE\n  missing bigint;\n  sample text;\nBEGIN\n  SELECT count(*) INTO missing FROM ${table} WHERE ${where};\n  IF missing > 0 THEN\n    SELECT string_agg(left(to_jsonb(r)::text, 160), '; ') INTO sample FROM (SELECT * FROM ${table} WHERE ${where} LIMIT 3) AS r;\n    RAISE EXCEPTION '${label} must become NOT NULL, but % row(s) hold NULL there, e.g. %', missing, sample\n      USING HINT = 'give the column a default or a backfill (${(options.backfillFile ?? "the project's backfill file").replaceAll("'", "''")}), or fix those rows';\n  END IF;\nEND\n$guard$;`,
          op.viaCheck
            ? alter(
                op.table,
                `ADD CONSTRAINT ${q(op.viaCheck.name)} CHECK (${column} IS NOT NULL) NOT VALID`,
                op.schema,
              )
            : alter(op.table, `ALTER COLUMN ${column} SET NOT NULL`, op.schema),
        ];
      },
      alter_column_identity: (op) => {
        if (!op.identity) return [alter(op.table, `ALTER COLUMN ${q(op.column)} DROP IDENTITY IF EXISTS`, op.schema)];
        const table = t(op.table, op.schema);
        const sequence = `pg_catalog.pg_get_serial_sequence(${dialect.quoteLiteral(table)}, ${dialect.quoteLiteral(op.column)})`;
        return [
          alter(op.table, `ALTER COLUMN ${q(op.column)} ADD GENERATED BY DEFAULT AS IDENTITY`, op.schema),
          // The sequence starts past the rows already numbered, so the next insert does not collide.
          `SELECT pg_catalog.setval(${sequence}, COALESCE(MAX(${q(op.column)}), 0) + 1, false) FROM ${table};`,
        ];
      },
      alter_column_default: (op) => [
        alter(
          op.table,
          op.to === undefined
            ? `ALTER COLUMN ${q(op.column)} DROP DEFAULT`
            : `ALTER COLUMN ${q(op.column)} SET DEFAULT ${dialect.renderDefault(op.to, { name: "text" })}`,
          op.schema,
        ),
      ],
      add_primary_key: (op) => [
        alter(
          op.table,
          `ADD CONSTRAINT ${q(op.primaryKey.name)} PRIMARY KEY (${list(op.primaryKey.columns)})`,
          op.schema,
        ),
      ],
      drop_primary_key: (op) => [alter(op.table, dropConstraint("primary_key", op.primaryKey.name), op.schema)],
      add_foreign_key: (op) =>
        addConstraint(op.table, foreignKeyClause(op.foreignKey, op.schema), op.notValid, op.schema),
      drop_foreign_key: (op) => [alter(op.table, dropConstraint("foreign_key", op.foreignKey.name), op.schema)],
      add_unique: (op) => [
        alter(
          op.table,
          `ADD CONSTRAINT ${q(op.unique.name)} UNIQUE ${op.usingIndex ? `USING INDEX ${q(op.unique.name)}` : `(${list(op.unique.columns)})`}`,
          op.schema,
        ),
      ],
      drop_unique: (op) => [alter(op.table, dropConstraint("unique", op.unique.name), op.schema)],
      add_check: (op) =>
        addConstraint(
          op.table,
          `CONSTRAINT ${q(op.check.name)} CHECK (${op.check.expression})`,
          op.notValid,
          op.schema,
        ),
      drop_check: (op) => [alter(op.table, dropConstraint("check", op.check.name), op.schema)],
      create_index: (op) => [createIndex(op.table, op.index, op.schema, op.concurrently)],
      drop_index: (op) => [
        dialect.capabilities.schemaScopedIndexes
          ? `DROP INDEX ${op.concurrently ? "CONCURRENTLY IF EXISTS " : dialect.capabilities.ifNotExistsIndexes ? "IF EXISTS " : ""}${dialect.tableName(op.schema ?? schema, op.index.name)};`
          : `DROP INDEX ${q(op.index.name)} ON ${t(op.table, op.schema)};`,
      ],
      rename_index: (op) => [
        dialect.capabilities.schemaScopedIndexes
          ? `ALTER INDEX ${dialect.tableName(op.schema ?? schema, op.from)} RENAME TO ${q(op.to)};`
          : alter(op.table, `RENAME INDEX ${q(op.from)} TO ${q(op.to)}`, op.schema),
      ],
      validate_constraint: (op) => (op.undone ? [] : [alter(op.table, `VALIDATE CONSTRAINT ${q(op.name)}`, op.schema)]),
      modify_column: (op) => {
        if (dialect.capabilities.modifyColumn)
          return [alter(op.table, `MODIFY COLUMN ${columnDefinition(op.to)}`, op.schema)];
        const out: string[] = [];
        if (JSON.stringify(op.from.type) !== JSON.stringify(op.to.type))
          out.push(alter(op.table, `ALTER COLUMN ${q(op.to.name)} TYPE ${typeSql(op.to.type)}`, op.schema));
        if (JSON.stringify(op.from.default) !== JSON.stringify(op.to.default)) {
          out.push(
            alter(
              op.table,
              op.to.default === undefined
                ? `ALTER COLUMN ${q(op.to.name)} DROP DEFAULT`
                : `ALTER COLUMN ${q(op.to.name)} SET DEFAULT ${dialect.renderDefault(op.to.default, op.to.type)}`,
              op.schema,
            ),
          );
        }
        if (op.from.nullable !== op.to.nullable)
          out.push(
            alter(op.table, `ALTER COLUMN ${q(op.to.name)} ${op.to.nullable ? "DROP" : "SET"} NOT NULL`, op.schema),
          );
        return out;
      },
      rebuild_table: (op) => {
        // SQLite's documented procedure: create the new shape, copy the rows, drop, rename, re-index.
        const temporary = `dbgen_new_${op.table}`.slice(0, 63);
        const targets = Object.keys(op.sources);
        return [
          ...createTable(op.to, temporary),
          `INSERT INTO ${t(temporary, op.schema)} (${list(targets)}) SELECT ${targets.map((c) => q(op.sources[c] ?? c)).join(", ")} FROM ${t(op.table, op.schema)};`,
          `DROP TABLE ${t(op.table, op.schema)};`,
          `ALTER TABLE ${t(temporary, op.schema)} RENAME TO ${q(op.table)};`,
          ...op.to.indexes.map((index) => createIndex(op.table, index, op.schema)),
        ];
      },
      set_table_comment: (op) => comment(`TABLE ${t(op.table, op.schema)}`, op.to),
      set_column_comment: (op) => comment(`COLUMN ${t(op.table, op.schema)}.${q(op.column)}`, op.to),
      create_schema: (op) => [
        `CREATE SCHEMA ${q(op.schema.name)};`,
        ...(op.schema.usage?.length ? [`GRANT USAGE ON SCHEMA ${q(op.schema.name)} TO ${list(op.schema.usage)};`] : []),
      ],
      drop_schema: (op) => [`DROP SCHEMA ${q(op.schema.name)};`],
      // Supabase keeps extensions in their own schema (the advisors flag one in public).
      create_extension: (op) => [
        `CREATE SCHEMA IF NOT EXISTS ${q(EXTENSION_SCHEMA)};`,
        `CREATE EXTENSION IF NOT EXISTS ${q(op.name)} WITH SCHEMA ${q(EXTENSION_SCHEMA)};`,
      ],
      drop_extension: (op) => [`DROP EXTENSION IF EXISTS ${q(op.name)};`],
      create_enum_type: (op) => [createEnumType(op.type.name, op.type.values)],
      drop_enum_type: (op) => [`DROP TYPE ${t(op.type.name)};`],
      alter_enum_type: (op) => alterEnumType(op),
      create_function: (op) => functionDefinition(op.fn, false),
      replace_function: (op) => functionDefinition(op.to, true),
      drop_function: (op) => [`DROP FUNCTION ${functionName(op.fn)};`],
      set_row_level_security: (op) => [
        alter(op.table, `${op.enabled ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY`, op.schema),
      ],
      create_policy: (op) => [policyDefinition(op.table, op.policy, op.schema)],
      drop_policy: (op) => [`DROP POLICY ${q(op.policy.name)} ON ${t(op.table, op.schema)};`],
      create_trigger: (op) => [triggerDefinition(op.table, op.trigger, op.schema)],
      drop_trigger: (op) => [`DROP TRIGGER ${q(op.trigger.name)} ON ${t(op.table, op.schema)};`],
      set_grants: (op) => grantStatements(op.table, op.roles, op.to, op.schema),
      set_publication: (op) => [
        `ALTER PUBLICATION ${q(op.publication)} ${op.member ? "ADD" : "DROP"} TABLE ${t(op.table, op.schema)};`,
      ],
    };
    return ops.flatMap((op) => (visitor[op.kind] as (o: Operation) => string[])(op));
  };
}
