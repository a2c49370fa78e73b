-- params: ["T00000042","DK",["{\"level\":\"3\"}","{\"level\":3}"]]
-- prepared: true
WITH sample AS MATERIALIZED (SELECT NULL::text AS probe, false AS rare, NULL::real AS most),
cand AS MATERIALIZED (SELECT roster_json_ids('metadata', (SELECT $3::text[]::jsonb[]), 3001) AS id),
walk_short AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _n FROM (SELECT c.created_at, c.id, (c.metadata @> (SELECT $3::text[]::jsonb[])[1] OR c.metadata @> (SELECT $3::text[]::jsonb[])[2]) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.country = (SELECT $2::text) ORDER BY c.created_at DESC, c.id DESC LIMIT (SELECT 1050)) c) c
  WHERE (c._hit AND c._n < (SELECT 1050)) OR c._n = (SELECT 1050) ORDER BY c.created_at DESC, c.id DESC LIMIT 21),
walk_long AS MATERIALIZED (SELECT c.id, c._hit, c._n FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _n FROM (SELECT c.created_at, c.id, (c.metadata @> (SELECT $3::text[]::jsonb[])[1] OR c.metadata @> (SELECT $3::text[]::jsonb[])[2]) AS _hit FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.country = (SELECT $2::text) ORDER BY c.created_at DESC, c.id DESC LIMIT (SELECT 21000)) c) c
  WHERE (c._hit AND c._n < (SELECT 21000)) OR c._n = (SELECT 21000) ORDER BY c.created_at DESC, c.id DESC LIMIT 21),
walk_way AS MATERIALIZED (SELECT CASE WHEN (SELECT rare FROM sample) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND NOT EXISTS (SELECT 1 FROM walk_short w WHERE w._n = (SELECT 1050)) THEN 1 WHEN NOT coalesce((SELECT most > 3000 FROM sample), false) AND (SELECT count(*) FROM cand) <= 3000 THEN 2 WHEN NOT EXISTS (SELECT 1 FROM walk_long w WHERE w._n = (SELECT 21000)) THEN 3 ELSE 4 END AS n)
SELECT coalesce(p.records, '[]')::text AS records, p.keys, coalesce(p.fetched > 20, false) AS more,
  NULL::boolean AS anchor_found,
  NULL::boolean AS has_other_side,
  (SELECT count(*) FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.country = $2::text AND c.id IN (SELECT roster_json_ids('metadata', (SELECT $3::text[]::jsonb[])) AS id) AND (c.metadata @> (SELECT $3::text[]::jsonb[])[1] OR c.metadata @> (SELECT $3::text[]::jsonb[])[2]) OFFSET 0) c WHERE TRUE) AS total,
  (SELECT v.write_version FROM account_modes v WHERE v.account_id = $1::text) AS version
FROM (SELECT json_agg((SELECT row_to_json(r) FROM (SELECT c.id, c.number, c.uuid, c.external_id, c.type, c.name, c.display_name, c.first_name, c.last_name, c.email, c.phone_number, c.country, c.gender, c.date_of_birth, c.addresses, c.company, c.status, c.metadata, c.attributes, c.marketing_consent, c.enrolled_by, c.term, c.favorite_store, c.contact_for, c.kyb_status, c.kyc_status, c.kyc_links, c.provider_statuses, c.application, c.application_status, c.parent_id, c.ancestors, c.operator_id, c.parent_name, c.parent_number, c.operator_name, c.operator_number, c.is_sub_client, c.extensions, roster_iso(c.created_at) AS created_at, roster_iso(c.updated_at) AS updated_at, roster_iso(c.deleted_at) AS deleted_at, c.created_by, c.deleted_by, coalesce((SELECT json_agg(json_build_object(
        'product', p.product, 'kyc_status', p.kyc_status, 'kyc_approved_at', roster_iso(p.kyc_approved_at),
        'current_market_value', p.current_market_value::text) ORDER BY p.product)
      FROM product_accounts p WHERE p.account_id = c.account_id AND p.customer_id = c.id), '[]'::json) AS product_accounts, coalesce((SELECT json_agg(t.tag_id ORDER BY t.tag_id)
      FROM customer_tags t WHERE t.account_id = c.account_id AND t.customer_id = c.id), '[]'::json) AS tags) r) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS records,
    json_agg(json_build_array(json_build_array(c.created_at, c.id), c.id) ORDER BY c._rn ASC) FILTER (WHERE c._rn <= 20) AS keys, count(*) AS fetched
  FROM (SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS _rn FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.id IN ((SELECT w.id FROM walk_short w WHERE (SELECT n FROM walk_way) = 1 AND w._hit ORDER BY w._n LIMIT 21)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.country = (SELECT $2::text) AND c.id IN (SELECT id FROM cand) AND (c.metadata @> (SELECT $3::text[]::jsonb[])[1] OR c.metadata @> (SELECT $3::text[]::jsonb[])[2]) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 2
    ORDER BY c.created_at DESC, c.id DESC LIMIT 21)
  UNION ALL (SELECT w.id FROM walk_long w WHERE (SELECT n FROM walk_way) = 3 AND w._hit ORDER BY w._n LIMIT 21)
  UNION ALL (SELECT c.id FROM (SELECT c.* FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.country = (SELECT $2::text) AND c.id IN (SELECT roster_json_ids('metadata', (SELECT $3::text[]::jsonb[])) AS id) AND (c.metadata @> (SELECT $3::text[]::jsonb[])[1] OR c.metadata @> (SELECT $3::text[]::jsonb[])[2]) OFFSET 0) c WHERE TRUE AND (SELECT n FROM walk_way) = 4
    ORDER BY c.created_at DESC, c.id DESC LIMIT 21))) c) c) p
