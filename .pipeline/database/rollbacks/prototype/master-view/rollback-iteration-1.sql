-- dbgen prototype rollback
-- Module: master-view
-- Iteration: 1 → back to 0
-- Undoes: 20261125094640_iter1_create_accounts_locations.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   DROP FOREIGN KEY locations.fk_locations_account_id
--   DROP FOREIGN KEY accounts.fk_accounts_primary_location_id
--   DROP TABLE locations
--   DROP TABLE accounts

ALTER TABLE public.locations DROP CONSTRAINT fk_locations_account_id;

ALTER TABLE public.accounts DROP CONSTRAINT fk_accounts_primary_location_id;

DROP TABLE public.locations;

DROP TABLE public.accounts;
