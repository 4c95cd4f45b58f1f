/**
 * What rolling back an iteration drops, so its rows can be saved first: the tables the iteration
 * created and the columns it added to tables that stay.
 */
import type { BackupTarget } from "@dbgen/db";
import { diffSchemas, emptySchema, planHazards, type Schema } from "@dbgen/schema-core";

export function rollbackBackupTargets(previous: Schema | undefined, current: Schema): BackupTarget[] {
  const ops = diffSchemas(previous ?? emptySchema(current.name), current).operations;
  const targets: BackupTarget[] = [];
  const keyOf = (table: string): string[] => [
    ...(current.tables.find((t) => t.name === table)?.primaryKey?.columns ?? []),
  ];
  for (const op of ops) {
    if (op.kind === "create_table")
      targets.push({ schema: current.name, table: op.table.name, key: keyOf(op.table.name) });
  }
  const added = new Map<string, string[]>();
  for (const op of ops) {
    if (op.kind === "add_column") added.set(op.table, [...(added.get(op.table) ?? []), op.column.name]);
    // A renamed column keeps its data through the rename back; a type change back is not a drop.
  }
  for (const [table, columns] of added) {
    const key = keyOf(table);
    if (key.length > 0) targets.push({ schema: current.name, table, columns, key });
  }
  return targets;
}

/**
 * What applying an iteration drops or narrows, so its rows can be saved first: tables it drops,
 * columns it drops, and columns whose type it narrows (keyed by the table's primary key).
 */
export function forwardBackupTargets(previous: Schema | undefined, current: Schema): BackupTarget[] {
  if (!previous) return [];
  const targets: BackupTarget[] = [];
  const keyOf = (table: string): string[] => [
    ...(previous.tables.find((t) => t.name === table)?.primaryKey?.columns ?? []),
  ];
  const columns = new Map<string, string[]>();
  const operations = diffSchemas(previous, current).operations;
  // The backup is taken before the iteration runs: a column renamed and narrowed in it is saved under
  // the name it has then (and goes back under that name when the iteration is rolled back).
  const before = new Map(
    operations.flatMap((op) => (op.kind === "rename_column" ? [[`${op.table}.${op.to}`, op.from]] : [])),
  );
  for (const { operation: op, hazards } of planHazards(operations)) {
    if (!hazards.includes("destructive")) continue;
    if (op.kind === "drop_table")
      targets.push({ schema: previous.name, table: op.table.name, key: keyOf(op.table.name) });
    else if (op.kind === "drop_column") columns.set(op.table, [...(columns.get(op.table) ?? []), op.column.name]);
    else if (op.kind === "alter_column_type")
      columns.set(op.table, [...(columns.get(op.table) ?? []), before.get(`${op.table}.${op.column}`) ?? op.column]);
  }
  for (const [table, names] of columns) {
    const key = keyOf(table);
    if (key.length > 0) targets.push({ schema: previous.name, table, columns: names, key });
  }
  return targets;
}
