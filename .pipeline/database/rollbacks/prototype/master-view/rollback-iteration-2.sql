-- dbgen prototype rollback
-- Module: master-view
-- Iteration: 2 → back to 1
-- Undoes: 20261127172000_iter2_alter_accounts.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   ALTER COLUMN accounts.name TYPE text → varchar(255)

ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(255);
