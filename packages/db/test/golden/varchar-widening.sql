-- up
ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(200);
ALTER TABLE public.accounts ALTER COLUMN email TYPE text;

-- down
ALTER TABLE public.accounts ALTER COLUMN email TYPE varchar(255);
ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(100);
