import { z } from 'zod';
import type { ReceiptBlock } from './blocks.js';
import { renderBlocksToEscPos, type EscPosOptions } from './escpos.js';
import { renderBlocksToPdf } from './pdf.js';
import { IsoDateTime, MaskedIdNumber, MaskedName, formatDateTime, noFullIdNumber } from './privacy.js';

/** How a material was supplied; the kinds are contract's MaterialProvision kinds. */
export const MaterialSupply = z.enum(['e-licence', 'shared-data', 'commitment', 'photo', 'paper-later']);
export type MaterialSupply = z.infer<typeof MaterialSupply>;

export const MATERIAL_SUPPLY_LABELS: Record<MaterialSupply, string> = {
  'e-licence': '电子证照',
  'shared-data': '数据共享',
  commitment: '告知承诺',
  photo: '拍照',
  'paper-later': '纸质',
};

/** 受理回执: what the citizen takes home the moment they submit. */
export const ReceiptData = z
  .object({
    hallName: z.string().min(1),
    terminalId: z.string().min(1),
    /** Central's case number; null while the application waits offline in the outbox. */
    caseNumber: z.string().min(1).nullable(),
    /** Kiosk-local number, always printed: it finds the case before central has numbered it. */
    localNumber: z.string().min(1),
    serviceName: z.string().min(1),
    applicantName: MaskedName,
    applicantIdMasked: MaskedIdNumber,
    submittedAt: IsoDateTime,
    materials: z.array(z.object({ name: z.string().min(1), supply: MaterialSupply })),
    /** Working days promised for a result; 0 means 即办 (decided at once). */
    promisedLimitDays: z.number().int().min(0),
    /** Text of the progress QR code (a URL). */
    progressQr: z.string().min(1),
    /** Central unreachable: the application is queued on this kiosk. */
    offline: z.boolean(),
    /** Not sent and waiting for staff (central refused it in a way no retry fixes): says so, never 自动提交. */
    heldForStaff: z.boolean().default(false),
    /** One line on where the case stands, e.g. 已受理，审批结果将以短信通知。 */
    statusLine: z.string().min(1),
    /** The applicant's choices in words (新生儿性别 女, 落户区县 岱岳区): contract/format.ts formatChoices. */
    particulars: z.array(z.object({ label: z.string().min(1), value: z.string().min(1) })).optional(),
    /** How the paper result reaches the applicant, in words (窗口领取 / 邮寄送达（手机尾号 5678） / 仅电子证照), issue 15. */
    delivery: z.string().min(1).max(60).optional(),
  })
  .superRefine(noFullIdNumber((data) => [data.caseNumber, data.localNumber]));
export type ReceiptData = z.input<typeof ReceiptData>;

export const OFFLINE_RECEIPT_NOTICE = '网络暂时中断，申请已安全保存在本机，网络恢复后自动提交。请凭本机受理编号查询办理进度。';
/** A receipt for an application central refused in a way no retry fixes: what is true, and what to do. */
export const STAFF_RECEIPT_NOTICE = '申请已保存在本机，工作人员将尽快处理，请留意短信。请凭本机受理编号查询办理进度。';

/** The one receipt layout: both renderers draw exactly these blocks. */
export function receiptLayout(input: ReceiptData): ReceiptBlock[] {
  const data = ReceiptData.parse(input);
  const blocks: ReceiptBlock[] = [{ kind: 'title', text: '受理回执', subtitle: data.hallName }];
  if (data.offline) {
    blocks.push({ kind: 'highlight', label: '本机受理编号', value: data.localNumber });
    blocks.push({ kind: 'note', text: data.heldForStaff ? STAFF_RECEIPT_NOTICE : OFFLINE_RECEIPT_NOTICE, emphasis: true });
  }
  blocks.push({
    kind: 'rows',
    rows: [
      { label: '办件编号', value: data.caseNumber ?? (data.heldForStaff ? '工作人员处理后生成' : '网络恢复后生成') },
      ...(data.offline ? [] : [{ label: '本机编号', value: data.localNumber }]),
      { label: '办理事项', value: data.serviceName },
      { label: '申请人', value: data.applicantName },
      { label: '证件号码', value: data.applicantIdMasked },
      { label: '提交时间', value: formatDateTime(data.submittedAt) },
      { label: '承诺时限', value: data.promisedLimitDays === 0 ? '即办' : `${data.promisedLimitDays}个工作日` },
      ...(data.delivery ? [{ label: '领取方式', value: data.delivery }] : []),
      { label: '终端编号', value: data.terminalId },
    ],
  });
  if (data.particulars && data.particulars.length > 0) {
    blocks.push({ kind: 'rule' });
    blocks.push({ kind: 'heading', text: '申请内容' });
    blocks.push({ kind: 'rows', rows: data.particulars });
  }
  blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'heading', text: `已收材料（${data.materials.length}项）` });
  blocks.push({
    kind: 'rows',
    rows: data.materials.map((material) => ({ label: MATERIAL_SUPPLY_LABELS[material.supply], value: material.name })),
  });
  blocks.push({ kind: 'rule' });
  blocks.push({ kind: 'note', text: data.statusLine, emphasis: !data.offline });
  blocks.push({ kind: 'qr', text: data.progressQr, caption: '微信或“爱山东”扫码查询办理进度' });
  blocks.push({ kind: 'note', text: '本回执不含完整个人信息，请妥善保管。' });
  blocks.push({ kind: 'note', text: '咨询电话：12345' });
  return blocks;
}

/** The receipt on an 80 mm roll, height fitted to the content. Throws only on data the schema rejects. */
export async function renderReceiptPdf(data: ReceiptData): Promise<Buffer> {
  const valid = ReceiptData.parse(data);
  return renderBlocksToPdf(receiptLayout(valid), 'roll-80mm', {
    title: `受理回执 ${valid.caseNumber ?? valid.localNumber}`,
    author: valid.hallName,
    createdAt: new Date(valid.submittedAt),
  });
}

/** The same receipt as one ESC/POS job (Chinese mode, GB18030, native QR, cut). */
export function renderReceiptEscPos(data: ReceiptData, options: EscPosOptions = {}): Buffer {
  return renderBlocksToEscPos(receiptLayout(ReceiptData.parse(data)), options);
}
