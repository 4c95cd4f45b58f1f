-- up
CREATE TABLE public.samples (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  small smallint DEFAULT 3 NOT NULL,
  ratio double precision DEFAULT 0.5,
  seen_at timestamp NOT NULL,
  lasts interval DEFAULT '1 day',
  address inet,
  payload bytea,
  CONSTRAINT samples_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.samples;
