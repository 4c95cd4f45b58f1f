-- dbgen prototype migration
-- Module: master-view
-- Phase: 1
-- Iteration: 2 (previous: 1)
-- Generated: 2026-11-27T17:20:00Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   ALTER COLUMN accounts.name TYPE varchar(255) → text

ALTER TABLE public.accounts ALTER COLUMN name TYPE text;
