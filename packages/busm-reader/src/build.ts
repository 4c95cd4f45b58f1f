/**
 * From a checked BUSM (and optionally a module's selection) to the schema IR, with the spec's type
 * mapping and naming rules. Pure.
 */

import {
  type CheckConstraint,
  type Column,
  type ColumnDefault,
  type ColumnRules,
  enumTypesUsed,
  type ForeignKey,
  type Index,
  indexShape,
  isBtree,
  type LogicalType,
  NameAllocator,
  OPERATOR_CLASSES,
  type ReferentialAction,
  type Schema,
  type SqlType,
  shortenIdentifier,
  type Table,
  type TableAccess,
  type TableFeatures,
  type TableMembers,
  type UniqueConstraint,
} from "@dbgen/schema-core";
import { tableAccessOf, tableMembersOf } from "./access.js";
import {
  enumValuesOf,
  isLogicalType,
  joinColumns,
  joinTableName,
  parseReference,
  primaryKeyFields,
  withCompositeKeys,
} from "./check.js";
import type { BusmEntity, BusmField, BusmModel, BusmRelationship } from "./model.js";
import { AUTH_USERS, enumTypeName, isAuthUsersReference, tableNameOf } from "./names.js";
import { renderedExpression } from "./postgres/expressions.js";
import { sqlTypeOf } from "./types.js";

/**
 * `model`: every constraint the model states that the database keeps without hardening — unique
 * fields and sets, `ON DELETE` actions, declared indexes. `prototype`: the spec's minimal schema
 * (primary keys, required fields, defaults, listed foreign keys without actions).
 */
type BuildLevel = "model" | "prototype";

/** How a schema is built: the database schema, naming patterns and type defaults. */
export interface BuildOptions {
  readonly schemaName?: string;
  /** Patterns with `{table}` and `{column}` for index and foreign key names; PostgreSQL's convention when absent. */
  readonly naming?: { readonly index?: string; readonly foreignKey?: string };
  /** The length of a `string` field without `maxLength` (255). */
  readonly defaultStringLength?: number;
  /** An index for every foreign key (true). */
  readonly foreignKeyIndexes?: boolean;
}

const NUMERIC_SQL_TYPES: ReadonlySet<SqlType["name"]> = new Set(["smallint", "integer", "bigint", "numeric", "real"]);

/**
 * A literal default in the form the column's type holds it, which is also the form the database
 * gives back: numbers for numeric columns, text for text-like ones (a json default is its JSON text).
 */
function defaultOf(field: BusmField, type: SqlType, isPrimaryUuid: boolean): ColumnDefault | undefined {
  const d = field.default;
  if (d === undefined) return isPrimaryUuid ? { kind: "expression", sql: "gen_random_uuid()" } : undefined;
  if (typeof d === "object") return { kind: "expression", sql: renderedExpression(d.sql) };
  // An array's literal is its text form (`{}`, `{a,b}`), as the database gives it back.
  if (type.array) return { kind: "literal", value: String(d) };
  if (type.name === "boolean") return { kind: "literal", value: d };
  if (NUMERIC_SQL_TYPES.has(type.name) && typeof d === "string" && d.trim() !== "" && !Number.isNaN(Number(d)))
    return { kind: "literal", value: Number(d) };
  if (!NUMERIC_SQL_TYPES.has(type.name) && typeof d !== "string") return { kind: "literal", value: String(d) };
  return { kind: "literal", value: d };
}

