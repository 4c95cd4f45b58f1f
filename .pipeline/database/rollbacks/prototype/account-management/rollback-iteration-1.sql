-- dbgen prototype rollback
-- Module: account-management
-- Iteration: 1 → back to 0
-- Undoes: 20261126094640_iter1_create_accounts.sql
-- `dbgen rollback` saves the rows of dropped tables and columns in schema dbgen first
-- Operations:
--   DROP TABLE accounts

DROP TABLE public.accounts;
