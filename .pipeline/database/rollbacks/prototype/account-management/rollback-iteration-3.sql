-- dbgen prototype rollback
-- Module: account-management
-- Iteration: 3 → back to 2
-- Undoes: 20261128094640_iter3_create_contacts_alter_accounts.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   DROP COLUMN accounts.phone
--   DROP COLUMN accounts.email
--   DROP TABLE contacts

ALTER TABLE public.accounts DROP COLUMN phone;

ALTER TABLE public.accounts DROP COLUMN email;

DROP TABLE public.contacts;
