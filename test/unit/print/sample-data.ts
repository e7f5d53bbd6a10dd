import { deflateSync } from 'node:zlib';
import type { AcceptanceNoticeData } from '../../../print-templates/acceptance-notice.js';
import type { CertificateData } from '../../../print-templates/certificate.js';
import type { CommitmentData } from '../../../print-templates/commitment.js';
import type { ReceiptData } from '../../../print-templates/receipt.js';
import type { RejectionNoticeData } from '../../../print-templates/rejection-notice.js';
import type { ProofDocumentData } from '../../../print-templates/proof.js';

/**
 * Fixed sample documents for the visual, golden and spooler tests and the benchmark. Dates are fixed so
 * that every render is byte-for-byte repeatable; names are already masked where the schema demands it.
 */
export const sampleReceipt: ReceiptData = {
  hallName: '泰安市政务服务中心（泰山区分中心）',
  terminalId: 'TA-370902-K07',
  caseNumber: '370900202503140001268',
  localNumber: 'K07-20250314-0042',
  serviceName: '新生儿出生“一件事”（出生医学证明、户口登记、医保参保、社保卡申领）',
  applicantName: '张*',
  applicantIdMasked: '370***********1234',
  submittedAt: '2025-03-14T09:30:00+08:00',
  materials: [
    { name: '出生医学证明', supply: 'e-licence' },
    { name: '父母双方户口簿', supply: 'shared-data' },
    { name: '结婚证', supply: 'e-licence' },
    { name: '无犯罪记录证明', supply: 'commitment' },
    { name: '新生儿免冠照片', supply: 'photo' },
    { name: '医保参保登记表（原件）', supply: 'paper-later' },
  ],
  promisedLimitDays: 3,
  progressQr: 'https://zwfw.taian.gov.cn/q/370900202503140001268',
  offline: false,
  statusLine: '已受理，审批结果将以短信通知，预计3个工作日内办结。',
};

export const sampleOfflineReceipt: ReceiptData = {
  ...sampleReceipt,
  caseNumber: null,
  offline: true,
  progressQr: 'https://zwfw.taian.gov.cn/q/local/K07-20250314-0042',
  statusLine: '已保存待提交，网络恢复后自动提交审批。',
};

export const sampleCertificate: CertificateData = {
  title: '准予行政许可决定书',
  documentNumber: '泰审批秒批字〔2025〕第0312号',
  issuer: '泰安市行政审批服务局',
  holderName: '张三',
  holderIdMasked: '370***********1234',
  caseNumber: '370900202503140001268',
  serviceName: '食品经营许可（仅销售预包装食品）备案',
  paragraphs: [
    '你于2025年3月14日提交的食品经营许可（仅销售预包装食品）备案申请，经审批系统按照公开的审批规则自动核验，申请材料齐全、符合法定形式，备案信息与电子证照库、市场主体登记信息一致。',
    '根据《中华人民共和国食品安全法》第三十五条和《山东省食品小作坊小餐饮和食品摊点管理条例》的有关规定，决定准予备案。',
  ],
  particulars: [
    { label: '经营场所', value: '泰安市泰山区东岳大街某号' },
    { label: '经营项目', value: '预包装食品（不含冷藏冷冻食品）销售' },
    { label: '有效期限', value: '2025年3月14日至2030年3月13日' },
  ],
  issuedAt: '2025-03-14T09:31:05+08:00',
  verificationUrl: 'https://zwfw.taian.gov.cn/verify/TA2025031400312',
  verificationCode: 'TA2025031400312',
};

export const sampleAcceptanceNotice: AcceptanceNoticeData = {
  documentNumber: '泰审批受字〔2025〕第1268号',
  applicantName: '张三',
  applicantIdMasked: '370***********1234',
  serviceName: '新生儿出生“一件事”',
  caseNumber: '370900202503140001268',
  submittedAt: '2025-03-14T09:30:00+08:00',
  acceptedAt: '2025-03-14T09:30:42+08:00',
  promisedLimitDays: 3,
  materials: ['出生医学证明（电子证照）', '父母双方户口簿（数据共享）', '结婚证（电子证照）', '新生儿免冠照片（现场拍照）'],
  contact: { hallAddress: '泰安市政务服务中心（泰山区东岳大街）一楼综合受理区', phone: '0538-12345' },
  progressQr: 'https://zwfw.taian.gov.cn/q/370900202503140001268',
};

