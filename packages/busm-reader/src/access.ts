/**
 * Access rules per operation (spec §2a): the model's `access` and `members` read into the IR, and
 * every way a rule cannot hold, found before anything is generated.
 */
import {
  type AccessOperation,
  type AccessRules,
  AUDIENCE_KINDS,
  type Audience,
  type Diagnostic,
  parseAudience,
  suggestFix,
  type TableAccess,
  type TableMembers,
} from "@dbgen/schema-core";
import type { BusmAccess, BusmEntity, BusmModel } from "./model.js";
import { isAuthUsersReference, tableNameOf } from "./names.js";

const OPERATIONS: readonly AccessOperation[] = ["select", "insert", "update", "delete"];

/** Whether an entity's access is written per operation (not a `mode` shorthand). */
export function hasRules(access: BusmAccess | undefined): boolean {
  return access !== undefined && access.mode === undefined;
}

/** The IR form of an entity's access: a shorthand as written, or its rules. */
export function tableAccessOf(access: BusmAccess): TableAccess {
  if (access.mode !== undefined) {
    const { mode, column, via, claim } = access;
    return {
      mode,
      ...(column !== undefined ? { column } : {}),
      ...(via !== undefined ? { via } : {}),
      ...(claim !== undefined ? { claim } : {}),
    };
  }
  const rules: AccessRules = {
    ...(access.owner !== undefined ? { owner: access.owner } : {}),
    scope: access.scope ? access.scope.split(".") : [],
    operations: {
      select: [...(access.select ?? [])],
      insert: [...(access.insert ?? [])],
      update: [...(access.update ?? [])],
      delete: [...(access.delete ?? [])],
    },
  };
  return { mode: "rules", rules };
}

/** The field of `entity` that references `target` (by `references`, or a many-to-one relationship). */
function referenceTo(model: BusmModel, entity: string, target: string): string | undefined {
  const fields = Object.entries(model.entities[entity]?.fields ?? {});
  const byField = fields.find(([, f]) => f.references && f.references.split(".")[0] === target)?.[0];
  if (byField) return byField;
  return (model.relationships ?? []).find(
    (r) => r.from === entity && r.to === target && r.type !== "many-to-many" && r.field !== undefined,
  )?.field;
}

/** The IR form of a scope entity's `members` (already checked). */
export function tableMembersOf(model: BusmModel, scopeEntity: string): TableMembers | undefined {
  const members = model.entities[scopeEntity]?.members;
  if (!members) return undefined;
  const scopeColumn = referenceTo(model, members.entity, scopeEntity) ?? "";
  return {
    table: tableNameOf(members.entity, model.entities[members.entity]),
    scopeColumn,
    user: members.user,
    ...(members.role !== undefined ? { role: members.role } : {}),
    ...(members.creatorRole !== undefined ? { creatorRole: members.creatorRole } : {}),
  };
}

/** The entity a reference field of `entity` points at (`references` or a relationship). */
function targetOf(model: BusmModel, entity: string, field: string): string | undefined {
  const reference = model.entities[entity]?.fields[field]?.references;
  if (reference !== undefined) return isAuthUsersReference(reference) ? undefined : reference.split(".")[0];
  return (model.relationships ?? []).find((r) => r.from === entity && r.type !== "many-to-many" && r.field === field)
    ?.to;
}

/** The scope entity a rule's `scope` chain reaches from `entity` (itself when it declares members). */
function scopeEntityOf(model: BusmModel, entity: string): string | undefined {
  const access = model.entities[entity]?.access;
  if (!access?.scope) return model.entities[entity]?.members ? entity : undefined;
  let at: string | undefined = entity;
  for (const field of access.scope.split(".")) at = at ? targetOf(model, at, field) : undefined;
  return at;
}

interface Problem {
  readonly path: (string | number)[];
  readonly code: Diagnostic["code"];
  readonly message: string;
  readonly fix: string;
}

/** The values an enum field may hold, from its own values or its shared enum. */
function valuesOf(model: BusmModel, entity: string, field: string | undefined): readonly string[] | undefined {
  const f = field === undefined ? undefined : model.entities[entity]?.fields[field];
  return f?.values ?? (f?.enum ? model.enums?.[f.enum] : undefined);
}

