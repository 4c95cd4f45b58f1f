-- dbgen prototype migration
-- Module: account-management
-- Phase: 1
-- Iteration: 3 (previous: 2)
-- Generated: 2026-11-28T09:46:40Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   CREATE TABLE contacts (7 fields)
--   ADD COLUMN accounts.email
--   ADD COLUMN accounts.phone

CREATE TABLE public.contacts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_id uuid NOT NULL,
  first_name varchar(60) NOT NULL,
  last_name varchar(60) NOT NULL,
  email varchar(255),
  phone varchar(20),
  nickname varchar(255),
  CONSTRAINT contacts_pkey PRIMARY KEY (id),
  CONSTRAINT fk_contacts_account_id FOREIGN KEY (account_id) REFERENCES public.accounts (id)
);

CREATE INDEX idx_contacts_account_id ON public.contacts USING btree (account_id);

COMMENT ON TABLE public.contacts IS 'A person at an account.';

ALTER TABLE public.accounts ADD COLUMN email varchar(255);

ALTER TABLE public.accounts ADD COLUMN phone varchar(20);
