-- dbgen: the whole model "field-service" as one schema (keys, uniques, foreign keys, indexes).
-- Generated from .pipeline/factory-tools/busm-reader/busm-model.json; do not edit.

CREATE TABLE public.services (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  code varchar(20) NOT NULL,
  name varchar(120) NOT NULL,
  description text,
  "group" varchar(40),
  unit_price numeric(10,2) NOT NULL,
  duration_minutes integer DEFAULT 60,
  is_active boolean DEFAULT true NOT NULL,
  CONSTRAINT services_pkey PRIMARY KEY (id),
  CONSTRAINT services_code_key UNIQUE (code)
);

COMMENT ON TABLE public.services IS 'A service offered, priced per unit.';

COMMENT ON COLUMN public.services."group" IS 'Catalogue group; a reserved word, quoted everywhere.';

CREATE TABLE public.skills (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(80) NOT NULL,
  level integer DEFAULT 1,
  CONSTRAINT skills_pkey PRIMARY KEY (id),
  CONSTRAINT skills_name_key UNIQUE (name)
);

COMMENT ON TABLE public.skills IS 'A certified skill: electrical, HVAC, plumbing.';

CREATE TABLE public.users (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  email varchar(255) NOT NULL,
  full_name varchar(120) NOT NULL,
  phone varchar(20),
  is_active boolean DEFAULT true NOT NULL,
  created_on timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email)
);

COMMENT ON TABLE public.users IS 'A person who signs in: office staff, dispatchers and technicians.';

COMMENT ON COLUMN public.users.id IS 'The Supabase auth user''s id.';

CREATE TABLE public.territories (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  code varchar(10) NOT NULL,
  name varchar(100) NOT NULL,
  region varchar(50),
  manager_id uuid,
  CONSTRAINT territories_pkey PRIMARY KEY (id),
  CONSTRAINT territories_code_key UNIQUE (code),
  CONSTRAINT territories_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES public.users (id) ON DELETE SET NULL
);

CREATE INDEX territories_manager_id_idx ON public.territories USING btree (manager_id);

COMMENT ON TABLE public.territories IS 'A sales and service region.';

CREATE TABLE public.accounts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_number varchar(20) NOT NULL,
  name varchar(255) NOT NULL,
  type varchar(50) NOT NULL,
  status varchar(50) DEFAULT 'Active' NOT NULL,
  email varchar(255),
  phone varchar(20),
  website varchar(255),
  credit_limit numeric(12,2) DEFAULT 0,
  territory_id uuid,
  owner_id uuid NOT NULL,
  parent_account_id uuid,
  primary_location_id uuid,
  preferences jsonb DEFAULT '{}',
  notes text,
  CONSTRAINT accounts_pkey PRIMARY KEY (id),
  CONSTRAINT accounts_account_number_key UNIQUE (account_number),
  CONSTRAINT accounts_owner_id_name_key UNIQUE (owner_id, name),
  CONSTRAINT accounts_territory_id_fkey FOREIGN KEY (territory_id) REFERENCES public.territories (id) ON DELETE SET NULL,
  CONSTRAINT accounts_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users (id) ON DELETE RESTRICT,
  CONSTRAINT accounts_parent_account_id_fkey FOREIGN KEY (parent_account_id) REFERENCES public.accounts (id) ON DELETE SET NULL
);

CREATE INDEX accounts_name_account_number_idx ON public.accounts USING btree (name, account_number);

CREATE INDEX accounts_territory_id_idx ON public.accounts USING btree (territory_id);

CREATE INDEX accounts_parent_account_id_idx ON public.accounts USING btree (parent_account_id);

CREATE INDEX accounts_primary_location_id_idx ON public.accounts USING btree (primary_location_id);

COMMENT ON TABLE public.accounts IS 'A customer account: a household, a business or a site owner.';

COMMENT ON COLUMN public.accounts.name IS 'Legal or household name, as printed on invoices.';

COMMENT ON COLUMN public.accounts.parent_account_id IS 'The head office of a branch account.';

CREATE TABLE public.locations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_id uuid NOT NULL,
  label varchar(60) DEFAULT 'Main' NOT NULL,
  address text NOT NULL,
  city varchar(100),
  state varchar(2),
  zip varchar(10),
  latitude numeric(9,6),
  longitude numeric(9,6),
  access_notes text,
  CONSTRAINT locations_pkey PRIMARY KEY (id),
  CONSTRAINT locations_account_id_label_key UNIQUE (account_id, label)
);

COMMENT ON TABLE public.locations IS 'A service address of an account.';

COMMENT ON COLUMN public.locations.access_notes IS 'Gate codes, pets, parking: "ask for Sam''s key".';

CREATE TABLE public.technicians (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  user_id uuid NOT NULL,
  employee_code varchar(12) NOT NULL,
  hourly_rate numeric(8,2),
  home_territory_id uuid,
  starts_day_at time DEFAULT '08:00:00',
  CONSTRAINT technicians_pkey PRIMARY KEY (id),
  CONSTRAINT technicians_employee_code_key UNIQUE (employee_code),
  CONSTRAINT technicians_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE CASCADE,
  CONSTRAINT technicians_home_territory_id_fkey FOREIGN KEY (home_territory_id) REFERENCES public.territories (id)
);

CREATE INDEX technicians_user_id_idx ON public.technicians USING btree (user_id);

CREATE INDEX technicians_home_territory_id_idx ON public.technicians USING btree (home_territory_id);

COMMENT ON TABLE public.technicians IS 'A field technician.';

