/**
 * The functions production installs: each sets `search_path = ''` and qualifies everything it
 * uses; the two SECURITY DEFINER ones live in schemas the API does not expose and have EXECUTE
 * revoked from clients.
 */
import { CLIENT_EXECUTE_REVOKE, type FunctionDef } from "@dbgen/schema-core";

export const PRIVATE_SCHEMA = "private";
export const AUDIT_SCHEMA = "audit";
const REVOKE = CLIENT_EXECUTE_REVOKE;

/** Keeps created_at/by, updated_at/by and version: clients cannot set them. */
export const SET_SYSTEM_COLUMNS: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "set_system_columns",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: false,
  revokeExecuteFrom: REVOKE,
  comment: "dbgen: keeps the system columns (created_*, updated_*, version); clients cannot set them.",
  body: `
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.created_at := pg_catalog.now();
    NEW.created_by := auth.uid();
    NEW.deleted_at := NULL;
    NEW.version := 1;
  ELSE
    NEW.created_at := OLD.created_at;
    NEW.created_by := OLD.created_by;
    NEW.version := OLD.version + 1;
  END IF;
  NEW.updated_at := pg_catalog.now();
  NEW.updated_by := auth.uid();
  RETURN NEW;
END;`,
};

/**
 * The system columns of a table that goes without soft delete or versioning (the model's
 * `softDelete: false`, `versioned: false`): its arguments name the optional columns it has
 * (`deleted_at`, `version`), so one function serves every such table. PL/pgSQL resolves `NEW.version`
 * only when the statement runs, so a table without the column never reaches it.
 */
export const SET_CHOSEN_SYSTEM_COLUMNS: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "set_chosen_system_columns",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: false,
  revokeExecuteFrom: REVOKE,
  comment:
    "dbgen: keeps the system columns its arguments name beside created_* and updated_*; clients cannot set them.",
  body: `
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.created_at := pg_catalog.now();
    NEW.created_by := auth.uid();
    IF 'deleted_at' = ANY (TG_ARGV) THEN
      NEW.deleted_at := NULL;
    END IF;
    IF 'version' = ANY (TG_ARGV) THEN
      NEW.version := 1;
    END IF;
  ELSE
    NEW.created_at := OLD.created_at;
    NEW.created_by := OLD.created_by;
    IF 'version' = ANY (TG_ARGV) THEN
      NEW.version := OLD.version + 1;
    END IF;
  END IF;
  NEW.updated_at := pg_catalog.now();
  NEW.updated_by := auth.uid();
  RETURN NEW;
END;`,
};

/** Join tables keep only who linked the rows, and when. */
export const SET_CREATED_COLUMNS: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "set_created_columns",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: false,
  revokeExecuteFrom: REVOKE,
  comment: "dbgen: keeps created_at and created_by of join tables.",
  body: `
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.created_at := pg_catalog.now();
    NEW.created_by := auth.uid();
  ELSE
    NEW.created_at := OLD.created_at;
    NEW.created_by := OLD.created_by;
  END IF;
  RETURN NEW;
END;`,
};

/**
 * Turns a client's DELETE into a soft delete: sets deleted_at on the row (its arguments name the
 * primary key columns) and cancels the delete. SECURITY DEFINER because PostgreSQL checks an
 * UPDATE's new row against the SELECT policies, which hide deleted rows. `service_role` deletes for real.
 */
export const SOFT_DELETE: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "soft_delete",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: true,
  revokeExecuteFrom: REVOKE,
  comment: "dbgen: a client's DELETE sets deleted_at instead; service_role deletes for real.",
  body: `
DECLARE
  condition text := '';
  i integer;
BEGIN
  IF coalesce(auth.jwt() ->> 'role', '') = 'service_role' THEN
    RETURN OLD;
  END IF;
  FOR i IN 0 .. TG_NARGS - 1 LOOP
    condition := condition || CASE WHEN i > 0 THEN ' AND ' ELSE '' END || pg_catalog.format('%I = ($1).%I', TG_ARGV[i], TG_ARGV[i]);
  END LOOP;
  EXECUTE pg_catalog.format('UPDATE %I.%I SET deleted_at = pg_catalog.now() WHERE %s', TG_TABLE_SCHEMA, TG_TABLE_NAME, condition) USING OLD;
  RETURN NULL;
END;`,
};

/** One audit function for every table: the operation, the old and new rows, the actor. */
export const LOG_CHANGE: FunctionDef = {
  schema: AUDIT_SCHEMA,
  name: "log_change",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: true,
  revokeExecuteFrom: REVOKE,
  comment: "dbgen: writes every insert, update and delete to audit.log.",
  body: `
DECLARE
  row_data jsonb := pg_catalog.to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
  record_id text := '';
  i integer;
BEGIN
  FOR i IN 0 .. TG_NARGS - 1 LOOP
    record_id := record_id || CASE WHEN i > 0 THEN ',' ELSE '' END || coalesce(row_data ->> TG_ARGV[i], '');
  END LOOP;
  INSERT INTO audit.log (table_schema, table_name, record_id, operation, old_row, new_row, actor)
  VALUES (
    TG_TABLE_SCHEMA,
    TG_TABLE_NAME,
    record_id,
    TG_OP,
    CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN pg_catalog.to_jsonb(OLD) END,
    CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN pg_catalog.to_jsonb(NEW) END,
    auth.uid()
  );
  RETURN NULL;
END;`,
};

/**
 * A profile row for each new user, run by a trigger on `auth.users` (Supabase Auth inserts there as
 * its own role, which has no privileges on the app's tables: hence SECURITY DEFINER). Its arguments
 * name the profile table (schema, table, key column); one function serves every profile table.
 */
export const CREATE_PROFILE: FunctionDef = {
  schema: PRIVATE_SCHEMA,
  name: "create_profile",
  language: "plpgsql",
  returns: "trigger",
  securityDefiner: true,
  revokeExecuteFrom: REVOKE,
  comment: "dbgen: makes the profile row of each new user (a trigger on auth.users); its arguments name the table.",
  body: `
BEGIN
  EXECUTE pg_catalog.format('INSERT INTO %I.%I (%I) VALUES ($1) ON CONFLICT DO NOTHING', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
    USING NEW.id;
  RETURN NEW;
END;`,
};
