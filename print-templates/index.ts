/** What the host uses from print-templates: document schemas, their renderers, and the print journal. */
export { ReceiptData, MaterialSupply, MATERIAL_SUPPLY_LABELS, OFFLINE_RECEIPT_NOTICE, receiptLayout, renderReceiptPdf, renderReceiptEscPos } from './receipt.js';
export { CertificateData, TAIAN_APPROVAL_BUREAU, certificateLayout, renderCertificatePdf } from './certificate.js';
export { CommitmentData, SignaturePngDataUrl, commitmentLayout, renderCommitmentPdf } from './commitment.js';
export { AcceptanceNoticeData, NoticeContact, acceptanceNoticeLayout, renderAcceptanceNoticePdf } from './acceptance-notice.js';
export { RejectionNoticeData, rejectionNoticeLayout, renderRejectionNoticePdf } from './rejection-notice.js';
export { PrintJournal, InMemoryPrintJournalStore, PrintJournalEntry, PrintDocumentKind, type PrintJournalStore } from './journal.js';
export { loadFonts } from './fonts.js';
export type { ReceiptBlock, DocumentBlock } from './blocks.js';
