import { createHash } from 'node:crypto';
import { ageOn } from '../../contract/china-time.js';
import type { DocumentKindId, ProofKindId } from '../../contract/proofs.js';
import { gb32100CheckChar } from '../../contract/validators/gb32100.js';
import type { EnterpriseRecord } from '../store/store.js';

/**
 * Demo shared data for proofs (issue 15): what the departments' systems would answer for the demo
 * population, made deterministically from each person's ID number (the same person gets the same records
 * on every start). Invented people, employers, addresses and numbers; nothing here is real.
 */

/** A person of the demo population (人口库), as the demo card deck describes them. */
export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  /** YYYY-MM-DD. */
  birthDate: string;
  /** 民族 as printed (汉族, 回族 …). */
  ethnicity: string;
  address: string;
  /** The enterprise this person is 法定代表人 of, if any (its proofs are theirs to print). */
  enterprise?: { name: string; address: string };
}

/** The fields and table rows of one proof, as stored in proof_sources / enterprises.content. */
export interface ProofContent {
  fields: Record<string, string>;
  rows?: Array<Record<string, string>>;
}

export interface DemoProofData {
  sources: Array<{ idNumber: string; kind: ProofKindId; content: ProofContent }>;
  enterprises: EnterpriseRecord[];
}

const EMPLOYERS = ['泰安市泰山区岱宗商贸有限公司', '山东泰山钢铁集团有限公司', '泰安市中心医院', '肥城市汶阳建材有限公司', '新泰市青云物流有限公司'];
const LOCATIONS = ['泰山区财源街道东岳大街', '岱岳区粥店街道长城路', '泰山区上高街道泮河大街', '肥城市新城街道龙山路', '新泰市青云街道平阳路'];

/** A stable number in [0, modulo) from a person's ID number and a purpose. */
function pick(idNumber: string, purpose: string, modulo: number): number {
  return createHash('sha256').update(`${purpose}|${idNumber}`).digest().readUInt32BE(0) % modulo;
}

/** `2016-01` → `2016年01月`. */
const yearMonth = (year: number, month: number) => `${year}年${String(month).padStart(2, '0')}月`;

/** A 统一社会信用代码 (GB 32100) with its check character: 91 (enterprise, company), division, organisation body. */
export function demoCreditCode(divisionCode: string, seed: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const digest = createHash('sha256').update(seed).digest();
  const body = Array.from({ length: 9 }, (_, index) => alphabet[(digest[index] ?? 0) % alphabet.length]).join('');
  const first17 = `91${divisionCode}${body}`;
  return first17 + (gb32100CheckChar(first17) ?? '0');
}

/** A person's 个人公积金账号 in the demo 公积金 system: 3709, the last 8 of the ID number, 01 (one account per person). */
export function demoHousingFundAccount(idNumber: string): string {
  return `3709${idNumber.slice(-8)}01`;
}

/**
 * An enterprise's taxes paid (入库) in the demo 税务 system, one month each from `fromMonth` to `toMonth`
 * (`YYYY-MM`, at most the last 12 of them): 增值税 and the 城市维护建设税 on it (7 %, 市区), paid by the 15th
 * of the next month. Amounts are invented, the same for the same enterprise and month on every start.
 */
export function demoEnterpriseTaxes(creditCode: string, fromMonth: string, toMonth: string): Array<{ taxType: string; item: string; month: string; amount: string }> {
  const months: string[] = [];
  for (let month = toMonth; month >= fromMonth && months.length < 12; ) {
    months.unshift(month);
    const [year, number] = month.split('-').map(Number) as [number, number];
    month = number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
  }
  return months.flatMap((month) => {
    const vat = 1_000 + pick(creditCode, `vat|${month}`, 9_000_00) / 100;
    return [
      { taxType: '增值税', item: '销售货物', month, amount: vat.toFixed(2) },
      { taxType: '城市维护建设税', item: '市区（增值税附征）', month, amount: (vat * 0.07).toFixed(2) },
    ];
  });
}

