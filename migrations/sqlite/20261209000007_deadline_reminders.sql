-- When the reminder before the candidate's deadline was queued; NULL until then. Setting it
-- with a conditional update claims the reminder, so it goes out once across processes.
ALTER TABLE applications ADD COLUMN reminder_sent_at BIGINT;
