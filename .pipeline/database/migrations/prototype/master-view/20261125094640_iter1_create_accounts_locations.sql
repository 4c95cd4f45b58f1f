-- dbgen prototype migration
-- Module: master-view
-- Phase: 1
-- Iteration: 1
-- Generated: 2026-11-25T09:46:40Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   CREATE TABLE accounts (5 fields)
--   CREATE TABLE locations (6 fields)
--   ADD FOREIGN KEY accounts.primary_location_id → locations
--   ADD FOREIGN KEY locations.account_id → accounts

CREATE TABLE public.accounts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(255) NOT NULL,
  type varchar(50) NOT NULL,
  status varchar(50) DEFAULT 'Active' NOT NULL,
  primary_location_id uuid,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE INDEX idx_accounts_primary_location_id ON public.accounts USING btree (primary_location_id);

COMMENT ON TABLE public.accounts IS 'A customer account: a household, a business or a site owner.';

COMMENT ON COLUMN public.accounts.name IS 'Legal or household name, as printed on invoices.';

CREATE TABLE public.locations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_id uuid NOT NULL,
  address text NOT NULL,
  city varchar(100),
  state varchar(2),
  zip varchar(10),
  CONSTRAINT locations_pkey PRIMARY KEY (id)
);

CREATE INDEX idx_locations_account_id ON public.locations USING btree (account_id);

COMMENT ON TABLE public.locations IS 'A service address of an account.';

ALTER TABLE public.accounts ADD CONSTRAINT fk_accounts_primary_location_id FOREIGN KEY (primary_location_id) REFERENCES public.locations (id);

ALTER TABLE public.locations ADD CONSTRAINT fk_locations_account_id FOREIGN KEY (account_id) REFERENCES public.accounts (id);
