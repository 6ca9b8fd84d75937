-- Files staff uploaded into the media store. kind names what a file is for: a job's culture
-- video, a guide image, or an organization's logo, which belongs to no job (role_id NULL). A
-- row is written only after the whole file is stored, so every row names an object that exists.
-- A step uses an upload by its id in settings_json ({"upload_id": ...}); an upload no step uses
-- stays until its job is deleted.
CREATE TABLE media_uploads (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    role_id          TEXT REFERENCES roles (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('culture_video', 'guide_image', 'logo')),
    file_name        TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    size_bytes       BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256           TEXT NOT NULL,
    uploaded_by      TEXT NOT NULL REFERENCES staff_users (id),
    uploaded_at      BIGINT NOT NULL
);

CREATE INDEX media_uploads_by_role ON media_uploads (organization_id, role_id);

-- The organization's logo, shown at the top of every portal page; NULL for none.
ALTER TABLE organizations ADD COLUMN logo_upload_id TEXT REFERENCES media_uploads (id);
