-- dbgen prototype rollback
-- Module: account-management
-- Iteration: 2 → back to 1
-- Undoes: 20261127094640_iter2_create_locations_alter_accounts.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   DROP FOREIGN KEY accounts.fk_accounts_primary_location_id
--   DROP INDEX idx_accounts_primary_location_id
--   DROP COLUMN accounts.primary_location_id
--   DROP TABLE locations

ALTER TABLE public.accounts DROP CONSTRAINT fk_accounts_primary_location_id;

DROP INDEX public.idx_accounts_primary_location_id;

ALTER TABLE public.accounts DROP COLUMN primary_location_id;

DROP TABLE public.locations;
