-- up
ALTER TYPE public.mpaa_rating RENAME VALUE 'R' TO 'Restricted';

-- down
ALTER TYPE public.mpaa_rating RENAME VALUE 'Restricted' TO 'R';
