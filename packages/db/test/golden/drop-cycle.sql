-- up
ALTER TABLE public.locations DROP CONSTRAINT locations_account_id_fkey;
ALTER TABLE public.accounts DROP CONSTRAINT accounts_primary_location_id_fkey;
DROP TABLE public.locations;
DROP TABLE public.accounts;
CREATE TABLE public.contacts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(255),
  CONSTRAINT contacts_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.contacts;
CREATE TABLE public.accounts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(255),
  primary_location_id uuid,
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
CREATE INDEX accounts_primary_location_id_idx ON public.accounts USING btree (primary_location_id);
CREATE TABLE public.locations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  address text,
  account_id uuid,
  CONSTRAINT locations_pkey PRIMARY KEY (id)
);
CREATE INDEX locations_account_id_idx ON public.locations USING btree (account_id);
ALTER TABLE public.accounts ADD CONSTRAINT accounts_primary_location_id_fkey FOREIGN KEY (primary_location_id) REFERENCES public.locations (id);
ALTER TABLE public.locations ADD CONSTRAINT locations_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id);
