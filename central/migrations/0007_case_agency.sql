-- Issue 12, 代办: a case filed by someone acting for the applicant (the 委托人, whose case it is: applicant_id /
-- applicant_name stay the principal's). agent_id / agent_name: the 受托人 whose card was read on the kiosk (and whose
-- 人证核验 the identity_check_* columns record); agency_relationship: 配偶 / 父母 / 子女 / 其他亲属 / 其他受托人;
-- agency_principal_source: 'id-card' or 'population-check' (ID number + name checked against the 人口库);
-- agency_authorisation_kind: '委托书' or '告知承诺'; agency_authorisation: the authorisation itself as JSON text
-- (contract/agency.ts AgencyAuthorisation: the 委托书 photo as base64 JPEG, or the signature PNG), kept like the
-- material photos in payload. All NULL for 本人办理 and for cases filed before this migration.
-- Plain SQL that SQLite and PostgreSQL both run.

ALTER TABLE cases ADD COLUMN agent_id TEXT;
ALTER TABLE cases ADD COLUMN agent_name TEXT;
ALTER TABLE cases ADD COLUMN agency_relationship TEXT;
ALTER TABLE cases ADD COLUMN agency_principal_source TEXT;
ALTER TABLE cases ADD COLUMN agency_authorisation_kind TEXT;
ALTER TABLE cases ADD COLUMN agency_authorisation TEXT;
