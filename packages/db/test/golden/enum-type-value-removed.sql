-- up
ALTER TYPE public.mpaa_rating RENAME TO mpaa_rating_dbgen_old;
CREATE TYPE public.mpaa_rating AS ENUM ('G', 'R');
ALTER TABLE public.films ALTER COLUMN rating DROP DEFAULT;
ALTER TABLE public.films ALTER COLUMN rating TYPE public.mpaa_rating USING rating::text::public.mpaa_rating;
ALTER TABLE public.films ALTER COLUMN rating SET DEFAULT 'G';
DROP TYPE public.mpaa_rating_dbgen_old;

-- down
ALTER TYPE public.mpaa_rating ADD VALUE 'PG' AFTER 'G';
