-- units_merge (039) as PL/pgSQL: it adds the second text's units into the first one name by name, and PL/pgSQL keeps
-- its plans for the session, where the SQL function was planned again at each call (a set-returning union and an
-- aggregate). 10,000 calls on two rows' meters: 76-96 ms instead of 134-138 ms (docs/benchmarks.md, tenth pass).
-- The answer is the same jsonb text, exact numeric sums past 2^63 included.
CREATE OR REPLACE FUNCTION units_merge(a text, b text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    sums jsonb := COALESCE(a, '{}')::jsonb;
    part record;
BEGIN
    FOR part IN SELECT key, value FROM jsonb_each_text(COALESCE(b, '{}')::jsonb) LOOP
        sums := sums || jsonb_build_object(part.key, (COALESCE((sums ->> part.key)::numeric, 0) + part.value::numeric)::text);
    END LOOP;
    RETURN sums::text;
END
$$;
