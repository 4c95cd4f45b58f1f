-- up
ALTER TABLE public.docs ADD COLUMN aliases extensions.citext[];
ALTER TABLE public.docs ALTER COLUMN tags DROP DEFAULT;
ALTER TABLE public.docs ALTER COLUMN tags TYPE text[];
ALTER TABLE public.docs ALTER COLUMN tags SET DEFAULT '{}';

-- down
ALTER TABLE public.docs ALTER COLUMN tags DROP DEFAULT;
ALTER TABLE public.docs ALTER COLUMN tags TYPE varchar(20)[];
ALTER TABLE public.docs ALTER COLUMN tags SET DEFAULT '{}';
ALTER TABLE public.docs DROP COLUMN aliases;
