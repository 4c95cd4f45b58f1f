-- up
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA extensions;
ALTER TABLE public.docs ADD COLUMN embedding extensions.vector(3);

-- down
ALTER TABLE public.docs DROP COLUMN embedding;
DROP EXTENSION IF EXISTS vector;
