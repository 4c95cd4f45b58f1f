-- up
CREATE INDEX docs_embedding_idx ON public.docs USING hnsw (embedding extensions.vector_cosine_ops);
CREATE INDEX docs_embedding_f73cb127_idx ON public.docs USING ivfflat (embedding);

-- down
DROP INDEX public.docs_embedding_f73cb127_idx;
DROP INDEX public.docs_embedding_idx;
