-- up
ALTER TABLE public.samples ALTER COLUMN small DROP DEFAULT;
ALTER TABLE public.samples ALTER COLUMN small TYPE integer USING small::integer;
ALTER TABLE public.samples ALTER COLUMN small SET DEFAULT 3;

-- down
ALTER TABLE public.samples ALTER COLUMN small DROP DEFAULT;
ALTER TABLE public.samples ALTER COLUMN small TYPE smallint USING small::smallint;
ALTER TABLE public.samples ALTER COLUMN small SET DEFAULT 3;
