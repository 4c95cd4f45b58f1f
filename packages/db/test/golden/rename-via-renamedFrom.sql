-- up
ALTER TABLE public.accounts RENAME COLUMN name TO display_name;

-- down
ALTER TABLE public.accounts RENAME COLUMN display_name TO name;
