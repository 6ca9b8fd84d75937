-- An Admin may discard a write that failed for good. The row stays, with status
-- 'discarded', who discarded it and when, so the Integration page can still show it.
-- outbox_status_check is the name PostgreSQL gave the initial column CHECK.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'discarded'));
ALTER TABLE outbox ADD COLUMN discarded_by TEXT REFERENCES staff_users (id);
ALTER TABLE outbox ADD COLUMN discarded_at BIGINT;

-- The Integration page lists an organization's writes newest first, all of them or one
-- status at a time, a page at a time by id.
CREATE INDEX outbox_organization ON outbox (organization_id, id);
CREATE INDEX outbox_organization_status ON outbox (organization_id, status, id);
