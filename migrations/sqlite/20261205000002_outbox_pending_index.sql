-- Workers claim the oldest pending write, ordered by id. Without this index each claim
-- walks past every write already sent, so a long backlog drains ever more slowly.
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';
