-- up
ALTER TABLE public.accounts ADD COLUMN status varchar(50) DEFAULT 'Active' NOT NULL;
ALTER TABLE public.accounts ADD COLUMN credit numeric(12,2) DEFAULT 0;
ALTER TABLE public.accounts ADD COLUMN notes text;
COMMENT ON COLUMN public.accounts.notes IS 'Free text; ''quoted'' and "double"';

-- down
ALTER TABLE public.accounts DROP COLUMN notes;
ALTER TABLE public.accounts DROP COLUMN credit;
ALTER TABLE public.accounts DROP COLUMN status;
