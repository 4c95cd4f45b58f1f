-- up
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
ALTER TABLE public.docs ADD COLUMN body text;
ALTER TABLE public.docs ADD COLUMN seen_at timestamp;
CREATE INDEX docs_search_idx ON public.docs USING gin (search);
CREATE INDEX docs_tags_idx ON public.docs USING gin (tags);
CREATE INDEX docs_body_idx ON public.docs USING gin (body extensions.gin_trgm_ops);
CREATE INDEX docs_scores_seen_at_idx ON public.docs USING btree (scores, seen_at DESC);
CREATE INDEX docs_seen_at_idx ON public.docs USING brin (seen_at);

-- down
DROP INDEX public.docs_seen_at_idx;
DROP INDEX public.docs_scores_seen_at_idx;
DROP INDEX public.docs_body_idx;
DROP INDEX public.docs_tags_idx;
DROP INDEX public.docs_search_idx;
ALTER TABLE public.docs DROP COLUMN seen_at;
ALTER TABLE public.docs DROP COLUMN body;
DROP EXTENSION IF EXISTS pg_trgm;