/** The IR column of a BUSM field. */
export function columnOf(model: BusmModel, name: string, field: BusmField, options: BuildOptions = {}): Column {
  const type = field.type as LogicalType;
  const enumValues = type === "enum" ? enumValuesOf(model, field) : undefined;
  const isPk = field.primaryKey === true;
  const enumType = field.enum !== undefined && model.options?.enums === "type" ? enumTypeName(field.enum) : undefined;
  const column: Column = {
    name,
    type: enumType
      ? { name: "enum", enumType, ...(field.array === true ? { array: true } : {}) }
      : sqlTypeOf(type, {
          ...(field.maxLength !== undefined
            ? { maxLength: field.maxLength }
            : type === "string" && options.defaultStringLength !== undefined
              ? { maxLength: options.defaultStringLength }
              : {}),
          ...(field.precision !== undefined ? { precision: field.precision } : {}),
          ...(field.scale !== undefined ? { scale: field.scale } : {}),
          ...(enumValues ? { enumValues } : {}),
          ...(field.dimensions !== undefined ? { dimensions: field.dimensions } : {}),
          ...(field.array === true ? { array: true } : {}),
        }),
    logicalType: type,
    nullable: !(field.required === true || isPk),
  };
  const def = defaultOf(field, column.type, isPk && type === "uuid");
  return {
    ...column,
    ...(def ? { default: def } : {}),
    ...(field.description !== undefined ? { comment: field.description } : {}),
    ...(enumValues ? { enum: { ...(field.enum ? { name: field.enum } : {}), values: enumValues } } : {}),
    ...(field.renamedFrom !== undefined ? { renamedFrom: field.renamedFrom } : {}),
    ...(field.identity === true ? { autoIncrement: true, nullable: false } : {}),
    ...(field.generated ? { generated: renderedExpression(field.generated.sql) } : {}),
    ...(field.using ? { using: renderedExpression(field.using.sql) } : {}),
  };
}

/** The production switches the entity turns off (absent: every feature on). */
function featuresOf(entity: BusmEntity): { features?: TableFeatures } {
  const features: TableFeatures = {
    ...(entity.softDelete === false ? { softDelete: false } : {}),
    ...(entity.audit === false ? { audit: false } : {}),
    ...(entity.versioned === false ? { versioned: false } : {}),
    ...(entity.realtime === true ? { realtime: true } : {}),
    ...(entity.profile === true ? { profile: true } : {}),
  };
  return Object.keys(features).length > 0 ? { features } : {};
}

/** The field's value rules on its column: what production's CHECKs come from. */
function withRules(column: Column, field: BusmField): Column {
  const rules: ColumnRules = {
    ...(field.min !== undefined ? { min: field.min } : {}),
    ...(field.max !== undefined ? { max: field.max } : {}),
    ...(field.pattern !== undefined ? { pattern: field.pattern } : {}),
  };
  return Object.keys(rules).length > 0 ? { ...column, rules } : column;
}

const IMPLIED_ID: BusmField = { type: "uuid", primaryKey: true };

/** The entity's fields with the implied `id` primary key first when it has none. */
function entityFields(model: BusmModel, entityName: string): [string, BusmField][] {
  const entity = model.entities[entityName];
  if (!entity) return [];
  const fields = Object.entries(entity.fields);
  return fields.some(([, f]) => f.primaryKey) ? fields : [["id", IMPLIED_ID], ...fields];
}

interface DraftTable {
  name: string;
  entity?: string;
  access?: TableAccess;
  members?: TableMembers;
  features?: TableFeatures;
  comment?: string;
  columns: Column[];
  pk: string[];
  fks: {
    columns: string[];
    table: string;
    /** Another database schema's table (Supabase's auth.users). */
    schema?: string;
    refColumns: string[];
    onDelete: ReferentialAction;
    onUpdate?: ReferentialAction;
  }[];
  checks?: CheckConstraint[];
  uniques: string[][];
  indexes: (Omit<Index, "name" | "columns"> & { columns: string[] })[];
}

/** The target table and column of a reference from `entity` (already checked). */
function referenceTarget(
  model: BusmModel,
  reference: string,
): { table: string; schema?: string; column: string; field: BusmField } {
  if (isAuthUsersReference(reference)) return { ...AUTH_USERS, field: { type: "uuid", primaryKey: true } };
  const ref = parseReference(reference);
  const target = model.entities[ref.entity];
  const column = ref.field ?? primaryKeyFields(target ?? { fields: {} })[0] ?? "id";
  const field = target?.fields[column] ?? IMPLIED_ID;
  return { table: tableNameOf(ref.entity, target), column, field };
}