export const sampleRejectionNotice: RejectionNoticeData = {
  documentNumber: '泰审批不受字〔2025〕第0087号',
  applicantName: '李四',
  applicantIdMasked: '370***********567X',
  serviceName: '个体工商户设立登记',
  caseReference: '370900202503140001301',
  submittedAt: '2025-03-14T10:05:00+08:00',
  decidedAt: '2025-03-14T10:06:10+08:00',
  reasons: ['申请的经营范围“网吧经营”须先取得文化和旅游部门的前置许可，申请时未能提供。', '经营场所地址与不动产登记信息不一致。'],
  legalBasis: '《中华人民共和国行政许可法》第三十二条第一款第（二）项',
  reviewAuthority: '泰安市人民政府',
  court: '泰安市泰山区人民法院',
  contact: { hallAddress: '泰安市政务服务中心一楼综合受理区', phone: '0538-12345' },
};

export function sampleCommitment(): CommitmentData {
  return {
    serviceName: '新生儿出生“一件事”',
    caseReference: '370900202503140001268',
    applicantName: '张三',
    applicantIdMasked: '370***********1234',
    commitments: [{ material: '无犯罪记录证明', statement: '本人承诺无故意犯罪记录，所填信息真实、准确。' }],
    legalBasis: '《山东省证明事项告知承诺制实施办法》',
    signaturePng: sampleSignatureDataUrl(),
    signedAt: '2025-03-14T09:29:30+08:00',
  };
}

/** A hand-drawn-looking signature (张三 in two strokes), as the on-screen pad would send it. */
export function sampleSignatureDataUrl(): string {
  const width = 360;
  const height = 120;
  const alpha = new Uint8Array(width * height);
  const stroke = (points: Array<[number, number]>): void => {
    for (let index = 1; index < points.length; index += 1) {
      const [x0, y0] = points[index - 1] ?? [0, 0];
      const [x1, y1] = points[index] ?? [0, 0];
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2);
      for (let step = 0; step <= steps; step += 1) {
        const x = x0 + ((x1 - x0) * step) / steps;
        const y = y0 + ((y1 - y0) * step) / steps;
        for (let dy = -2; dy <= 2; dy += 1)
          for (let dx = -2; dx <= 2; dx += 1) {
            const px = Math.round(x + dx);
            const py = Math.round(y + dy);
            if (px >= 0 && px < width && py >= 0 && py < height && dx * dx + dy * dy <= 5) alpha[py * width + px] = 255;
          }
      }
    }
  };
  stroke([[30, 40], [90, 35], [60, 35], [55, 70], [95, 68], [50, 100], [110, 95]]);
  stroke([[70, 20], [72, 105]]);
  stroke([[150, 30], [230, 28], [150, 60], [225, 58], [140, 100], [250, 95], [330, 60]]);
  // RGBA scanlines, each prefixed by filter type 0: dark blue ink on a transparent background.
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = y * (width * 4 + 1) + 1 + x * 4;
      raw[offset] = 0x10;
      raw[offset + 1] = 0x20;
      raw[offset + 2] = 0x60;
      raw[offset + 3] = alpha[y * width + x] ?? 0;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A 社保缴费证明 as central issues it (fixed digest and signature: the template prints, it does not sign). */
export const sampleProof: ProofDocumentData = {
  title: '社会保险缴费证明',
  issuer: '泰安市社会保险事业中心',
  holderLine: '张三（公民身份号码 370***********1234）',
  paragraphs: ['经查询泰安市社会保险信息系统，该参保人参保缴费情况如下，特此证明。'],
  fields: [
    { label: '姓名', value: '张三' },
    { label: '公民身份号码', value: '370***********1234' },
    { label: '参保单位', value: '泰安市泰山区某某科技有限公司' },
    { label: '累计缴费月数', value: '68' },
  ],
  table: {
    title: '缴费明细',
    columns: ['险种', '缴费起始年月', '缴费截止年月', '月数'],
    rows: [
      ['企业职工基本养老保险', '2019-07', '2025-02', '68'],
      ['失业保险', '2019-07', '2025-02', '68'],
      ['职工基本医疗保险', '2020-01', '2025-02', '62'],
    ],
  },
  issuedAt: '2025-03-14T09:31:05+08:00',
  validUntil: '2025-06-12T23:59:59+08:00',
  verificationCode: 'K7QF3M9XA2PDR5TZ',
  verificationUrl: 'https://zwfw.taian.gov.cn/verify/K7QF3M9XA2PDR5TZ',
  seal: {
    name: '泰安市社会保险事业中心',
    keyId: '9f2c4b1e7a3d5c60',
    digest: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    signature: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b313f1e8dbcb0ad3c3d5de1c1e3a5b0d0bf2f7fb4cb4f8a0c0c0b5d64d8c9a4a31',
    signedAt: '2025-03-14T09:31:05+08:00',
  },
};
