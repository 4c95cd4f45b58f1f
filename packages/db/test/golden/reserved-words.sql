-- up
CREATE TABLE public."order" (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  "user" varchar(255) NOT NULL,
  "group" integer DEFAULT 1,
  "select" boolean DEFAULT false,
  CONSTRAINT order_pkey PRIMARY KEY (id)
);
CREATE TABLE public."group" (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  order_id uuid,
  "table" text,
  CONSTRAINT group_pkey PRIMARY KEY (id),
  CONSTRAINT group_order_id_fkey FOREIGN KEY (order_id) REFERENCES public."order" (id)
);
CREATE INDEX group_order_id_idx ON public."group" USING btree (order_id);

-- down
DROP TABLE public."group";
DROP TABLE public."order";
