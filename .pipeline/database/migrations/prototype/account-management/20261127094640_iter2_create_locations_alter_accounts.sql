-- dbgen prototype migration
-- Module: account-management
-- Phase: 1
-- Iteration: 2 (previous: 1)
-- Generated: 2026-11-27T09:46:40Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   CREATE TABLE locations (6 fields)
--   ADD COLUMN accounts.primary_location_id
--   CREATE INDEX idx_accounts_primary_location_id ON accounts (primary_location_id)
--   ADD FOREIGN KEY accounts.primary_location_id → locations

CREATE TABLE public.locations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_id uuid NOT NULL,
  address text NOT NULL,
  city varchar(100),
  state varchar(2),
  zip varchar(10),
  CONSTRAINT locations_pkey PRIMARY KEY (id),
  CONSTRAINT fk_locations_account_id FOREIGN KEY (account_id) REFERENCES public.accounts (id)
);

CREATE INDEX idx_locations_account_id ON public.locations USING btree (account_id);

COMMENT ON TABLE public.locations IS 'A service address of an account.';

ALTER TABLE public.accounts ADD COLUMN primary_location_id uuid;

CREATE INDEX idx_accounts_primary_location_id ON public.accounts USING btree (primary_location_id);

ALTER TABLE public.accounts ADD CONSTRAINT fk_accounts_primary_location_id FOREIGN KEY (primary_location_id) REFERENCES public.locations (id);
