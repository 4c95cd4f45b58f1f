/**
 * A module file's selection checked against the BUSM (spec §3): which entities and fields, with
 * the module's own fields and type overrides, and its relationships.
 */
import { closestName, type Diagnostic, LOGICAL_TYPES, suggestFix } from "@dbgen/schema-core";
import type { ModuleSelection } from "./build.js";
import { isLogicalType, primaryKeyFields } from "./check.js";
import type { BusmEntity, BusmField, BusmModel, ModuleConfig } from "./model.js";
import { SNAKE_NAME_PATTERN } from "./names.js";
import { diagnosticAt, diagnosticsOf, type Locator, type Problem } from "./parse.js";
import { containExpression, expressionColumns } from "./postgres/expressions.js";

export const MODULE_FILE_PATTERN = /^([a-z][a-z0-9-]*)-phase(\d+)\.ya?ml$/;

/** `account-management-phase2.yaml` → its module and phase; the file's own `module:`/`phase:` must match. */
export function checkModuleFileName(config: ModuleConfig, fileName: string, locator: Locator): Diagnostic[] {
  const match = MODULE_FILE_PATTERN.exec(fileName);
  if (!match) {
    return [
      diagnosticAt(
        locator,
        [],
        "INVALID_CONFIG",
        `Module file name "${fileName}" is not {module}-phase{n}.yaml`,
        "rename the file, e.g. account-management-phase1.yaml",
      ),
    ];
  }
  const out: Diagnostic[] = [];
  if (match[1] !== config.module)
    out.push(
      diagnosticAt(
        locator,
        ["module"],
        "INVALID_CONFIG",
        `module: ${config.module} does not match the file name's "${match[1]}"`,
        `set module: ${match[1]}, or rename the file`,
      ),
    );
  if (Number(match[2]) !== config.phase)
    out.push(
      diagnosticAt(
        locator,
        ["phase"],
        "INVALID_CONFIG",
        `phase: ${config.phase} does not match the file name's phase ${match[2]}`,
        `set phase: ${match[2]}, or rename the file`,
      ),
    );
  return out;
}

type SelectedField = ModuleSelection["entities"][number]["fields"][number];
type FieldEntry = NonNullable<ModuleConfig["fields"]>[string][number];

/** `fields` may only name listed entities. */
function unlistedFieldProblems(config: ModuleConfig): Problem[] {
  const listed = new Set(config.entities);
  return Object.keys(config.fields ?? {})
    .filter((name) => !listed.has(name))
    .map((name) => ({
      path: ["fields", name],
      code: "INVALID_CONFIG",
      message: `fields lists ${name}, which is not in entities`,
      fix: `add ${name} to entities, or remove its fields`,
    }));
}

/** A field's backfill as dbgen renders it, undefined without one, null when refused (and why). */
function checkedBackfill(
  text: string | undefined,
  path: (string | number)[],
  out: Problem[],
): string | null | undefined {
  if (text === undefined) return undefined;
  const contained = containExpression(text);
  if (contained.sql !== undefined) return contained.sql;
  out.push({
    path,
    code: "INVALID_EXPRESSION",
    message: `The backfill ${JSON.stringify(text)} is refused: ${contained.problem}`,
    fix: "give a value or an allowed expression, e.g. backfill: \"'unknown'\" or backfill: now()",
  });
  return null;
}

/**
 * The field a module declares with a type of its own: an override changes the type; the field stays
 * required, keyed and described as the BUSM says. Undefined (and why) when the type cannot be used.
 */
function declaredField(
  at: { path: (string | number)[]; entityName: string; name: string },
  declared: string,
  busmField: BusmField | undefined,
  out: Problem[],
): BusmField | undefined {
  const { path, entityName, name } = at;
  if (!isLogicalType(declared)) {
    out.push({
      path,
      code: "UNKNOWN_TYPE",
      message: `Unknown type "${declared}" for ${entityName}.${name}`,
      fix: `use one of: ${LOGICAL_TYPES.join(", ")}`,
    });
    return undefined;
  }
  if (busmField && busmField.type !== declared)
    out.push({
      path,
      code: "TYPE_MISMATCH",
      message: `${entityName}.${name} is ${busmField.type} in the BUSM but ${declared} here; the module wins in prototype`,
      fix: "production takes the BUSM's type unless a merge resolution keeps this one: align the module, or add a resolution",
      severity: "warning",
    });
  const base: BusmField =
    busmField && busmField.type === declared
      ? busmField
      : {
          type: declared,
          ...(busmField?.primaryKey ? { primaryKey: true } : {}),
          ...(busmField?.required ? { required: true } : {}),
          ...(busmField?.description !== undefined ? { description: busmField.description } : {}),
        };
  if (declared === "enum" && !base.values && !base.enum) {
    out.push({
      path,
      code: "UNKNOWN_TYPE",
      message: `${entityName}.${name} is declared enum here without values`,
      fix: "use the BUSM's field, or declare it as string",
    });
    return undefined;
  }
  return base;
}

