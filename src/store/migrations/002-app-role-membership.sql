-- Requests switch to roster_app for row-level security, which needs the connecting user to be
-- a member of it. A superuser is implicitly; a user with CREATEROLE on PostgreSQL 15 is not.
DO $$ BEGIN
  EXECUTE format('GRANT roster_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;
