-- A tag on a customer as an event carries it.
CREATE OR REPLACE FUNCTION roster_customer_tag_event_object(l customer_tags) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('customer_id', l.customer_id, 'tag_id', l.tag_id)
$$;