/** Why a scope entity's `members` cannot say who its members are. */
export function membersProblems(model: BusmModel, entityName: string): Problem[] {
  const members = model.entities[entityName]?.members;
  if (!members) return [];
  const membership = model.entities[members.entity];
  const at = (key: string, message: string, fix: string, code: Diagnostic["code"] = "INVALID_CONFIG"): Problem => ({
    path: ["members", key],
    code,
    message,
    fix,
  });
  if (!membership)
    return [
      at(
        "entity",
        `members names entity "${members.entity}", which does not exist`,
        suggestFix(members.entity, Object.keys(model.entities), "name the membership entity"),
        "UNKNOWN_FIELD",
      ),
    ];
  const out: Problem[] = [];
  if (!referenceTo(model, members.entity, entityName))
    out.push(
      at(
        "entity",
        `${members.entity} does not reference ${entityName}: a membership must say whose it is`,
        `give ${members.entity} a field with "references": "${entityName}"`,
      ),
    );
  const user = membership.fields[members.user];
  if (!user)
    out.push(
      at(
        "user",
        `members.user names "${members.user}", which is not a field of ${members.entity}`,
        suggestFix(members.user, Object.keys(membership.fields), `name ${members.entity}'s user field`),
        "UNKNOWN_FIELD",
      ),
    );
  else if (user.type !== "uuid")
    out.push(
      at(
        "user",
        `${members.entity}.${members.user} is ${user.type}; it must hold a user's id (a uuid)`,
        'make it "type": "uuid", "references": "auth.users"',
      ),
    );
  const roles = members.role === undefined ? undefined : valuesOf(model, members.entity, members.role);
  if (members.role !== undefined && !membership.fields[members.role])
    out.push(
      at(
        "role",
        `members.role names "${members.role}", which is not a field of ${members.entity}`,
        suggestFix(members.role, Object.keys(membership.fields), `name ${members.entity}'s role field`),
        "UNKNOWN_FIELD",
      ),
    );
  else if (members.role !== undefined && !roles)
    out.push(
      at(
        "role",
        `${members.entity}.${members.role} is no enum: roles are a known list of values`,
        'make it "type": "enum" with its values',
      ),
    );
  if (members.creatorRole !== undefined && !(roles ?? []).includes(members.creatorRole))
    out.push(
      at(
        "creatorRole",
        `creatorRole "${members.creatorRole}" is not a value of ${members.entity}.${members.role ?? "(no role field)"}`,
        suggestFix(members.creatorRole, roles ?? [], "name one of the role field's values, or add members.role"),
      ),
    );
  return out;
}

/** Why an entity's per-operation rules cannot hold: each audience, the owner and the scope chain. */
export function rulesProblems(model: BusmModel, entityName: string): Problem[] {
  const entity = model.entities[entityName] as BusmEntity;
  const access = entity.access as BusmAccess;
  const out: Problem[] = [];
  const shorthand = (["column", "via", "claim"] as const).find((k) => access[k] !== undefined);
  if (shorthand)
    out.push({
      path: ["access", shorthand],
      code: "INVALID_CONFIG",
      message: `access.${shorthand} belongs to a mode shorthand, and this access has no mode`,
      fix: 'write the rule per operation with "owner" and "scope", or use a "mode"',
    });
  if (access.owner !== undefined) out.push(...ownerProblems(model, entityName, access.owner));
  const scope = scopeProblems(model, entityName, access.scope);
  out.push(...scope);
  const scopeEntity = scope.length ? undefined : scopeEntityOf(model, entityName);
  for (const op of OPERATIONS)
    (access[op] ?? []).forEach((text, i) => {
      const audience = parseAudience(text);
      const problem =
        typeof audience === "string"
          ? { message: audience, fix: `use one of ${AUDIENCE_KINDS.join(", ")}` }
          : audienceProblem(model, entityName, audience, scopeEntity, scope.length > 0);
      if (problem) out.push({ path: ["access", op, i], code: "INVALID_CONFIG", ...problem });
    });
  return out;
}

function ownerProblems(model: BusmModel, entityName: string, owner: string): Problem[] {
  const fields = model.entities[entityName]?.fields ?? {};
  const field = fields[owner];
  if (!field)
    return [
      {
        path: ["access", "owner"],
        code: "UNKNOWN_FIELD",
        message: `access.owner names "${owner}", which is not a field of ${entityName}`,
        fix: suggestFix(owner, Object.keys(fields), "name the field holding the owning user's id"),
      },
    ];
  const target = targetOf(model, entityName, owner);
  if (field.type !== "uuid")
    return [
      {
        path: ["access", "owner"],
        code: "INVALID_CONFIG",
        message: `${entityName}.${owner} is ${field.type}; it must hold the owning user's id (a uuid compared with auth.uid())`,
        fix: 'make it { "type": "uuid", "references": "auth.users" }',
      },
    ];
  if (target && model.entities[target]?.members)
    return [
      {
        path: ["access", "owner"],
        code: "INVALID_CONFIG",
        message: `${entityName}.${owner} holds ${target} ids, not user ids: comparing it with auth.uid() would let nobody reach the rows`,
        fix: `make it the scope instead: "scope": "${owner}"`,
      },
    ];
  return [];
}

