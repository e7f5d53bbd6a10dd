/**
 * The text of a receipt's progress QR code, and reading it back when the scanner sees it. The QR holds a
 * URL a phone can open (`<central>/progress/<case ref>`); the kiosk's own scanner turns it back into the
 * case reference. A bare case or local number (a barcode, or a code typed into a phone) works too.
 */

/** Central's case numbers: TA + date + six-digit sequence (central/routes/cases.ts). */
const CASE_NUMBER = /^TA\d{14}$/;
/** The outbox's local numbers: terminal id, date, four-digit sequence (host/services/outbox.ts). */
const LOCAL_NUMBER = /^[A-Za-z0-9-]{3,32}-\d{8}-\d{4}$/;

export function isCaseRef(text: string): boolean {
  return CASE_NUMBER.test(text) || LOCAL_NUMBER.test(text);
}

export function progressUrl(centralUrl: string, caseRef: string): string {
  return `${centralUrl.replace(/\/$/, '')}/progress/${encodeURIComponent(caseRef)}`;
}

/**
 * The case reference a scanned code stands for, or null for anything else (an 电子身份码, a payment code,
 * another site's URL). Receipts printed before a change of central address still scan: only the path counts,
 * and the reference is looked up at this kiosk's central either way.
 */
export function caseRefFromScan(text: string): string | null {
  const trimmed = text.trim();
  if (isCaseRef(trimmed)) return trimmed;
  if (CASE_NUMBER.test(trimmed.toUpperCase())) return trimmed.toUpperCase();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const match = /\/progress\/([^/]+)\/?$/.exec(url.pathname);
  if (!match?.[1]) return null;
  let ref: string;
  try {
    ref = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return isCaseRef(ref) ? ref : null;
}
