-- up
CREATE TABLE public.accounts (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name varchar(100) NOT NULL,
  email varchar(255),
  CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

-- down
DROP TABLE public.accounts;
