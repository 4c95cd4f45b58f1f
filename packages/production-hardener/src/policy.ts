/** The policy shapes every access form builds from: a permissive policy, and the deny for clients. */
import { CLIENT_ROLES, type Policy } from "@dbgen/schema-core";

/** A permissive policy for `roles` on one command. */
export function permissivePolicy(
  name: string,
  command: Policy["command"],
  roles: readonly string[],
  using?: string,
  withCheck?: string,
): Policy {
  return {
    name,
    command,
    permissive: true,
    roles,
    ...(using !== undefined ? { using } : {}),
    ...(withCheck !== undefined ? { withCheck } : {}),
  };
}

/** A restrictive deny for anon and authenticated: nobody reaches the table through the API. */
export const DENY_CLIENTS: Policy = {
  name: "deny_clients",
  command: "all",
  permissive: false,
  roles: [...CLIENT_ROLES],
  using: "false",
  withCheck: "false",
};
