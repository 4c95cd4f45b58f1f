-- up
CREATE TYPE public.mood AS ENUM ('calm', 'tense');
CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'R');
ALTER TABLE public.films ALTER COLUMN rating DROP DEFAULT;
ALTER TABLE public.films ALTER COLUMN rating TYPE public.mpaa_rating USING rating::public.mpaa_rating;
ALTER TABLE public.films ALTER COLUMN moods TYPE public.mood[] USING moods::public.mood[];
ALTER TABLE public.films ALTER COLUMN rating SET DEFAULT 'G';

-- down
ALTER TABLE public.films ALTER COLUMN rating DROP DEFAULT;
ALTER TABLE public.films ALTER COLUMN moods TYPE varchar(50)[];
ALTER TABLE public.films ALTER COLUMN rating TYPE varchar(50);
ALTER TABLE public.films ALTER COLUMN rating SET DEFAULT 'G';
DROP TYPE public.mpaa_rating;
DROP TYPE public.mood;
