-- dbgen prototype migration
-- Module: account-management
-- Phase: 1
-- Iteration: 1
-- Generated: 2026-11-26T09:46:40Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   CREATE TABLE accounts (4 fields)

CREATE TABLE public.accounts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(255) NOT NULL,
  type varchar(50) NOT NULL,
  status varchar(50) DEFAULT 'Active' NOT NULL,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE public.accounts IS 'A customer account: a household, a business or a site owner.';

COMMENT ON COLUMN public.accounts.name IS 'Legal or household name, as printed on invoices.';
