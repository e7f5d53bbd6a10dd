-- Issue 14, 人证核验: how the applicant's identity was confirmed on the kiosk, recorded on the case.
-- method: 'face' (刷脸核验) or 'staff' (人工核验); staff: the 工号 of the staff member who confirmed it in
-- person (NULL for a face check); outcome: 'passed' (a case is only filed after a passed check).
-- All NULL for cases filed before this migration and for services that ask only for the card.
-- Never an image, a template or a score: the check happened and its outcome, nothing more.
-- Plain SQL that SQLite and PostgreSQL both run.

ALTER TABLE cases ADD COLUMN identity_check_method TEXT;
ALTER TABLE cases ADD COLUMN identity_check_staff TEXT;
ALTER TABLE cases ADD COLUMN identity_check_outcome TEXT;
