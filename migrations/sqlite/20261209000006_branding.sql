-- Branding that candidates see: the organization's accent colour (#rrggbb, checked for
-- contrast against white before it is stored) and welcome text (Markdown), and a job's own
-- accent colour, which wins over the organization's.
ALTER TABLE organizations ADD COLUMN accent_color TEXT;
ALTER TABLE organizations ADD COLUMN welcome_md TEXT NOT NULL DEFAULT '';
ALTER TABLE roles ADD COLUMN accent_color TEXT;
