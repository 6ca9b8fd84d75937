-- Emails Tryout sends, such as a candidate's invitation with their personal link. A row is
-- written in the same transaction as the change that causes it, and the mail worker sends
-- it: over SMTP, or into the mailbox page when no SMTP server is configured. The address
-- and bodies are personal data (the body holds the candidate's link), so they stay here
-- and never go to the logs.
CREATE TABLE emails (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    application_id   TEXT REFERENCES applications (id),
    kind             TEXT NOT NULL,
    to_address       TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    -- How a sent email went out; NULL until it is sent.
    transport        TEXT CHECK (transport IN ('smtp', 'mailbox')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
-- The worker claims the earliest due pending email.
CREATE INDEX emails_due ON emails (next_attempt_at, id) WHERE status = 'pending';
-- Expired leases are found by status.
CREATE INDEX emails_status ON emails (status, claimed_until);
-- The mailbox page lists an organization's emails newest first.
CREATE INDEX emails_organization ON emails (organization_id, id);
