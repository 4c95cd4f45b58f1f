-- up
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;
CREATE TABLE public.docs (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  title extensions.citext NOT NULL,
  tags varchar(20)[] DEFAULT '{}' NOT NULL,
  moods varchar(50)[],
  scores integer[],
  search tsvector,
  CONSTRAINT docs_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.docs;
DROP EXTENSION IF EXISTS citext;