/** Personal proofs of one person, by kind: only the kinds their life gives them records for. */
export function demoPersonalSources(person: DemoPerson, today: string): Partial<Record<ProofKindId, ProofContent>> {
  const age = ageOn(person.birthDate, today);
  const [todayYear, todayMonth] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const base = { name: person.name, idNumber: person.idNumber };
  const sources: Partial<Record<ProofKindId, ProofContent>> = {
    'household-registration': {
      fields: {
        ...base,
        sex: person.sex === 'male' ? '男' : '女',
        ethnicity: person.ethnicity,
        birthDate: `${person.birthDate.slice(0, 4)}年${person.birthDate.slice(5, 7)}月${person.birthDate.slice(8, 10)}日`,
        address: person.address,
        relation: '户主',
        policeStation: `泰安市公安局${person.address.includes('岱岳') ? '岱岳分局' : '泰山分局'}户籍科`,
      },
    },
  };
  if (age < 18) return sources;
  const married = age >= 25;
  sources['marriage-record'] = married
    ? {
        fields: {
          ...base,
          status: '已婚（有结婚登记记录）',
          spouseName: person.sex === 'male' ? '王丽' : '刘强',
          spouseIdNumber: `${person.idNumber.slice(0, 6)}${Number(person.birthDate.slice(0, 4)) + 1}0101${person.sex === 'male' ? '2026' : '1013'}`,
          registeredOn: `${Number(person.birthDate.slice(0, 4)) + 26}年05月20日`,
          certificateNumber: `J370902-${Number(person.birthDate.slice(0, 4)) + 26}-${String(pick(person.idNumber, 'marriage', 99999)).padStart(6, '0')}`,
          registrationAuthority: '泰安市泰山区民政局',
        },
      }
    : { fields: { ...base, status: '未查询到婚姻登记记录' } };
  const ownsHome = pick(person.idNumber, 'home', 5) !== 0;
  if (ownsHome) {
    const location = LOCATIONS[pick(person.idNumber, 'location', LOCATIONS.length)] ?? LOCATIONS[0];
    const mortgaged = pick(person.idNumber, 'mortgage', 2) === 0;
    sources['real-estate-record'] = {
      fields: { ...base, propertyCount: '查询到不动产登记信息1条' },
      rows: [
        {
          location: `${location}${10 + pick(person.idNumber, 'number', 300)}号${1 + pick(person.idNumber, 'building', 9)}号楼${1 + pick(person.idNumber, 'unit', 3)}单元${101 + pick(person.idNumber, 'room', 1500)}室`,
          certificateNumber: `鲁（${todayYear - 3 - pick(person.idNumber, 'year', 8)}）泰安市不动产权第${String(10000 + pick(person.idNumber, 'cert', 89999)).padStart(7, '0')}号`,
          area: `${(80 + pick(person.idNumber, 'area', 6000) / 100).toFixed(2)}`,
          use: '城镇住宅用地/住宅',
          share: married ? '共同共有' : '单独所有',
          mortgage: mortgaged ? '已抵押' : '无抵押',
          seizure: '无查封',
        },
      ],
    };
  }
  if (age > 60) return sources;
  const employer = EMPLOYERS[pick(person.idNumber, 'employer', EMPLOYERS.length)] ?? EMPLOYERS[0] ?? '';
  const fromYear = Math.max(Number(person.birthDate.slice(0, 4)) + 22, todayYear - 12);
  const months = (todayYear - fromYear) * 12 + todayMonth - 1;
  const lastMonth = todayMonth === 1 ? yearMonth(todayYear - 1, 12) : yearMonth(todayYear, todayMonth - 1);
  sources['social-insurance-payment'] = {
    fields: { ...base, employer, totalMonths: String(months) },
    rows: ['企业职工基本养老保险', '失业保险', '工伤保险', '职工基本医疗保险'].map((insurance) => ({ insurance, from: yearMonth(fromYear, 1), to: lastMonth, months: String(months) })),
  };
  sources['social-insurance-enrolment'] = {
    fields: { ...base, employer, firstEnrolled: yearMonth(fromYear, 1), insurances: '企业职工基本养老保险、失业保险、工伤保险、职工基本医疗保险', status: '正常参保' },
  };
  const monthly = 300 + pick(person.idNumber, 'fund', 1200);
  sources['housing-fund-deposit'] = {
    fields: {
      ...base,
      accountNumber: demoHousingFundAccount(person.idNumber),
      employer,
      status: '正常缴存',
      from: yearMonth(fromYear, 1),
      to: lastMonth,
      monthlyDeposit: monthly.toFixed(2),
      balance: (monthly * Math.min(months, 60) * 0.8).toFixed(2),
    },
  };
  const taxRows = [1, 2, 3].map((offset) => {
    const month = ((todayMonth - 1 - offset + 12) % 12) + 1;
    const year = todayMonth - offset >= 1 ? todayYear : todayYear - 1;
    return { taxType: '个人所得税', item: '工资薪金所得', period: yearMonth(year, month), withholder: employer, amount: (80 + pick(person.idNumber, `tax${offset}`, 400)).toFixed(2) };
  });
  sources['tax-payment'] = {
    fields: { ...base, period: `${taxRows[2]?.period ?? ''}至${taxRows[0]?.period ?? ''}`, total: taxRows.reduce((sum, row) => sum + Number(row.amount), 0).toFixed(2) },
    rows: taxRows,
  };
  return sources;
}

