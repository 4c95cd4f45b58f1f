/**
 * A module file's selection checked against the BUSM (spec §3): which entities and fields, with
 * the module's own fields and type overrides, and its relationships.
 */
import { closestName, type Diagnostic, LOGICAL_TYPES, suggestFix } from "@dbgen/schema-core";
import type { ModuleSelection } from "./build.js";
import { isLogicalType, primaryKeyFields } from "./check.js";
import type { BusmField, BusmModel, ModuleConfig } from "./model.js";
import { SNAKE_NAME_PATTERN } from "./names.js";
import { diagnosticAt, type Locator } from "./parse.js";
import { containExpression, expressionColumns } from "./sql-check.js";

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

export function resolveModule(
  model: BusmModel,
  config: ModuleConfig,
  locator: Locator,
): { selection: ModuleSelection; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (
    path: (string | number)[],
    code: Diagnostic["code"],
    message: string,
    fix: string,
    severity: Diagnostic["severity"] = "error",
  ) => diagnostics.push(diagnosticAt(locator, path, code, message, fix, severity));
  /** A field's backfill as dbgen renders it, undefined without one, null when refused (reported). */
  const checkedBackfill = (text: string | undefined, path: (string | number)[]): string | null | undefined => {
    if (text === undefined) return undefined;
    const contained = containExpression(text);
    if (contained.sql !== undefined) return contained.sql;
    at(
      path,
      "INVALID_EXPRESSION",
      `The backfill ${JSON.stringify(text)} is refused: ${contained.problem}`,
      "give a value or an allowed expression, e.g. backfill: \"'unknown'\" or backfill: now()",
    );
    return null;
  };
  const listed = new Set(config.entities);
  for (const name of Object.keys(config.fields ?? {})) {
    if (!listed.has(name))
      at(
        ["fields", name],
        "INVALID_CONFIG",
        `fields lists ${name}, which is not in entities`,
        `add ${name} to entities, or remove its fields`,
      );
  }
  const seenEntities = new Set<string>();
  const entities: { entity: string; fields: { name: string; field: BusmField }[] }[] = [];
  config.entities.forEach((entityName, index) => {
    if (seenEntities.has(entityName)) {
      at(["entities", index], "INVALID_CONFIG", `Entity ${entityName} is listed twice`, "list it once");
      return;
    }
    seenEntities.add(entityName);
    const entity = model.entities[entityName];
    if (!entity)
      at(
        ["entities", index],
        "MISSING_ENTITY",
        `Entity ${entityName} is not in the BUSM; it gets a minimal table in prototype, and merge and harden refuse it`,
        suggestFix(entityName, Object.keys(model.entities), "add it to the BUSM, or fix the name"),
        "warning",
      );
    const fields: { name: string; field: BusmField; backfill?: string }[] = [];
    const seen = new Set<string>();
    (config.fields?.[entityName] ?? []).forEach((entry, i) => {
      const path = ["fields", entityName, i];
      const [name, given] =
        typeof entry === "string" ? [entry, undefined] : (Object.entries(entry)[0] ?? ["", undefined]);
      const declared = typeof given === "object" ? given.type : given;
      const backfill =
        typeof given === "object" ? checkedBackfill(given.backfill, [...path, name, "backfill"]) : undefined;
      if (backfill === null) return;
      const filled = backfill === undefined ? {} : { backfill };
      if (!SNAKE_NAME_PATTERN.test(name)) {
        at(path, "INVALID_NAME", `Field name "${name}" must be snake_case`, "use lower-case letters, digits and _");
        return;
      }
      if (seen.has(name)) {
        at(path, "DUPLICATE_COLUMN", `Field ${entityName}.${name} is listed twice`, "list it once");
        return;
      }
      seen.add(name);
      // `id` is the implied key of an entity without one, and of an entity the BUSM lacks.
      const impliedId = name === "id" && (!entity || primaryKeyFields(entity).includes("id"));
      const busmField = entity?.fields[name] ?? (impliedId ? { type: "uuid", primaryKey: true } : undefined);
      if (declared === undefined) {
        if (!busmField) {
          at(
            path,
            "UNKNOWN_FIELD",
            `${entityName}.${name} is not in the BUSM and has no type`,
            suggestFix(name, Object.keys(entity?.fields ?? {}), `declare it with a type: "- ${name}: string"`),
          );
          return;
        }
        fields.push({ name, field: busmField, ...filled });
        return;
      }
      if (!isLogicalType(declared)) {
        at(
          path,
          "UNKNOWN_TYPE",
          `Unknown type "${declared}" for ${entityName}.${name}`,
          `use one of: ${LOGICAL_TYPES.join(", ")}`,
        );
        return;
      }
      if (busmField && busmField.type !== declared) {
        at(
          path,
          "TYPE_MISMATCH",
          `${entityName}.${name} is ${busmField.type} in the BUSM but ${declared} here; the module wins in prototype`,
          "production takes the BUSM's type unless a merge resolution keeps this one: align the module, or add a resolution",
          "warning",
        );
      }
      // An override changes the type; the field stays required, keyed and described as the BUSM says.
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
        at(
          path,
          "UNKNOWN_TYPE",
          `${entityName}.${name} is declared enum here without values`,
          "use the BUSM's field, or declare it as string",
        );
        return;
      }
      fields.push({ name, field: base, ...filled });
    });
    // A generated field reads other fields: they must be columns of the prototype too.
    for (const { name, field } of fields)
      for (const column of field.generated ? expressionColumns(field.generated.sql) : [])
        if (!fields.some((f) => f.name === column))
          at(
            ["fields", entityName],
            "UNKNOWN_FIELD",
            `${entityName}.${name} is generated from ${column}, which the module does not list`,
            `list ${column} in the module's fields of ${entityName}, or leave ${name} out`,
          );
    // The primary key is always there: a table needs one.
    if (entity) {
      for (const pk of primaryKeyFields(entity).reverse()) {
        if (!fields.some((f) => f.name === pk))
          fields.unshift({ name: pk, field: entity.fields[pk] ?? { type: "uuid", primaryKey: true } });
      }
    }
    entities.push({ entity: entityName, fields });
  });
  /**
   * A relationship's `field` that is not a field of its entity makes a new column; when a field of that
   * entity has a near name, the author most likely meant it (a typo would leave it without its key).
   */
  const typoInField = (entityName: string, field: string, i: number) => {
    const listed = entities.find((e) => e.entity === entityName)?.fields.map((f) => f.name) ?? [];
    const known = [...listed, ...Object.keys(model.entities[entityName]?.fields ?? {})];
    if (known.includes(field)) return;
    const near = closestName(field, known);
    if (near === undefined) return;
    at(
      ["relationships", i, "field"],
      "UNKNOWN_FIELD",
      `${entityName}.${field} is not a field of ${entityName}: the relationship would add it as a new column, and ${entityName}.${near} would get no foreign key`,
      `did you mean "${near}"? Otherwise list ${field} with a type under fields`,
      "warning",
    );
  };
  (config.relationships ?? []).forEach((rel, i) => {
    for (const side of ["from", "to"] as const) {
      if (!seenEntities.has(rel[side]))
        at(
          ["relationships", i, side],
          "INVALID_FOREIGN_KEY",
          `Relationship ${side} ${rel[side]}, which is not one of the module's entities`,
          `add ${rel[side]} to entities`,
        );
    }
    if (rel.type !== "many-to-many" && !rel.field)
      at(["relationships", i], "INVALID_CONFIG", `A ${rel.type} relationship needs \`field\``, 'add "field: …_id"');
    else if (rel.type !== "many-to-many" && rel.field) typoInField(rel.from, rel.field, i);
  });
  return { selection: { entities, relationships: config.relationships ?? [] }, diagnostics };
}
