import { fileURLToPath } from "node:url";
import { type BusmModel, readProject } from "@dbgen/busm-reader";
import type { ConceptInput } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

export async function exampleInput(): Promise<ConceptInput> {
  const project = await readProject(REPO);
  if (!project.model) throw new Error("example has errors");
  return {
    model: project.model,
    modules: project.modules.filter((m) => m.latest).map((m) => ({ name: m.config.module, selection: m.selection })),
  };
}

const long = `a_${"x".repeat(66)}_z`; // 70 bytes
/** Text that breaks naive generators: quotes, #, pipes, braces, HTML, line breaks, emoji. */
const NASTY = `It's "done" — #1 | a|b {x} <b>bold</b> & \\ back\nline 🚀`;

export const hostileModel: BusmModel = {
  busm: "1",
  name: 'Hostile "model" #1',
  description: NASTY,
  enums: { Mood: ['It\'s "fine"', "#hash", "a|b", "<tag>", "semi;colon", "{brace}"] },
  entities: {
    Order: {
      table: "order",
      description: NASTY,
      fields: {
        user: { type: "string", required: true, description: NASTY },
        group: { type: "enum", enum: "Mood", default: 'It\'s "fine"' },
        select: { type: "text", default: 'say "hi" #2' },
        end: { type: "integer" },
        [long]: { type: "decimal", precision: 12, scale: 2 },
      },
    },
    LongNameEntityWithAVeryLongNameThatGoesOnAndOnAndOnBeyondSeventyBytesXYZ: {
      table: long,
      fields: {
        order_id: { type: "uuid", references: "Order", required: true },
        parent_id: {
          type: "uuid",
          references: "LongNameEntityWithAVeryLongNameThatGoesOnAndOnAndOnBeyondSeventyBytesXYZ",
        },
      },
    },
  },
};

/**
 * An unseen 16-entity domain (property management, as a new user modelled it): enough boxes of fields
 * that a diagram fitted whole to a 1400×900 window has unreadable text.
 */
export function propertyModel(): BusmModel {
  const refs: Record<string, string[]> = {
    Company: [],
    Owner: ["Company"],
    Property: ["Company", "Owner"],
    Unit: ["Property"],
    Tenant: ["Company"],
    Lease: ["Unit", "Tenant", "Company"],
    Payment: ["Lease", "Tenant"],
    Invoice: ["Lease", "Company"],
    Vendor: ["Company"],
    MaintenanceRequest: ["Unit", "Tenant"],
    WorkOrder: ["MaintenanceRequest", "Vendor"],
    Inspection: ["Unit", "Vendor"],
    Expense: ["Property", "Vendor", "WorkOrder"],
    Document: ["Property", "Lease"],
    Amenity: ["Property"],
    Booking: ["Amenity", "Tenant"],
  };
  const entities = Object.fromEntries(
    Object.entries(refs).map(([name, targets]) => [
      name,
      {
        table: name.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase(),
        fields: {
          ...Object.fromEntries(targets.map((t) => [`${t.toLowerCase()}_id`, { type: "uuid", references: t }])),
          name: { type: "string", required: true, description: `The ${name.toLowerCase()}'s name` },
          status: { type: "string", maxLength: 40 },
          notes: { type: "text" },
          amount: { type: "decimal", precision: 12, scale: 2 },
          starts_on: { type: "date" },
          created_by: { type: "string" },
        },
      },
    ]),
  );
  return { busm: "1", name: "Property management", entities } as BusmModel;
}
