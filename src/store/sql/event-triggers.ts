// The outbox's triggers, one per table whose changes are events, made from the list below:
// `npm run golden` writes them into triggers/, and a test fails while a file differs from what
// this makes. They stay static SQL, a function per table, so each plan is made once per
// connection; only their text is made here, from what differs between tables.

interface Outbox {
  /** The record kind: the event types' prefix, the object function's and the trigger's name. */
  kind: string;
  table: string;
  /** What the records are, for the file's comment. */
  about: string;
  /** The columns that name a record within its account, joined by '/' in its record key. */
  key: readonly string[];
  /** Fields whose change is an event of its own (functions/roster_event_rows.sql). */
  watched: readonly string[];
  /** Soft-deleted (deleted_at set by an UPDATE), rather than only deleted. */
  softDelete: boolean;
  /** Rows are updated in place; a table whose rows are only added and removed has no UPDATE trigger. */
  updated: boolean;
}

export const OUTBOXES: readonly Outbox[] = [
  { kind: 'customer', table: 'customers', about: 'customers', key: ['id'], watched: ['kyb_status', 'kyc_status'], softDelete: true, updated: true },
  { kind: 'customer_tag', table: 'customer_tags', about: 'tags on customers', key: ['customer_id', 'tag_id'], watched: [], softDelete: false, updated: false },
  { kind: 'product_account', table: 'product_accounts', about: 'product accounts', key: ['customer_id', 'product'], watched: ['kyc_status'], softDelete: false, updated: true },
  { kind: 'tag', table: 'tags', about: 'tags', key: ['id'], watched: [], softDelete: true, updated: true },
  { kind: 'token', table: 'customer_tokens', about: "customers' tokens", key: ['id'], watched: [], softDelete: true, updated: true },
  { kind: 'user', table: 'users', about: 'team users', key: ['id'], watched: [], softDelete: true, updated: true },
];

/** Each trigger file's name (in triggers/) and text. */
export function eventTriggerFiles(): { file: string; text: string }[] {
  return OUTBOXES.map((o) => ({ file: `roster_${o.kind}_events.sql`, text: triggerFile(o) }));
}

function triggerFile(o: Outbox): string {
  const fn = `roster_${o.kind}_events`;
  const object = `roster_${o.kind}_event_object`;
  const key = `'${o.kind}:' || ${o.key.map((k) => `r.${k}`).join(" || '/' || ")} AS key`;
  const same = ['account_id', ...o.key].map((k) => `o.${k} = r.${k}`).join(' AND ');
  const watched = `'{${o.watched.join(',')}}'`;
  const deleted = o.softDelete ? 'o.deleted_at IS NULL AND r.deleted_at IS NOT NULL' : 'false';
  const insert = '    INSERT INTO events (account_id, type, record_key, data)\n    SELECT x.account_id, e.type, x.key, e.data\n';
  const triggers = [
    `CREATE OR REPLACE TRIGGER ${o.table}_events_inserted AFTER INSERT ON ${o.table} REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
    ...(o.updated
      ? [`CREATE OR REPLACE TRIGGER ${o.table}_events_updated AFTER UPDATE ON ${o.table} REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`]
      : []),
    `CREATE OR REPLACE TRIGGER ${o.table}_events_deleted AFTER DELETE ON ${o.table} REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION ${fn}();`,
  ];
  return `-- Made by \`npm run golden\` from OUTBOXES in src/store/sql/event-triggers.ts: change it there.
--
-- The outbox's trigger for ${o.about} (functions/roster_event_rows.sql says what events a change makes): one
-- INSERT … SELECT per statement over its transition tables, however many rows it wrote, with
-- static SQL so its plan is made once per connection. Each object is built once (OFFSET 0
-- keeps the subquery from being folded into the function's several uses of it).
CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
${insert}      FROM (SELECT r.account_id, ${key}, ${object}(r) AS now FROM added r OFFSET 0) x,
           roster_event_rows('${o.kind}', ${watched}, NULL, x.now, false) e;
  ELSIF TG_OP = 'DELETE' THEN
${insert}      FROM (SELECT r.account_id, ${key}, ${object}(r) AS now FROM removed r OFFSET 0) x,
           roster_event_rows('${o.kind}', '{}', NULL, x.now, true) e;
  ELSE
${insert}      FROM (SELECT r.account_id, ${key}, ${object}(o) AS was, ${object}(r) AS now, ${deleted} AS deleted
              FROM removed o JOIN added r ON ${same} OFFSET 0) x,
           roster_event_rows('${o.kind}', ${watched}, x.was, x.now, x.deleted) e;
  END IF;
  RETURN NULL;
END $$;

-- Events and deliveries are new rows and take no lock another writer waits on, so where these
-- fall among a statement's triggers does not matter to the lock order (roster_count_rows.sql).
${triggers.join('\n')}
`;
}
