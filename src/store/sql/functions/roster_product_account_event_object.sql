-- A product account as an event carries it: the customer's product_accounts[] item, with its customer.
CREATE OR REPLACE FUNCTION roster_product_account_event_object(p product_accounts) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object('customer_id', p.customer_id, 'product', p.product, 'kyc_status', p.kyc_status,
    'kyc_approved_at', roster_iso(p.kyc_approved_at), 'current_market_value', p.current_market_value::text,
    'created_at', roster_iso(p.created_at), 'updated_at', roster_iso(p.updated_at))
$$;