function scopeProblems(model: BusmModel, entityName: string, scope: string | undefined): Problem[] {
  if (scope === undefined) return [];
  let at: string | undefined = entityName;
  const walked: string[] = [];
  for (const field of scope.split(".")) {
    const fields = model.entities[at ?? ""]?.fields ?? {};
    const next: string | undefined = at ? targetOf(model, at, field) : undefined;
    if (!next || !model.entities[next])
      return [
        {
          path: ["access", "scope"],
          code: "INVALID_CONFIG",
          message: `access.scope "${scope}" is not a chain of references: ${[entityName, ...walked].join(".")}.${field} references no entity`,
          fix: suggestFix(
            field,
            Object.keys(fields).filter((f) => targetOf(model, at ?? "", f)),
            `name a reference field of ${at}, then one of the entity it references, …`,
          ),
        },
      ];
    walked.push(field);
    at = next;
  }
  if (at && !model.entities[at]?.members)
    return [
      {
        path: ["access", "scope"],
        code: "INVALID_CONFIG",
        message: `access.scope "${scope}" leads to ${at}, which declares no members`,
        fix: `give ${at} "members": { "entity": …, "user": … }, or end the chain at the entity that has them`,
      },
    ];
  return [];
}

function audienceProblem(
  model: BusmModel,
  entityName: string,
  audience: Audience,
  scopeEntity: string | undefined,
  scopeBroken: boolean,
): { message: string; fix: string } | undefined {
  const access = model.entities[entityName]?.access as BusmAccess;
  switch (audience.kind) {
    case "owner":
      return access.owner === undefined
        ? { message: "The owner audience needs access.owner", fix: 'add "owner": "FIELD" naming the owning user\'s id' }
        : undefined;
    case "self": {
      const membership = Object.entries(model.entities).find(([, e]) => e.members?.entity === entityName);
      return membership
        ? undefined
        : {
            message: `The self audience is for a membership entity, and no entity names ${entityName} as its members`,
            fix: "use owner (with access.owner) for a row's own user",
          };
    }
    case "members": {
      if (scopeBroken) return undefined;
      if (!scopeEntity)
        return {
          message: "A members audience needs a scope: the entity whose members reach the row",
          fix: 'add "scope": "FIELD" (a reference, or a chain a.b) leading to the entity that declares members',
        };
      const members = model.entities[scopeEntity]?.members;
      if (!audience.roles) return undefined;
      if (!members?.role)
        return { message: `${scopeEntity}'s members have no role field`, fix: "add members.role, or write members" };
      const roles = valuesOf(model, members.entity, members.role) ?? [];
      const unknown = audience.roles.find((r) => !roles.includes(r));
      return unknown === undefined
        ? undefined
        : {
            message: `Role "${unknown}" is not a value of ${members.entity}.${members.role} (${roles.join(", ")})`,
            fix: suggestFix(unknown, roles, `name one of ${roles.join(", ")}`),
          };
    }
    case "via": {
      const target = model.entities[entityName]?.fields[audience.field]
        ? targetOf(model, entityName, audience.field)
        : undefined;
      if (!target || !model.entities[target])
        return {
          message: `via:${audience.field} follows no reference of ${entityName}`,
          fix: suggestFix(
            audience.field,
            Object.keys(model.entities[entityName]?.fields ?? {}),
            "name a reference field",
          ),
        };
      return viaCircle(model, entityName, target);
    }
    default:
      return undefined;
  }
}

/** A via audience whose target's visibility comes back through this entity never ends. */
function viaCircle(model: BusmModel, entityName: string, target: string): { message: string; fix: string } | undefined {
  const seen = [entityName];
  for (let at: string | undefined = target; at; ) {
    if (seen.includes(at))
      return {
        message: `via goes round in a circle (${[...seen, at].join(" → ")}): each row's visibility would wait on itself`,
        fix: "end the chain at an entity whose select does not use via",
      };
    seen.push(at);
    const via: Extract<Audience, { kind: "via" }> | undefined = (model.entities[at]?.access?.select ?? [])
      .map(parseAudience)
      .find((a): a is Extract<Audience, { kind: "via" }> => typeof a !== "string" && a.kind === "via");
    at = via ? targetOf(model, at, via.field) : undefined;
  }
  return undefined;
}
