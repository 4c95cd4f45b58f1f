-- up
CREATE TABLE public.articles (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  title varchar(255) NOT NULL,
  body text,
  search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, (((COALESCE(title, ''::character varying))::text || ' '::text) || COALESCE(body, ''::text)))) STORED,
  CONSTRAINT articles_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.articles;