/** The proofs' content of an enterprise whose 法定代表人 is `person`. */
export function demoEnterprise(person: DemoPerson, today: string): EnterpriseRecord | null {
  if (!person.enterprise) return null;
  const division = person.idNumber.slice(0, 6);
  const creditCode = demoCreditCode(division, `enterprise|${person.idNumber}`);
  const { name, address } = person.enterprise;
  const content: Partial<Record<DocumentKindId, ProofContent>> = {
    'business-licence-copy': {
      fields: {
        enterpriseName: name,
        creditCode,
        type: '有限责任公司（自然人独资）',
        legalRepresentative: person.name,
        registeredCapital: '伍拾万元整',
        establishedOn: '2019年04月18日',
        address,
        businessScope: '一般项目：日用百货销售；五金产品零售；办公用品销售。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
        registrationAuthority: '泰安市泰山区行政审批服务局',
      },
    },
    'enterprise-credit-report': {
      fields: {
        enterpriseName: name,
        creditCode,
        legalRepresentative: person.name,
        period: `${Number(today.slice(0, 4)) - 3}年${today.slice(5, 7)}月${today.slice(8, 10)}日至${today.slice(0, 4)}年${today.slice(5, 7)}月${today.slice(8, 10)}日`,
        conclusion: '查询期间内，未发现该企业在以下领域存在违法违规记录',
      },
      rows: [
        { area: '市场监管', department: '泰安市市场监督管理局', result: '无行政处罚记录，未列入经营异常名录、严重违法失信名单' },
        { area: '税务', department: '国家税务总局泰安市税务局', result: '无重大税收违法失信记录' },
        { area: '人力资源社会保障', department: '泰安市人力资源和社会保障局', result: '无拖欠工资等违法记录' },
        { area: '生态环境', department: '泰安市生态环境局', result: '无行政处罚记录' },
        { area: '应急管理', department: '泰安市应急管理局', result: '无安全生产行政处罚记录' },
      ],
    },
  };
  return { creditCode, name, legalRepresentativeId: person.idNumber, content: JSON.stringify(content) };
}

/** The demo population's proof data: each person's personal records, and the enterprises they represent. */
export function demoProofData(people: DemoPerson[], today: string): DemoProofData {
  return {
    sources: people.flatMap((person) =>
      Object.entries(demoPersonalSources(person, today)).map(([kind, content]) => ({ idNumber: person.idNumber, kind: kind as ProofKindId, content: content as ProofContent })),
    ),
    enterprises: people.flatMap((person) => demoEnterprise(person, today) ?? []),
  };
}
