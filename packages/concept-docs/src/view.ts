/**
 * What a concept diagram shows, built from the BUSM (the whole model) or from a module's selection:
 * entities with their fields, and relationships with cardinalities. Pure.
 */
import {
  type BusmEntity,
  type BusmField,
  type BusmModel,
  joinColumns,
  joinTableName,
  type ModuleSelection,
  tableAccessOf,
  tableNameOf,
} from "@dbgen/busm-reader";
import { type AccessOperation, audienceLabel, expandAccess } from "@dbgen/schema-core";

export interface ViewField {
  readonly name: string;
  /** The BUSM type with its size: `string(20)`, `decimal(12,2)`, `enum`, `vector(1536)`, `text[]`. */
  readonly type: string;
  readonly primaryKey: boolean;
  readonly foreignKey: boolean;
  readonly unique: boolean;
  readonly required: boolean;
  readonly default?: string;
  /** `Entity` or `Entity.field`. */
  readonly references?: string;
  readonly description?: string;
  readonly values?: readonly string[];
  readonly enumName?: string;
  /** `identity`, or `generated from …`: the database fills it. */
  readonly filled?: string;
}

export interface ViewEntity {
  /** The entity's name (`WorkOrder`), or a join table's name. */
  readonly name: string;
  readonly table: string;
  readonly description?: string;
  readonly fields: readonly ViewField[];
  /** For a module: the BUSM fields it leaves out. */
  readonly omitted?: readonly string[];
  readonly isJoinTable?: boolean;
  /** Who may do what (spec §2a): the audiences per operation, a shorthand mode read as its audiences. */
  readonly access?: ViewAccess;
}

export interface ViewAccess {
  /** `rules`, or the shorthand mode it was written as. */
  readonly mode: string;
  readonly owner?: string;
  /** The scope chain, `project_id.organization_id`. */
  readonly scope?: string;
  /** On a scope entity: its membership entity and columns, `Membership.user_id (role: role; creator: owner)`. */
  readonly members?: string;
  readonly operations: Readonly<Record<AccessOperation, readonly string[]>>;
}

/** An entity's access matrix row; a tenant mode's audience reads `tenant(claim = column)`. */
function accessView(entity: BusmEntity | undefined): ViewAccess {
  const expanded = expandAccess(entity?.access ? tableAccessOf(entity.access) : undefined);
  const operations = Object.fromEntries(
    Object.entries(expanded.operations).map(([op, audiences]) => [
      op,
      audiences.map((a) => audienceLabel(expanded, a)),
    ]),
  ) as Record<AccessOperation, string[]>;
  return {
    mode: expanded.mode,
    ...(expanded.owner !== undefined ? { owner: expanded.owner } : {}),
    ...(expanded.scope.length ? { scope: expanded.scope.join(".") } : {}),
    ...(entity?.members ? { members: membersLabel(entity.members) } : {}),
    operations,
  };
}

function membersLabel(m: NonNullable<BusmEntity["members"]>): string {
  const details = [m.role ? `role: ${m.role}` : "", m.creatorRole ? `creator: ${m.creatorRole}` : ""].filter(Boolean);
  return `${m.entity}.${m.user}${details.length ? ` (${details.join("; ")})` : ""}`;
}

/** A crow's-foot relationship: `from` holds the key (its side is "many" unless one-to-one). */
export interface ViewRelationship {
  readonly from: string;
  readonly to: string;
  readonly kind: "many-to-one" | "one-to-one";
  /** The foreign key field on `from`. */
  readonly field: string;
  readonly required: boolean;
  readonly label: string;
}