/** A foreign key column's type follows its target (a uuid key gives a uuid column). */
function foreignKeyColumn(
  model: BusmModel,
  name: string,
  target: BusmField,
  required: boolean,
  options: BuildOptions,
): Column {
  const targetColumn = columnOf(
    model,
    name,
    {
      ...target,
      primaryKey: false,
      unique: false,
      default: undefined,
      description: undefined,
      renamedFrom: undefined,
      identity: undefined,
      generated: undefined,
      using: undefined,
    },
    options,
  );
  return { name, type: targetColumn.type, logicalType: targetColumn.logicalType ?? "uuid", nullable: !required };
}

/** The draft with every table and column name fitted to PostgreSQL's 63 bytes. */
/** An index's method, classes and order as the IR holds them: present only where not the default. */
function indexOptionsOf(i: NonNullable<BusmEntity["indexes"]>[number]): Pick<Index, "method" | "ops" | "descending"> {
  const method = i.method === "btree" ? undefined : i.method;
  const ops = i.fields.map((f) => {
    const name = i.ops?.[f];
    return name === undefined || OPERATOR_CLASSES[name]?.defaultFor?.includes(i.method ?? "btree") ? null : name;
  });
  const descending = i.fields.map((f) => i.order?.[f] === "desc");
  return {
    ...(method ? { method } : {}),
    ...(ops.some((o) => o !== null) ? { ops } : {}),
    ...(descending.some(Boolean) ? { descending } : {}),
  };
}

