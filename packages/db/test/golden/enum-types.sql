-- up
CREATE TYPE public.mood AS ENUM ('calm', 'tense');
CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'R');
CREATE TABLE public.films (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  title text NOT NULL,
  rating public.mpaa_rating DEFAULT 'G' NOT NULL,
  moods public.mood[],
  CONSTRAINT films_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.films;
DROP TYPE public.mpaa_rating;
DROP TYPE public.mood;
