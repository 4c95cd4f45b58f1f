/**
 * Supabase's API roles, said once: PostgREST switches to one of them per request, and production
 * manages exactly their privileges.
 */

/** The roles whose table privileges a managed schema says (and the diff compares). */
export const SUPABASE_ROLES = ["anon", "authenticated", "service_role"] as const;

/** The roles a client's request runs as: no key (`anon`) or a signed-in user's JWT. */
export const CLIENT_ROLES = ["anon", "authenticated"] as const;

/** Who may not call dbgen's private functions directly: everyone, and both client roles. */
export const CLIENT_EXECUTE_REVOKE = ["PUBLIC", ...CLIENT_ROLES] as const;
