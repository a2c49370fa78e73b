-- params: ["T00000042","2025-01-01T00:00:00Z","{\"tier\":\"gold\"}"]
-- prepared: false
EXPLAIN (FORMAT JSON) SELECT 1 FROM customers c WHERE c.account_id = $1::text AND c.deleted_at IS NULL AND c.created_at >= $2::timestamptz AND c.metadata @> $3::text::jsonb
