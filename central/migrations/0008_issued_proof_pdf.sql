-- PDF as issued (issue 15): the signed PDF central issued for an e-licence print-out (电子证照打印件), base64,
-- kept with its sealed record (the document's pdfSm3 is the SM3 of these bytes) so that the same bytes are sent
-- again, never a re-render. NULL for documents the kiosk lays out itself. Portable SQL: SQLite and PostgreSQL.
-- Numbered 0007 on branch `results` (migrations are gapless per branch); at merge it follows `agency`'s 0007.
ALTER TABLE issued_proofs ADD COLUMN pdf TEXT;
