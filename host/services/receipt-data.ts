import { deliveryWords } from '../../contract/delivery-words.js';
import type { DeliveryChoice } from '../../contract/proofs.js';
import type { Service } from '../../contract/catalog.js';
import type { CardType, MaterialProvision } from '../../contract/domain.js';
import { materialNameFor } from '../../contract/identity-documents.js';
import type { CheckedDraft } from '../../contract/flow.js';
import { formatChoices } from '../../contract/format.js';
import { maskIdNumber, maskName } from '../../contract/validators/gb11643.js';
import type { SubmitApplicationResponse } from '../../contract/central/api.js';
import type { ReceiptData } from '../../print-templates/receipt.js';

const SUPPLY: Record<MaterialProvision['kind'], ReceiptData['materials'][number]['supply']> = {
  'e-licence': 'e-licence',
  'shared-data': 'shared-data',
  commitment: 'commitment',
  photo: 'photo',
  'paper-later': 'paper-later',
};

export interface ReceiptFacts {
  hallName: string;
  terminalId: string;
  service: Service;
  checked: CheckedDraft;
  /** Straight from the card or the outbox record; masked here, never printed whole. The card type names the identity materials. */
  applicant: { name: string; idNumber: string; cardType: CardType };
  localNumber: string;
  /** When the outbox took the application (ms). */
  createdAt: number;
  /** Central's acknowledgement; null while the application waits in the outbox. */
  ack: SubmitApplicationResponse | null;
  /** Waiting for staff, not for the network (the outbox item is needs-staff): the receipt says so. */
  heldForStaff?: boolean;
  progressUrl: (caseRef: string) => string;
  /** 帮办: 工号 of the assistant, printed on the receipt (issue 12); null or absent otherwise. */
  assistedBy?: string | null;
  /** The delivery chosen for a paper result (issue 15): printed in words, the address never (the receipt may be left in the hall). */
  delivery?: DeliveryChoice;
  /** 代办 (issue 12): the agent whose card was read and their relationship; `applicant` is then the 委托人. */
  agency?: ReceiptAgency;
}

/** The agent of a 代办 case as the receipt needs them: masked on print, never printed whole. */
export interface ReceiptAgency {
  agent: { name: string; idNumber: string };
  relationship: string;
}

/** 代办 lines of a receipt: 办理人（代办）and 委托人, each masked name and number, and the relationship. */
function agencyParticulars(applicant: ReceiptFacts['applicant'], agency: ReceiptAgency): Array<{ label: string; value: string }> {
  return [
    { label: '办理人（代办）', value: `${maskName(agency.agent.name)} ${maskIdNumber(agency.agent.idNumber)}` },
    { label: '委托人', value: `${maskName(applicant.name)} ${maskIdNumber(applicant.idNumber)}` },
    { label: '与委托人关系', value: agency.relationship },
  ];
}

/**
 * The receipt for one application, from the facts the outbox keeps. Both the first print (at submit)
 * and staff 补打 (re-rendered from the sealed outbox record) come through here, so a reprint says what
 * the original said, updated with central's case number if it has arrived since.
 */
export function receiptDataFor(facts: ReceiptFacts): ReceiptData {
  const { service, checked, ack } = facts;
  const status = ack?.status ?? 'queued';
  return {
    hallName: facts.hallName,
    terminalId: facts.terminalId,
    caseNumber: ack?.caseNumber ?? null,
    localNumber: facts.localNumber,
    serviceName: service.name,
    applicantName: maskName(facts.applicant.name),
    applicantIdMasked: maskIdNumber(facts.applicant.idNumber),
    submittedAt: new Date(facts.createdAt).toISOString(),
    materials: checked.materials.flatMap((material) => {
      const provision = checked.draft.materials[material.id];
      return provision ? [{ name: materialNameFor(material, facts.applicant.cardType), supply: SUPPLY[provision.kind] }] : [];
    }),
    promisedLimitDays: service.promisedLimitDays,
    progressQr: facts.progressUrl(ack?.caseNumber ?? facts.localNumber),
    offline: ack === null,
    heldForStaff: ack === null && facts.heldForStaff === true,
    particulars: [...formatChoices(service, checked.draft.form), ...(facts.assistedBy ? [{ label: '帮办人员', value: `工号 ${facts.assistedBy}` }] : []), ...(facts.agency ? agencyParticulars(facts.applicant, facts.agency) : [])],
    ...(facts.delivery ? { delivery: deliveryWords(facts.delivery) } : {}),
    statusLine:
      status === 'approved'
        ? `已办结：${ack?.resultTitle ?? service.name}`
        : status !== 'queued'
          ? `已受理，承诺${service.promisedLimitDays}个工作日内办结`
          : facts.heldForStaff
            ? '已保存在本机，工作人员将尽快处理，请留意短信'
            : '已保存在本机，网络恢复后自动提交',
  };
}
