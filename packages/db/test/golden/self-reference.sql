-- up
ALTER TABLE public.accounts ADD COLUMN parent_account_id uuid;
CREATE INDEX accounts_parent_account_id_idx ON public.accounts USING btree (parent_account_id);
ALTER TABLE public.accounts ADD CONSTRAINT accounts_parent_account_id_fkey FOREIGN KEY (parent_account_id) REFERENCES public.accounts (id) ON DELETE SET NULL;

-- down
ALTER TABLE public.accounts DROP CONSTRAINT accounts_parent_account_id_fkey;
DROP INDEX public.accounts_parent_account_id_idx;
ALTER TABLE public.accounts DROP COLUMN parent_account_id;