function physicalNames(d: DraftTable): DraftTable {
  const n = shortenIdentifier;
  const list = (names: readonly string[]): string[] => names.map(n);
  return {
    ...d,
    name: n(d.name),
    ...(d.access
      ? {
          access: {
            ...d.access,
            ...(d.access.column !== undefined ? { column: n(d.access.column) } : {}),
            ...(d.access.via !== undefined ? { via: n(d.access.via) } : {}),
            ...(d.access.rules
              ? {
                  rules: {
                    ...d.access.rules,
                    ...(d.access.rules.owner !== undefined ? { owner: n(d.access.rules.owner) } : {}),
                    scope: list(d.access.rules.scope),
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(d.members
      ? {
          members: {
            ...d.members,
            table: n(d.members.table),
            scopeColumn: n(d.members.scopeColumn),
            user: n(d.members.user),
            ...(d.members.role !== undefined ? { role: n(d.members.role) } : {}),
          },
        }
      : {}),
    columns: d.columns.map((c) => ({
      ...c,
      name: n(c.name),
      ...(c.renamedFrom !== undefined ? { renamedFrom: n(c.renamedFrom) } : {}),
    })),
    pk: list(d.pk),
    fks: d.fks.map((fk) => ({ ...fk, columns: list(fk.columns), table: n(fk.table), refColumns: list(fk.refColumns) })),
    uniques: d.uniques.map(list),
    indexes: d.indexes.map((i) => ({ ...i, columns: list(i.columns) })),
  };
}

function finish(drafts: readonly DraftTable[], options: BuildOptions, enums: BusmModel["enums"]): Schema {
  const names = new NameAllocator();
  const sorted = drafts.map(physicalNames).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of sorted) names.reserve(d.name);
  const tables = sorted.map((d): Table => {
    const primaryKey = { name: names.allocate(d.name, d.pk, "pkey"), columns: d.pk };
    const uniques: UniqueConstraint[] = [];
    for (const cols of d.uniques) {
      if (uniques.some((u) => u.columns.join() === cols.join()) || cols.join() === d.pk.join()) continue;
      uniques.push({ name: names.allocate(d.name, cols, "key"), columns: cols });
    }
    const foreignKeys: ForeignKey[] = d.fks.map((fk) => ({
      name: names.allocate(d.name, fk.columns, "fkey", options.naming?.foreignKey),
      columns: fk.columns,
      referencedTable: fk.table,
      ...(fk.schema ? { referencedSchema: fk.schema } : {}),
      referencedColumns: fk.refColumns,
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate ?? "no action",
    }));
    // Every foreign key gets an index starting with its columns, unless one already does.
    const leading = [d.pk, ...uniques.map((u) => u.columns), ...d.indexes.filter(isBtree).map((i) => i.columns)];
    const wanted = [...d.indexes];
    for (const fk of options.foreignKeyIndexes === false ? [] : d.fks) {
      const covered = leading.some((cols) => fk.columns.every((c, i) => cols[i] === c));
      if (!covered) {
        wanted.push({ columns: fk.columns, unique: false });
        leading.push(fk.columns);
      }
    }
    const indexes: Index[] = [];
    for (const w of wanted) {
      if (indexes.some((i) => indexShape(i) === indexShape(w))) continue;
      indexes.push({ ...w, name: names.allocate(d.name, w.columns, "idx", options.naming?.index) });
    }
    return {
      name: d.name,
      ...(d.entity ? { entity: d.entity } : {}),
      ...(d.access ? { access: d.access } : {}),
      ...(d.members ? { members: d.members } : {}),
      ...(d.features ? { features: d.features } : {}),
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      columns: d.columns,
      primaryKey,
      foreignKeys,
      uniques,
      checks: d.checks ?? [],
      indexes,
    };
  });
  const modelEnums = Object.entries(enums ?? {})
    .map(([name, values]) => ({ name, values }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  // Only enum-type columns name a type, so a model without options.enums: "type" gets none.
  const candidates = modelEnums.map((e) => ({ name: enumTypeName(e.name), values: e.values }));
  return {
    name: options.schemaName ?? "public",
    tables,
    enums: modelEnums,
    ...enumTypesUsed({ enumTypes: candidates }, tables),
  };
}

/**
 * The foreign keys of a join entity's table to the entities it joins: each listed column whose BUSM
 * field references one of them (or, without `references`, is named `{entity}_id`).
 */
function joinEntityKeys(
  model: BusmModel,
  drafts: Map<string, DraftTable>,
  through: string,
  joined: readonly string[],
): void {
  const join = drafts.get(tableNameOf(through, model.entities[through]));
  if (!join) return;
  const fields = model.entities[through]?.fields ?? {};
  for (const entity of joined) {
    const table = drafts.get(tableNameOf(entity, model.entities[entity]));
    if (!table) continue;
    const refersTo = (name: string) => {
      const reference = fields[name]?.references;
      if (reference) return parseReference(reference).entity === entity;
      return name === joinColumns(entity, entity)[0];
    };
    const column = join.columns.find((c) => refersTo(c.name));
    if (!column || join.fks.some((fk) => fk.columns.join() === column.name)) continue;
    const reference = fields[column.name]?.references;
    const target = reference ? referenceTarget(model, reference) : { table: table.name, column: table.pk[0] ?? "id" };
    join.fks.push({ columns: [column.name], table: target.table, refColumns: [target.column], onDelete: "no action" });
  }
}

function addRelationship(
  model: BusmModel,
  drafts: Map<string, DraftTable>,
  rel: BusmRelationship,
  level: BuildLevel,
  options: BuildOptions,
): void {
  const fromTable = drafts.get(tableNameOf(rel.from, model.entities[rel.from]));
  const toEntity = model.entities[rel.to];
  const toTable = drafts.get(tableNameOf(rel.to, toEntity));
  if (!fromTable || !toTable) return;
  const toPk = toTable.pk[0] ?? "id";
  const toPkField = entityFields(model, rel.to).find(([n]) => n === toPk)?.[1] ?? IMPLIED_ID;
  if (rel.type === "many-to-many") {
    if (rel.through && model.entities[rel.through]) {
      // An explicit join entity: its own fields hold the keys. The model takes their `references`;
      // a module takes foreign keys only from its relationships, so this one gives them there.
      if (level !== "model") joinEntityKeys(model, drafts, rel.through, [rel.from, rel.to]);
      return;
    }
    const fromEntity = model.entities[rel.from];
    const fromPk = fromTable.pk[0] ?? "id";
    const fromPkField = entityFields(model, rel.from).find(([n]) => n === fromPk)?.[1] ?? IMPLIED_ID;
    const name = joinTableName(rel.from, rel.to, model, rel.through);
    if (drafts.has(name) || !fromEntity) return;
    const [a, b] = joinColumns(rel.from, rel.to);
    const action: ReferentialAction = level === "model" ? "cascade" : "no action";
    drafts.set(name, {
      name,
      ...(rel.description !== undefined ? { comment: rel.description } : {}),
      columns: [
        foreignKeyColumn(model, a, fromPkField, true, options),
        foreignKeyColumn(model, b, toPkField, true, options),
      ],
      pk: [a, b],
      fks: [
        { columns: [a], table: fromTable.name, refColumns: [fromPk], onDelete: action },
        { columns: [b], table: toTable.name, refColumns: [toPk], onDelete: action },
      ],
      uniques: [],
      indexes: [],
    });
    return;
  }
  const field = rel.field;
  if (!field) return;
  let column = fromTable.columns.find((c) => c.name === field);
  if (!column) {
    column = foreignKeyColumn(model, field, toPkField, false, options);
    fromTable.columns.push(column);
  }
  const onDelete: ReferentialAction =
    level === "model"
      ? (rel.onDelete ?? model.entities[rel.from]?.fields[field]?.onDelete ?? "no action")
      : "no action";
  const existing = fromTable.fks.findIndex((fk) => fk.columns.join() === field);
  const fk = { columns: [field], table: toTable.name, refColumns: [toPk], onDelete };
  if (existing >= 0) fromTable.fks[existing] = fk;
  else fromTable.fks.push(fk);
  if (rel.type === "one-to-one") fromTable.uniques.push([field]);
}

/** The IR of the whole model: every entity, relationship and join table. */
export function buildModelSchema(busm: BusmModel, options: BuildOptions = {}): Schema {
  const model = withCompositeKeys(busm);
  const drafts = new Map<string, DraftTable>();
  for (const [entityName, entity] of Object.entries(model.entities)) {
    const fields = entityFields(model, entityName).filter(([, f]) => isLogicalType(f.type));
    const draft: DraftTable = {
      name: tableNameOf(entityName, entity),
      entity: entityName,
      ...(entity.access ? { access: tableAccessOf(entity.access) } : {}),
      ...(entity.members ? { members: tableMembersOf(model, entityName) } : {}),
      ...featuresOf(entity),
      ...(entity.description !== undefined ? { comment: entity.description } : {}),
      columns: fields.map(([name, f]) => withRules(columnOf(model, name, f, options), f)),
      pk: entity.primaryKey ? [...entity.primaryKey] : fields.filter(([, f]) => f.primaryKey).map(([n]) => n),
      checks: (entity.checks ?? []).map((c) => ({
        name: shortenIdentifier(c.name),
        expression: renderedExpression(c.sql),
      })),
      fks: [],
      uniques: [...fields.filter(([, f]) => f.unique).map(([n]) => [n]), ...(entity.unique ?? []).map((u) => [...u])],
      indexes: (entity.indexes ?? []).map((i) => ({
        columns: [...i.fields],
        unique: i.unique === true,
        ...(i.where ? { where: renderedExpression(i.where) } : {}),
        ...indexOptionsOf(i),
      })),
    };
    for (const [name, f] of fields) {
      if (!f.references) continue;
      const target = referenceTarget(model, f.references);
      draft.fks.push({
        columns: [name],
        table: target.table,
        ...(target.schema ? { schema: target.schema } : {}),
        refColumns: [target.column],
        onDelete: f.onDelete ?? "no action",
        ...(f.onUpdate ? { onUpdate: f.onUpdate } : {}),
      });
    }
    drafts.set(draft.name, draft);
  }
  for (const rel of model.relationships ?? []) addRelationship(model, drafts, rel, "model", options);
  return finish([...drafts.values()], options, model.enums);
}

/**
 * What the later stages need of the model, built once: its whole schema, and for each entity its table
 * and which of the table's columns the entity's own fields declare (the implied `id` included; the
 * columns a relationship adds are not) — the columns a merge may take the BUSM's definition of.
 */
export interface ModelFacts {
  readonly schema: Schema;
  readonly entities: ReadonlyMap<string, { readonly table: Table; readonly fields: ReadonlySet<string> }>;
}

export function modelFacts(busm: BusmModel, schema: Schema = buildModelSchema(busm)): ModelFacts {
  const model = withCompositeKeys(busm);
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const entities = new Map<string, { table: Table; fields: ReadonlySet<string> }>();
  for (const [name, entity] of Object.entries(model.entities)) {
    const table = tables.get(tableNameOf(name, entity));
    if (table) entities.set(name, { table, fields: new Set(entityFields(model, name).map(([field]) => field)) });
  }
  return { schema, entities };
}

/** The model's definition of a column of an entity's table, when one of the entity's fields declares it. */
export function modelColumn(facts: ModelFacts, entity: string | undefined, column: string): Column | undefined {
  const found = entity === undefined ? undefined : facts.entities.get(entity);
  return found?.fields.has(column) ? found.table.columns.find((c) => c.name === column) : undefined;
}

/** A module's selection, resolved: which fields of which entities, and their types. */
export interface ModuleSelection {
  readonly entities: readonly {
    readonly entity: string;
    /**
     * The table's fields: BUSM fields by name, or module-declared ones with their own type; `backfill`
     * (deparsed SQL) fills existing rows when the prototype makes the field required.
     */
    readonly fields: readonly { readonly name: string; readonly field: BusmField; readonly backfill?: string }[];
  }[];
  readonly relationships: readonly BusmRelationship[];
}

/**
 * The IR of one module's prototype: only the entities and fields it lists, its primary keys,
 * required fields and defaults, and foreign keys from its own relationships (spec §8).
 */
export function buildModuleSchema(busm: BusmModel, selection: ModuleSelection, options: BuildOptions = {}): Schema {
  const model = withCompositeKeys(busm);
  const drafts = new Map<string, DraftTable>();
  // Entities the BUSM lacks (MISSING_ENTITY) join a scoped copy, so relationships can reach them.
  const missing: Record<string, BusmEntity> = {};
  for (const { entity: entityName, fields } of selection.entities) {
    const entity = model.entities[entityName];
    const inKey = (name: string) => entity?.primaryKey?.includes(name) === true;
    const draftFields = fields.map(
      ({ name, field }) =>
        [name, { ...field, unique: false, ...(inKey(name) ? { primaryKey: true } : {}) }] as [string, BusmField],
    );
    if (!draftFields.some(([, f]) => f.primaryKey)) draftFields.unshift(["id", IMPLIED_ID]);
    const draft: DraftTable = {
      name: tableNameOf(entityName, entity),
      entity: entityName,
      ...(entity?.description !== undefined ? { comment: entity.description } : {}),
      columns: draftFields.map(([name, f]) => columnOf(model, name, f, options)),
      pk: entity?.primaryKey
        ? entity.primaryKey.filter((n) => draftFields.some(([f]) => f === n))
        : draftFields.filter(([, f]) => f.primaryKey).map(([n]) => n),
      fks: [],
      uniques: [],
      indexes: [],
    };
    drafts.set(draft.name, draft);
    if (!entity) missing[entityName] = { fields: Object.fromEntries(draftFields) };
  }
  // NOTE: copy the model's entities only when a module adds some: with thousands of entities and
  // hundreds of modules, a copy per module is the slowest part of reading a project.
  const scoped: BusmModel =
    Object.keys(missing).length > 0 ? { ...model, entities: { ...model.entities, ...missing } } : model;
  for (const rel of selection.relationships) addRelationship(scoped, drafts, rel, "prototype", options);
  // Only the shared enums the module's columns use.
  const used = new Set(
    [...drafts.values()].flatMap((d) => d.columns.flatMap((c) => (c.enum?.name ? [c.enum.name] : []))),
  );
  return finish(
    [...drafts.values()],
    options,
    Object.fromEntries(Object.entries(model.enums ?? {}).filter(([name]) => used.has(name))),
  );
}
