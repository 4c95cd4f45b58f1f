-- up
ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(50);
ALTER TABLE public.accounts ALTER COLUMN email SET DEFAULT 'none@example.com';
ALTER TABLE public.accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE public.accounts ADD CONSTRAINT accounts_name_key UNIQUE (name);

-- down
ALTER TABLE public.accounts DROP CONSTRAINT accounts_name_key;
ALTER TABLE public.accounts ALTER COLUMN email DROP NOT NULL;
ALTER TABLE public.accounts ALTER COLUMN email DROP DEFAULT;
ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(100);
