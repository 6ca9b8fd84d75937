-- An Admin may discard a write that failed for good. The row stays, with status
-- 'discarded', who discarded it and when, so the Integration page can still show it.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt: rows are copied, the
-- old table is dropped (no table references it), and the indexes are made again.
CREATE TABLE outbox_rebuilt (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    application_id   TEXT REFERENCES applications (id),
    opportunity_id   TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('note', 'stage', 'archive')),
    payload_json     TEXT NOT NULL,
    marker           TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'discarded')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    lever_ref        TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT,
    discarded_by     TEXT REFERENCES staff_users (id),
    discarded_at     BIGINT
);

INSERT INTO outbox_rebuilt (id, organization_id, application_id, opportunity_id, kind, payload_json, marker,
                            status, attempts, next_attempt_at, claimed_until, last_error, lever_ref,
                            created_at, sent_at)
SELECT id, organization_id, application_id, opportunity_id, kind, payload_json, marker,
       status, attempts, next_attempt_at, claimed_until, last_error, lever_ref,
       created_at, sent_at
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;

CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_opportunity ON outbox (organization_id, opportunity_id, id);
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
-- The Integration page lists an organization's writes newest first, all of them or one
-- status at a time, a page at a time by id.
CREATE INDEX outbox_organization ON outbox (organization_id, id);
CREATE INDEX outbox_organization_status ON outbox (organization_id, status, id);