export interface DiagramView {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly entities: readonly ViewEntity[];
  readonly relationships: readonly ViewRelationship[];
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

const IMPLIED_ID: BusmField = { type: "uuid", primaryKey: true };

export function typeLabel(field: BusmField): string {
  const element = elementLabel(field);
  return field.array === true ? `${element}[]` : element;
}

function elementLabel(field: BusmField): string {
  if (field.type === "string" || field.type === "email" || field.type === "url" || field.type === "phone")
    return field.maxLength !== undefined ? `${field.type}(${field.maxLength})` : field.type;
  if (field.type === "decimal" && field.precision !== undefined)
    return `decimal(${field.precision},${field.scale ?? 0})`;
  if (field.type === "vector") return `vector(${field.dimensions ?? "?"})`;
  return field.type;
}

/** How the database fills the field, when it does: an identity, or a generated expression. */
function filledLabel(field: BusmField): string | undefined {
  if (field.identity === true) return "identity";
  return field.generated ? `generated from ${field.generated.sql}` : undefined;
}

function defaultLabel(d: BusmField["default"]): string | undefined {
  if (d === undefined) return undefined;
  return typeof d === "object" ? d.sql : JSON.stringify(d);
}

function targetEntity(reference: string): string {
  const dot = reference.indexOf(".");
  return dot < 0 ? reference : reference.slice(0, dot);
}

function viewField(
  model: BusmModel,
  name: string,
  field: BusmField,
  extra: { references?: string; unique?: boolean } = {},
): ViewField {
  const references = field.references ?? extra.references;
  const values = field.values ?? (field.enum ? model.enums?.[field.enum] : undefined);
  const def = defaultLabel(field.default);
  return {
    name,
    type: typeLabel(field),
    primaryKey: field.primaryKey === true,
    foreignKey: references !== undefined,
    unique: field.unique === true || extra.unique === true,
    required: field.required === true || field.primaryKey === true,
    ...(def !== undefined ? { default: def } : {}),
    ...(references !== undefined ? { references } : {}),
    ...(field.description !== undefined ? { description: field.description } : {}),
    ...(values ? { values } : {}),
    ...(field.enum ? { enumName: field.enum } : {}),
    ...(filledLabel(field) !== undefined ? { filled: filledLabel(field) } : {}),
  };
}

function entityFields(model: BusmModel, entity: string): [string, BusmField][] {
  const fields = Object.entries(model.entities[entity]?.fields ?? {});
  return fields.some(([, f]) => f.primaryKey) ? fields : [["id", IMPLIED_ID], ...fields];
}

/** Relationship fields the model declares on `relationships` rather than on the field. */
function relationshipFields(model: BusmModel): Map<string, { to: string; unique: boolean }> {
  const out = new Map<string, { to: string; unique: boolean }>();
  for (const r of model.relationships ?? [])
    if (r.type !== "many-to-many" && r.field)
      out.set(`${r.from}.${r.field}`, { to: r.to, unique: r.type === "one-to-one" });
  return out;
}

function relationshipsOf(entities: readonly ViewEntity[]): ViewRelationship[] {
  const names = new Set(entities.map((e) => e.name));
  const out: ViewRelationship[] = [];
  for (const e of entities) {
    for (const f of e.fields) {
      if (!f.references) continue;
      const to = targetEntity(f.references);
      if (!names.has(to)) continue;
      out.push({
        from: e.name,
        to,
        kind: f.unique ? "one-to-one" : "many-to-one",
        field: f.name,
        required: f.required,
        label: f.name.replace(/_id$/, "").replaceAll("_", " "),
      });
    }
  }
  return out;
}

function enumsOf(model: BusmModel, entities: readonly ViewEntity[]): Record<string, readonly string[]> {
  const used = new Set(entities.flatMap((e) => e.fields.flatMap((f) => (f.enumName ? [f.enumName] : []))));
  return Object.fromEntries(Object.entries(model.enums ?? {}).filter(([name]) => used.has(name)));
}

/** Join tables of many-to-many relationships without a join entity, between entities in `names`. */
function joinEntities(
  model: BusmModel,
  names: ReadonlySet<string>,
  rels: readonly { from: string; to: string; type: string; through?: string; description?: string }[],
): ViewEntity[] {
  const out: ViewEntity[] = [];
  for (const r of rels) {
    if (r.type !== "many-to-many" || !names.has(r.from) || !names.has(r.to) || (r.through && model.entities[r.through]))
      continue;
    // The reader's names, so the docs show the columns the SQL and the types have.
    const table = joinTableName(r.from, r.to, model, r.through);
    const [a, b] = joinColumns(r.from, r.to);
    out.push({
      name: table,
      table,
      isJoinTable: true,
      ...(r.description !== undefined
        ? { description: r.description }
        : { description: `Joins ${r.from} and ${r.to} (many-to-many).` }),
      fields: [
        {
          name: a,
          type: "uuid",
          primaryKey: true,
          foreignKey: true,
          unique: false,
          required: true,
          references: r.from,
        },
        { name: b, type: "uuid", primaryKey: true, foreignKey: true, unique: false, required: true, references: r.to },
      ],
    });
  }
  return out;
}

/** The whole model: every entity and field, every relationship, the join tables. */
export function modelView(model: BusmModel): DiagramView {
  const relFields = relationshipFields(model);
  // Relationship fields by entity, indexed once (a scan per entity is quadratic on large models).
  const relFieldsByEntity = new Map<string, { field: string; to: string; unique: boolean }[]>();
  for (const [key, rel] of relFields) {
    const [from, field] = key.split(".") as [string, string];
    relFieldsByEntity.set(from, [...(relFieldsByEntity.get(from) ?? []), { field, ...rel }]);
  }
  const entities: ViewEntity[] = Object.entries(model.entities).map(([name, entity]) => {
    const fields = entityFields(model, name).map(([fname, f]) => {
      const rel = relFields.get(`${name}.${fname}`);
      return viewField(model, fname, f, rel ? { references: rel.to, unique: rel.unique } : {});
    });
    for (const { field, to, unique } of relFieldsByEntity.get(name) ?? []) {
      if (!fields.some((f) => f.name === field))
        fields.push({
          name: field,
          type: "uuid",
          primaryKey: false,
          foreignKey: true,
          unique,
          required: false,
          references: to,
        });
    }
    return {
      name,
      table: tableNameOf(name, entity),
      ...(entity.description !== undefined ? { description: entity.description } : {}),
      fields,
      access: accessView(entity),
    };
  });
  const all = [...entities, ...joinEntities(model, new Set(Object.keys(model.entities)), model.relationships ?? [])];
  return {
    id: "busm",
    title: model.name ?? "BUSM",
    ...(model.description !== undefined ? { description: model.description } : {}),
    entities: all,
    relationships: relationshipsOf(all),
    enums: enumsOf(model, all),
  };
}

/** A module's view: only what it selects, its own relationships, and what it leaves out of each entity. */
export function moduleView(model: BusmModel, module: string, selection: ModuleSelection): DiagramView {
  const rels = new Map(
    selection.relationships.filter((r) => r.type !== "many-to-many" && r.field).map((r) => [`${r.from}.${r.field}`, r]),
  );
  const entities: ViewEntity[] = selection.entities.map(({ entity, fields }) => {
    const busm = model.entities[entity];
    const view = fields.map(({ name, field }) => {
      const rel = rels.get(`${entity}.${name}`);
      // Prototype foreign keys come only from the module's relationships.
      const { references: _r, ...rest } = field;
      return viewField(model, name, rest, rel ? { references: rel.to, unique: rel.type === "one-to-one" } : {});
    });
    for (const [key, rel] of rels) {
      const [from, field] = key.split(".") as [string, string];
      if (from === entity && !view.some((f) => f.name === field))
        view.push({
          name: field,
          type: "uuid",
          primaryKey: false,
          foreignKey: true,
          unique: rel.type === "one-to-one",
          required: false,
          references: rel.to,
        });
    }
    const used = new Set(view.map((f) => f.name));
    const omitted = entityFields(model, entity)
      .map(([n]) => n)
      .filter((n) => !used.has(n));
    return {
      name: entity,
      table: tableNameOf(entity, busm),
      ...(busm?.description !== undefined ? { description: busm.description } : {}),
      fields: view,
      omitted,
      access: accessView(busm),
    };
  });
  const all = [...entities, ...joinEntities(model, new Set(entities.map((e) => e.name)), selection.relationships)];
  return { id: module, title: module, entities: all, relationships: relationshipsOf(all), enums: enumsOf(model, all) };
}

/** One row of the access matrix: an entity, its audiences per operation (joined), owner and scope. */
export interface AccessRow {
  readonly entity: string;
  /** The shorthand mode it was written as; absent for rules (and join tables). */
  readonly mode?: string;
  readonly select: string;
  readonly insert: string;
  readonly update: string;
  readonly delete: string;
  readonly owner: string;
  readonly scope: string;
}

const JOINED = "whoever sees both joined rows";

/** The access matrix of a view (spec §2a), what the Markdown, the page and the review panel show. */
export function accessRows(view: DiagramView): AccessRow[] {
  return view.entities.flatMap((e): AccessRow[] => {
    if (e.isJoinTable)
      return [{ entity: e.name, select: JOINED, insert: JOINED, update: JOINED, delete: JOINED, owner: "", scope: "" }];
    const a = e.access;
    if (!a) return [];
    const join = (op: AccessOperation) => a.operations[op].join(", ");
    return [
      {
        entity: e.name,
        ...(a.mode !== "rules" ? { mode: a.mode } : {}),
        select: join("select"),
        insert: join("insert"),
        update: join("update"),
        delete: join("delete"),
        owner: a.owner ?? "",
        scope: a.scope ?? (a.members ? `itself, members ${a.members}` : ""),
      },
    ];
  });
}
