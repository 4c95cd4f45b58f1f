-- up
ALTER TABLE public.readings ALTER COLUMN score TYPE integer USING (round(score))::integer;
ALTER TABLE public.readings ALTER COLUMN code TYPE integer USING (length(code))::integer;

-- down
ALTER TABLE public.readings ALTER COLUMN code TYPE text;
ALTER TABLE public.readings ALTER COLUMN score TYPE numeric(6,2);
