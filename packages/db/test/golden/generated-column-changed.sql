-- up
ALTER TABLE public.articles DROP COLUMN search;
ALTER TABLE public.articles ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(body, ''::text))) STORED;

-- down
ALTER TABLE public.articles DROP COLUMN search;
ALTER TABLE public.articles ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, (((COALESCE(title, ''::character varying))::text || ' '::text) || COALESCE(body, ''::text)))) STORED;
