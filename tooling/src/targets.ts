/**
 * Fresh, empty databases on both real engines, for tests that need a whole database each: an
 * in-memory PGlite, or a new database on the run's PostgreSQL 15 cluster.
 */
import { inject } from "vitest";
import { createTestDatabase } from "./pg-harness.js";

export type TestTarget = { readonly kind: "pglite" } | { readonly kind: "postgres"; readonly url: string };

export interface TargetEngine {
  readonly name: string;
  /** Why the engine is unavailable here, or "". */
  readonly skipReason: string;
  /** A fresh database; `drop()` removes it. */
  fresh(): Promise<{ readonly target: TestTarget; drop(): Promise<void> }>;
}

export function targetEngines(): TargetEngine[] {
  const adminUrl = inject("pgAdminUrl");
  return [
    { name: "PGlite", skipReason: "", fresh: async () => ({ target: { kind: "pglite" }, drop: async () => {} }) },
    {
      name: "PostgreSQL 15",
      skipReason: adminUrl ? "" : `PostgreSQL 15 unavailable: ${inject("pgSkipReason")}`,
      fresh: async () => {
        const db = await createTestDatabase(adminUrl);
        return { target: { kind: "postgres", url: db.url }, drop: () => db.drop() };
      },
    },
  ];
}
