/**
 * Our own lint suite: Supabase's ten facts of a clean schema, as SQL over pg_catalog. Each query
 * returns its findings; a clean schema returns none.
 */
export const LINTS: Readonly<Record<string, string>> = {
  "1a RLS on every table of the exposed schema": `
    select c.relname as finding from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`,
  "1b no policy on a table without RLS": `
    select c.relname || '.' || p.polname as finding from pg_policy p join pg_class c on c.oid = p.polrelid where not c.relrowsecurity`,
  "2 every table with RLS has a policy": `
    select n.nspname || '.' || c.relname as finding from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'audit') and c.relrowsecurity and not exists (select 1 from pg_policy p where p.polrelid = c.oid)`,
  "3 auth calls run once per statement": `
    select c.relname || '.' || p.polname as finding
    from pg_policy p join pg_class c on c.oid = p.polrelid,
    lateral (select coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') as expr) e
    where replace(replace(e.expr, '( SELECT auth.uid() AS uid)', ''), '( SELECT auth.jwt() AS jwt)', '') ~ 'auth\\.(uid|jwt|role)\\(\\)'`,
  "4 at most one permissive policy per table, role and action": `
    select c.relname || ' ' || r.role || ' ' || a.action || ' ×' || count(*) as finding
    from pg_policy p join pg_class c on c.oid = p.polrelid
    cross join lateral (select case when x = 0 then 'PUBLIC (no role named)' else x::regrole::text end as role from unnest(p.polroles) x) r
    cross join lateral (select unnest(case p.polcmd when '*' then array['select','insert','update','delete'] when 'r' then array['select'] when 'a' then array['insert'] when 'w' then array['update'] else array['delete'] end) as action) a
    where p.polpermissive
    group by c.relname, r.role, a.action having count(*) > 1 or bool_or(r.role like 'PUBLIC%')`,
  "5 true only in a SELECT's using; every INSERT policy checks": `
    select c.relname || '.' || p.polname as finding from pg_policy p join pg_class c on c.oid = p.polrelid
    where (pg_get_expr(p.polqual, p.polrelid) = 'true' and p.polcmd <> 'r')
       or pg_get_expr(p.polwithcheck, p.polrelid) = 'true'
       or (p.polcmd = 'a' and p.polpermissive and (p.polwithcheck is null))`,
  "6 no access through user_metadata": `
    select c.relname || '.' || p.polname as finding from pg_policy p join pg_class c on c.oid = p.polrelid
    where coalesce(pg_get_expr(p.polqual, p.polrelid), '') || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') like '%user_metadata%'`,
  "7a every foreign key has an index starting with its columns": `
    select c.relname || '.' || con.conname as finding from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    where con.contype = 'f' and n.nspname in ('public', 'audit') and not exists (
      select 1 from pg_index i where i.indrelid = con.conrelid and i.indpred is null
      and (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] = con.conkey)`,
  "7b every table has a primary key": `
    select n.nspname || '.' || c.relname as finding from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'audit') and c.relkind = 'r' and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')`,
  "7c no two identical indexes": `
    select string_agg(i.indexrelid::regclass::text, ' = ') as finding from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'audit')
    group by i.indrelid, i.indkey::text, i.indclass::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''), coalesce(pg_get_expr(i.indpred, i.indrelid), '')
    having count(*) > 1`,
  "8 every function sets search_path = ''": `
    select p.oid::regprocedure::text as finding from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'private', 'audit') and not coalesce(p.proconfig @> array['search_path=""'], false)`,
  // Signed-in users may call only the STABLE membership lookups their policies use, in a schema the
  // API does not expose (splinter's 0028/0029 look at exposed schemas; this is stricter).
  "9 SECURITY DEFINER functions are out of clients' reach": `
    select p.oid::regprocedure::text as finding from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prosecdef and n.nspname not in ('auth', 'pg_catalog', 'information_schema')
      and (n.nspname in ('public', 'graphql_public') or has_function_privilege('anon', p.oid, 'execute')
           or (has_function_privilege('authenticated', p.oid, 'execute') and p.provolatile <> 's'))`,
  "10a exposed views are security_invoker": `
    select c.relname as finding from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'v' and not coalesce(c.reloptions @> array['security_invoker=true'], false)`,
  "10b no exposed view reads auth.users": `
    select distinct v.relname as finding from pg_depend d join pg_rewrite w on w.oid = d.objid join pg_class v on v.oid = w.ev_class
    join pg_namespace vn on vn.oid = v.relnamespace where vn.nspname = 'public' and d.refobjid = 'auth.users'::regclass`,
  "10c extensions live in the extensions schema": `
    select e.extname as finding from pg_extension e join pg_namespace n on n.oid = e.extnamespace where n.nspname = 'public'`,
};
