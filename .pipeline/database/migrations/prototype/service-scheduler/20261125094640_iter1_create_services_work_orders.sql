-- dbgen prototype migration
-- Module: service-scheduler
-- Phase: 1
-- Iteration: 1
-- Generated: 2026-11-25T09:46:40Z
-- Applied by `dbgen apply` in one transaction; by hand: psql --single-transaction -f <this file>
-- Operations:
--   CREATE TABLE services (6 fields)
--   CREATE TABLE work_orders (8 fields)

CREATE TABLE public.services (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  code varchar(20) NOT NULL,
  name varchar(120) NOT NULL,
  "group" varchar(40),
  unit_price numeric(10,2) NOT NULL,
  duration_minutes integer DEFAULT 60,
  CONSTRAINT services_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE public.services IS 'A service offered, priced per unit.';

COMMENT ON COLUMN public.services."group" IS 'Catalogue group; a reserved word, quoted everywhere.';

CREATE TABLE public.work_orders (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  number bigint NOT NULL,
  service_id uuid NOT NULL,
  status varchar(50) DEFAULT 'New' NOT NULL,
  priority varchar(50) DEFAULT 'Normal' NOT NULL,
  summary varchar(200) NOT NULL,
  details jsonb,
  due_at timestamptz,
  CONSTRAINT work_orders_pkey PRIMARY KEY (id),
  CONSTRAINT fk_work_orders_service_id FOREIGN KEY (service_id) REFERENCES public.services (id)
);

CREATE INDEX idx_work_orders_service_id ON public.work_orders USING btree (service_id);

COMMENT ON TABLE public.work_orders IS 'A job to do at a location.';
