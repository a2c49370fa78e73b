-- A customer as an event carries it: the native API's record (src/store/compiler/resources.ts,
-- the same fields and timestamp format) built from the row alone. Product accounts, tags and
-- tokens are rows of their own with events of their own, written by their own statements.
\ir roster_iso.sql
CREATE OR REPLACE FUNCTION roster_customer_event_object(c customers) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT json_build_object(
    'id', c.id, 'number', c.number, 'uuid', c.uuid, 'external_id', c.external_id, 'type', c.type,
    'name', c.name, 'display_name', c.display_name, 'first_name', c.first_name, 'last_name', c.last_name, 'email', c.email,
    'phone_number', c.phone_number, 'country', c.country, 'gender', c.gender, 'date_of_birth', c.date_of_birth,
    'addresses', c.addresses, 'company', c.company, 'status', c.status, 'metadata', c.metadata,
    'attributes', c.attributes, 'marketing_consent', c.marketing_consent, 'enrolled_by', c.enrolled_by,
    'term', c.term, 'favorite_store', c.favorite_store, 'contact_for', c.contact_for,
    'kyb_status', c.kyb_status, 'kyc_status', c.kyc_status, 'kyc_links', c.kyc_links,
    'provider_statuses', c.provider_statuses, 'application', c.application,
    'application_status', c.application_status, 'parent_id', c.parent_id, 'ancestors', c.ancestors,
    'operator_id', c.operator_id, 'parent_name', c.parent_name, 'parent_number', c.parent_number,
    'operator_name', c.operator_name, 'operator_number', c.operator_number, 'is_sub_client', c.is_sub_client,
    'extensions', c.extensions, 'created_at', roster_iso(c.created_at), 'updated_at', roster_iso(c.updated_at),
    'deleted_at', roster_iso(c.deleted_at), 'created_by', c.created_by, 'deleted_by', c.deleted_by)
$$;
