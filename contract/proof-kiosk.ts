import { z } from 'zod';
import { MAX_PROOF_COPIES } from './proofs.js';

/**
 * What the kiosk's 查询打印 screens and the host say to each other (channels `proof:*`). Central's own
 * shapes (proof kinds, IssuedProof with its SM2 seal, refusals) are in contract/proofs.ts; these are the
 * session's view of them: what the citizen may pick, the preview they see, what came out of the printer.
 */

/** Most copies a citizen may print of one proof in one go (big − / + buttons, 1 to this): central's bound. */
export const PROOF_COPIES_MAX = MAX_PROOF_COPIES;

/** Copies asked for: a whole number from 1 to PROOF_COPIES_MAX; anything else is refused at the bridge. */
export const ProofCopies = z.number().int().min(1).max(PROOF_COPIES_MAX);

/** Whose proof it is: the citizen's own, or an enterprise's for its 法定代表人 (checked by central). */
export const ProofHolder = z.enum(['person', 'legal-representative']);
export type ProofHolder = z.infer<typeof ProofHolder>;

/** One proof a citizen can pick on the 查询打印 screen (from the catalog's `proof` services). */
export const ProofOffer = z.object({
  /** Central's proof kind id (contract/proofs.ts). */
  kind: z.string().min(1).max(64),
  /** e.g. 社会保险个人参保缴费证明. */
  name: z.string().min(1).max(60),
  /** One line on what it proves and what it is usually for. */
  summary: z.string().min(1).max(120),
  holder: ProofHolder,
  /** The catalog service offering it (filled by the host, not written in the catalog): its 人证核验 level applies. */
  serviceId: z.string().min(1).max(100).optional(),
});
export type ProofOffer = z.infer<typeof ProofOffer>;

/**
 * The issued proof as the citizen previews it: the document's own fields, laid out as on paper. Shown on
 * the citizen's screen only; wiped with the session. `ticket` names it for `proof:print` in this session.
 */
export const ProofPreview = z.object({
  ticket: z.string().min(8).max(64),
  title: z.string().min(1),
  documentNumber: z.string().min(1),
  issuer: z.string().min(1),
  holderLine: z.string().min(1),
  paragraphs: z.array(z.string()),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
  /** The document's table (缴费明细 …), as printed. */
  table: z.object({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).nullable(),
  issuedAt: z.string(),
  validUntil: z.string(),
  verificationCode: z.string(),
  /** Central's public verification page for this proof (the QR on the paper, and the phone link when paper fails). */
  verificationUrl: z.string(),
  /** Central returned the proof as a signed PDF: the kiosk prints those bytes as they are. */
  asIssuedPdf: z.boolean(),
});
export type ProofPreview = z.infer<typeof ProofPreview>;

/** After 打印: what came out, or why not and what to do instead. */
export const ProofPrintOutcome = z.object({
  printed: z.boolean(),
  copies: ProofCopies,
  /** Plain Chinese when not printed: the proof is kept; scan `fetchUrl` to get it on the phone. */
  notice: z.string().nullable(),
  /** Link the screen shows as a QR when paper fails (central's verification page, 爱山东-style). */
  fetchUrl: z.string(),
});
export type ProofPrintOutcome = z.infer<typeof ProofPrintOutcome>;
