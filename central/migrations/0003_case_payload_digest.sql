-- Issue 10, kind 1: a local number is one application, not a slot. Central keeps a digest of what was
-- applied for (service, applicant, draft; RFC 8785 canonical JSON, SHA-256 hex), so a known local number
-- that arrives with other content or another applicant is refused as a conflict instead of being answered
-- with the older case (which gave a new applicant someone else's case number, and lost the application).
-- Cases filed before this migration have no digest: for them only the applicant is compared.
-- Plain SQL that SQLite and PostgreSQL both run.

ALTER TABLE cases ADD COLUMN payload_digest TEXT;
