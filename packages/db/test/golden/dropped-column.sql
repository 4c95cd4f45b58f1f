-- up
ALTER TABLE public.accounts DROP COLUMN email;

-- down
ALTER TABLE public.accounts ADD COLUMN email varchar(255);
