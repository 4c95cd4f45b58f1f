/**
 * What a production schema expects of its database: Supabase's roles and `auth` functions. On a
 * real Supabase project they exist; on a plain PostgreSQL or PGlite this shim creates them, reading
 * the JWT claims from `request.jwt.claims` exactly as Supabase does.
 */

export { SUPABASE_ROLES } from "@dbgen/schema-core";

export const SUPABASE_SHIM_SQL = `-- dbgen's Supabase shim: roles, auth.users, auth.uid(), auth.jwt(), auth.role(), the supabase_realtime publication, default grants.
DO $shim$
BEGIN
  BEGIN CREATE ROLE anon NOLOGIN NOINHERIT; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
  BEGIN CREATE ROLE authenticated NOLOGIN NOINHERIT; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
  BEGIN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
  -- Supabase Realtime's publication, which realtime tables join.
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
END
$shim$;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (id uuid PRIMARY KEY, email text);
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE SET search_path = '' AS $fn$
  SELECT coalesce(nullif(pg_catalog.current_setting('request.jwt.claim', true), ''), nullif(pg_catalog.current_setting('request.jwt.claims', true), ''))::jsonb
$fn$;
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE SET search_path = '' AS $fn$
  SELECT coalesce(nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''), (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$fn$;
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE SET search_path = '' AS $fn$
  SELECT coalesce(nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''), (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$fn$;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT EXECUTE ON FUNCTION auth.jwt(), auth.uid(), auth.role() TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
`;