CREATE TABLE public.contacts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  account_id uuid NOT NULL,
  first_name varchar(60) NOT NULL,
  last_name varchar(60) NOT NULL,
  email varchar(255),
  phone varchar(20),
  role varchar(50) DEFAULT 'Other',
  is_primary boolean DEFAULT false NOT NULL,
  CONSTRAINT contacts_pkey PRIMARY KEY (id),
  CONSTRAINT contacts_account_id_email_key UNIQUE (account_id, email),
  CONSTRAINT contacts_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id) ON DELETE CASCADE
);

COMMENT ON TABLE public.contacts IS 'A person at an account.';

CREATE TABLE public.technician_skills (
  technician_id uuid NOT NULL,
  skill_id uuid NOT NULL,
  CONSTRAINT technician_skills_pkey PRIMARY KEY (technician_id, skill_id),
  CONSTRAINT technician_skills_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES public.technicians (id) ON DELETE CASCADE,
  CONSTRAINT technician_skills_skill_id_fkey FOREIGN KEY (skill_id) REFERENCES public.skills (id) ON DELETE CASCADE
);

CREATE INDEX technician_skills_skill_id_idx ON public.technician_skills USING btree (skill_id);

COMMENT ON TABLE public.technician_skills IS 'Which technician holds which skill.';

CREATE TABLE public.work_orders (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  number bigint NOT NULL,
  tenant_id uuid NOT NULL,
  account_id uuid NOT NULL,
  location_id uuid,
  service_id uuid NOT NULL,
  status varchar(50) DEFAULT 'New' NOT NULL,
  priority varchar(50) DEFAULT 'Normal' NOT NULL,
  summary varchar(200) NOT NULL,
  details jsonb,
  requested_on date,
  due_at timestamptz,
  CONSTRAINT work_orders_pkey PRIMARY KEY (id),
  CONSTRAINT work_orders_number_key UNIQUE (number),
  CONSTRAINT work_orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id) ON DELETE RESTRICT,
  CONSTRAINT work_orders_location_id_fkey FOREIGN KEY (location_id) REFERENCES public.locations (id) ON DELETE SET NULL,
  CONSTRAINT work_orders_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.services (id)
);

CREATE INDEX work_orders_status_priority_idx ON public.work_orders USING btree (status, priority);

CREATE INDEX work_orders_account_id_idx ON public.work_orders USING btree (account_id);

CREATE INDEX work_orders_location_id_idx ON public.work_orders USING btree (location_id);

CREATE INDEX work_orders_service_id_idx ON public.work_orders USING btree (service_id);

COMMENT ON TABLE public.work_orders IS 'A job to do at a location.';

CREATE TABLE public.appointments (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  work_order_id uuid NOT NULL,
  technician_id uuid NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  status varchar(50) DEFAULT 'Booked' NOT NULL,
  CONSTRAINT appointments_pkey PRIMARY KEY (id),
  CONSTRAINT appointments_technician_id_starts_at_key UNIQUE (technician_id, starts_at),
  CONSTRAINT appointments_work_order_id_fkey FOREIGN KEY (work_order_id) REFERENCES public.work_orders (id) ON DELETE CASCADE,
  CONSTRAINT appointments_technician_id_fkey FOREIGN KEY (technician_id) REFERENCES public.technicians (id)
);

CREATE INDEX appointments_work_order_id_idx ON public.appointments USING btree (work_order_id);

COMMENT ON TABLE public.appointments IS 'A technician''s visit for a work order.';

CREATE TABLE public.invoices (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  invoice_number varchar(20) NOT NULL,
  account_id uuid NOT NULL,
  work_order_id uuid,
  status varchar(50) DEFAULT 'Draft' NOT NULL,
  issued_on date,
  total numeric(12,2) DEFAULT 0 NOT NULL,
  owner_id uuid NOT NULL,
  CONSTRAINT invoices_pkey PRIMARY KEY (id),
  CONSTRAINT invoices_invoice_number_key UNIQUE (invoice_number),
  CONSTRAINT invoices_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id) ON DELETE RESTRICT,
  CONSTRAINT invoices_work_order_id_fkey FOREIGN KEY (work_order_id) REFERENCES public.work_orders (id) ON DELETE SET NULL,
  CONSTRAINT invoices_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.users (id)
);

CREATE INDEX invoices_account_id_idx ON public.invoices USING btree (account_id);

CREATE INDEX invoices_work_order_id_idx ON public.invoices USING btree (work_order_id);

CREATE INDEX invoices_owner_id_idx ON public.invoices USING btree (owner_id);

COMMENT ON TABLE public.invoices IS 'A bill for completed work.';

CREATE TABLE public.invoice_lines (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  invoice_id uuid NOT NULL,
  line_number integer NOT NULL,
  service_id uuid,
  description varchar(200) NOT NULL,
  quantity numeric(10,3) DEFAULT 1 NOT NULL,
  unit_price numeric(10,2) NOT NULL,
  CONSTRAINT invoice_lines_pkey PRIMARY KEY (id),
  CONSTRAINT invoice_lines_invoice_id_line_number_key UNIQUE (invoice_id, line_number),
  CONSTRAINT invoice_lines_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES public.invoices (id) ON DELETE CASCADE,
  CONSTRAINT invoice_lines_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.services (id)
);

CREATE INDEX invoice_lines_service_id_idx ON public.invoice_lines USING btree (service_id);

COMMENT ON TABLE public.invoice_lines IS 'One line of an invoice.';

ALTER TABLE public.accounts ADD CONSTRAINT accounts_primary_location_id_fkey FOREIGN KEY (primary_location_id) REFERENCES public.locations (id) ON DELETE SET NULL;

ALTER TABLE public.locations ADD CONSTRAINT locations_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts (id) ON DELETE CASCADE;