/** One entry of a module's field list: the field it selects, or undefined (and why). */
function moduleField(
  entityName: string,
  entity: BusmEntity | undefined,
  entry: FieldEntry,
  path: (string | number)[],
  seen: Set<string>,
  out: Problem[],
): SelectedField | undefined {
  const [name, given] = typeof entry === "string" ? [entry, undefined] : (Object.entries(entry)[0] ?? ["", undefined]);
  const declared = typeof given === "object" ? given.type : given;
  const backfill =
    typeof given === "object" ? checkedBackfill(given.backfill, [...path, name, "backfill"], out) : undefined;
  if (backfill === null) return undefined;
  const filled = backfill === undefined ? {} : { backfill };
  if (!SNAKE_NAME_PATTERN.test(name)) {
    out.push({
      path,
      code: "INVALID_NAME",
      message: `Field name "${name}" must be snake_case`,
      fix: "use lower-case letters, digits and _",
    });
    return undefined;
  }
  if (seen.has(name)) {
    out.push({
      path,
      code: "DUPLICATE_COLUMN",
      message: `Field ${entityName}.${name} is listed twice`,
      fix: "list it once",
    });
    return undefined;
  }
  seen.add(name);
  // `id` is the implied key of an entity without one, and of an entity the BUSM lacks.
  const impliedId = name === "id" && (!entity || primaryKeyFields(entity).includes("id"));
  const busmField = entity?.fields[name] ?? (impliedId ? { type: "uuid", primaryKey: true } : undefined);
  if (declared !== undefined) {
    const field = declaredField({ path, entityName, name }, declared, busmField, out);
    return field ? { name, field, ...filled } : undefined;
  }
  if (busmField) return { name, field: busmField, ...filled };
  out.push({
    path,
    code: "UNKNOWN_FIELD",
    message: `${entityName}.${name} is not in the BUSM and has no type`,
    fix: suggestFix(name, Object.keys(entity?.fields ?? {}), `declare it with a type: "- ${name}: string"`),
  });
  return undefined;
}

/** One listed entity: its fields as the module selects them, with the generated fields' sources and the key. */
function moduleEntity(
  model: BusmModel,
  config: ModuleConfig,
  entityName: string,
  index: number,
  out: Problem[],
): ModuleSelection["entities"][number] {
  const entity = model.entities[entityName];
  if (!entity)
    out.push({
      path: ["entities", index],
      code: "MISSING_ENTITY",
      message: `Entity ${entityName} is not in the BUSM; it gets a minimal table in prototype, and merge and harden refuse it`,
      fix: suggestFix(entityName, Object.keys(model.entities), "add it to the BUSM, or fix the name"),
      severity: "warning",
    });
  const seen = new Set<string>();
  const fields = (config.fields?.[entityName] ?? []).flatMap(
    (entry, i) => moduleField(entityName, entity, entry, ["fields", entityName, i], seen, out) ?? [],
  );
  // A generated field reads other fields: they must be columns of the prototype too.
  for (const { name, field } of fields)
    for (const column of field.generated ? expressionColumns(field.generated.sql) : [])
      if (!fields.some((f) => f.name === column))
        out.push({
          path: ["fields", entityName],
          code: "UNKNOWN_FIELD",
          message: `${entityName}.${name} is generated from ${column}, which the module does not list`,
          fix: `list ${column} in the module's fields of ${entityName}, or leave ${name} out`,
        });
  // The primary key is always there: a table needs one.
  if (entity)
    for (const pk of primaryKeyFields(entity).reverse())
      if (!fields.some((f) => f.name === pk))
        fields.unshift({ name: pk, field: entity.fields[pk] ?? { type: "uuid", primaryKey: true } });
  return { entity: entityName, fields };
}

/**
 * The module's relationships: both ends listed entities, a `field` where the kind needs one; a
 * `field` that is not a field of its entity but near one is most likely a typo (a warning).
 */
function moduleRelationshipProblems(
  model: BusmModel,
  config: ModuleConfig,
  entities: ModuleSelection["entities"],
): Problem[] {
  const out: Problem[] = [];
  const listed = new Set(entities.map((e) => e.entity));
  const typoInField = (entityName: string, field: string, i: number) => {
    const own = entities.find((e) => e.entity === entityName)?.fields.map((f) => f.name) ?? [];
    const known = [...own, ...Object.keys(model.entities[entityName]?.fields ?? {})];
    const near = known.includes(field) ? undefined : closestName(field, known);
    if (near !== undefined)
      out.push({
        path: ["relationships", i, "field"],
        code: "UNKNOWN_FIELD",
        message: `${entityName}.${field} is not a field of ${entityName}: the relationship would add it as a new column, and ${entityName}.${near} would get no foreign key`,
        fix: `did you mean "${near}"? Otherwise list ${field} with a type under fields`,
        severity: "warning",
      });
  };
  (config.relationships ?? []).forEach((rel, i) => {
    for (const side of ["from", "to"] as const)
      if (!listed.has(rel[side]))
        out.push({
          path: ["relationships", i, side],
          code: "INVALID_FOREIGN_KEY",
          message: `Relationship ${side} ${rel[side]}, which is not one of the module's entities`,
          fix: `add ${rel[side]} to entities`,
        });
    if (rel.type !== "many-to-many" && !rel.field)
      out.push({
        path: ["relationships", i],
        code: "INVALID_CONFIG",
        message: `A ${rel.type} relationship needs \`field\``,
        fix: 'add "field: …_id"',
      });
    else if (rel.type !== "many-to-many" && rel.field) typoInField(rel.from, rel.field, i);
  });
  return out;
}

export function resolveModule(
  model: BusmModel,
  config: ModuleConfig,
  locator: Locator,
): { selection: ModuleSelection; diagnostics: Diagnostic[] } {
  const problems: Problem[] = unlistedFieldProblems(config);
  const seenEntities = new Set<string>();
  const entities: ModuleSelection["entities"][number][] = [];
  config.entities.forEach((entityName, index) => {
    if (seenEntities.has(entityName)) {
      problems.push({
        path: ["entities", index],
        code: "INVALID_CONFIG",
        message: `Entity ${entityName} is listed twice`,
        fix: "list it once",
      });
      return;
    }
    seenEntities.add(entityName);
    entities.push(moduleEntity(model, config, entityName, index, problems));
  });
  problems.push(...moduleRelationshipProblems(model, config, entities));
  const diagnostics = diagnosticsOf(locator, problems);
  return { selection: { entities, relationships: config.relationships ?? [] }, diagnostics };
}
