/**
 * Structural validation of a schema IR, whatever produced it: names, duplicates, keys, references.
 */
import type { Diagnostic } from "../diagnostics.js";
import { isReservedWord } from "./names.js";
import type { Schema, Table } from "./types.js";

export const TABLE_NAME_PATTERN = /^[a-z_][a-z0-9_]*$/;
export const COLUMN_NAME_PATTERN = TABLE_NAME_PATTERN;

function error(code: Diagnostic["code"], path: string, message: string, fix: string): Diagnostic {
  return { severity: "error", code, path, message, fix };
}

/** A table's or a column's name: snake_case, and warned about when it is a PostgreSQL keyword. */
function nameProblems(kind: "Table" | "Column", name: string, path: string): Diagnostic[] {
  if (!TABLE_NAME_PATTERN.test(name))
    return [
      error(
        "INVALID_NAME",
        path,
        `${kind} name "${name}" is not snake_case`,
        "use lower-case letters, digits and _, starting with a letter or _",
      ),
    ];
  if (!isReservedWord(name)) return [];
  return [
    {
      severity: "warning",
      code: "RESERVED_KEYWORD",
      path,
      message: `${kind} name "${name}" is a PostgreSQL keyword; it is quoted everywhere`,
      fix: "rename it if hand-written SQL will use it",
    },
  ];
}

function columnProblems(table: Table): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const column of table.columns) {
    const path = `${table.name}.${column.name}`;
    if (seen.has(column.name))
      out.push(
        error(
          "DUPLICATE_COLUMN",
          path,
          `Column "${column.name}" appears twice in table "${table.name}"`,
          "remove or rename one of them",
        ),
      );
    seen.add(column.name);
    out.push(...nameProblems("Column", column.name, path));
  }
  return out;
}

function primaryKeyProblems(table: Table, columns: ReadonlySet<string>): Diagnostic[] {
  if (!table.primaryKey || table.primaryKey.columns.length === 0)
    return [
      error(
        "MISSING_PRIMARY_KEY",
        table.name,
        `Table "${table.name}" has no primary key`,
        "mark a field primaryKey, or leave out `id` so one is added",
      ),
    ];
  return table.primaryKey.columns
    .filter((name) => !columns.has(name))
    .map((name) =>
      error(
        "MISSING_PRIMARY_KEY",
        `${table.name}.${name}`,
        `Primary key column "${name}" is not a column of "${table.name}"`,
        "list only the table's own columns in its primary key",
      ),
    );
}

function foreignKeyProblems(
  table: Table,
  columns: ReadonlySet<string>,
  byName: ReadonlyMap<string, Table>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const fk of table.foreignKeys) {
    const path = `${table.name}.${fk.columns.join(",")}`;
    // A table of another database schema (auth.users) is the platform's: it is not ours to check.
    if (fk.referencedSchema !== undefined) continue;
    const target = byName.get(fk.referencedTable);
    if (!target) {
      out.push(
        error(
          "INVALID_FOREIGN_KEY",
          path,
          `Foreign key "${fk.name}" references table "${fk.referencedTable}", which does not exist`,
          "reference an entity of the model, or add it",
        ),
      );
      continue;
    }
    const missing = fk.referencedColumns.filter((c) => !target.columns.some((col) => col.name === c));
    if (missing.length > 0 || fk.columns.length !== fk.referencedColumns.length)
      out.push(
        error(
          "INVALID_FOREIGN_KEY",
          path,
          `Foreign key "${fk.name}" references ${fk.referencedTable}(${fk.referencedColumns.join(", ")}), which does not match`,
          "reference the target's primary key or a unique column",
        ),
      );
    for (const c of fk.columns.filter((name) => !columns.has(name)))
      out.push(
        error(
          "INVALID_FOREIGN_KEY",
          path,
          `Foreign key column "${c}" is not a column of "${table.name}"`,
          "add the column or fix the relationship's field",
        ),
      );
  }
  return out;
}

function validateTable(table: Table, byName: ReadonlyMap<string, Table>): Diagnostic[] {
  const columns = new Set(table.columns.map((c) => c.name));
  return [
    ...nameProblems("Table", table.name, table.name),
    ...columnProblems(table),
    ...primaryKeyProblems(table, columns),
    ...foreignKeyProblems(table, columns, byName),
  ];
}

/** Every structural problem of `schema`, errors and warnings, in a stable order. */
export function validateSchema(schema: Schema): Diagnostic[] {
  const byName = new Map<string, Table>();
  const out: Diagnostic[] = [];
  for (const table of schema.tables) {
    if (byName.has(table.name)) {
      out.push(
        error(
          "DUPLICATE_TABLE",
          table.name,
          `Two tables are named "${table.name}"`,
          "give one of the entities a different `table` name",
        ),
      );
    }
    byName.set(table.name, table);
  }
  for (const table of schema.tables) out.push(...validateTable(table, byName));
  return out;
}
