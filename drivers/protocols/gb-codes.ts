/**
 * Code tables the card text refers to: GB/T 3304 nations (resident cards) and GB/T 2659 countries
 * (foreigner permanent residence cards). Pure data.
 */

/** GB/T 3304-1991 民族代码, code → name (01 汉族 … 56 基诺族; 46 is 德昂族, which one public table misspells). */
export const GB3304_NATIONS: Readonly<Record<string, string>> = Object.freeze({
  '01': '汉族', '02': '蒙古族', '03': '回族', '04': '藏族', '05': '维吾尔族', '06': '苗族', '07': '彝族', '08': '壮族',
  '09': '布依族', '10': '朝鲜族', '11': '满族', '12': '侗族', '13': '瑶族', '14': '白族', '15': '土家族', '16': '哈尼族',
  '17': '哈萨克族', '18': '傣族', '19': '黎族', '20': '傈僳族', '21': '佤族', '22': '畲族', '23': '高山族', '24': '拉祜族',
  '25': '水族', '26': '东乡族', '27': '纳西族', '28': '景颇族', '29': '柯尔克孜族', '30': '土族', '31': '达斡尔族',
  '32': '仫佬族', '33': '羌族', '34': '布朗族', '35': '撒拉族', '36': '毛南族', '37': '仡佬族', '38': '锡伯族',
  '39': '阿昌族', '40': '普米族', '41': '塔吉克族', '42': '怒族', '43': '乌孜别克族', '44': '俄罗斯族', '45': '鄂温克族',
  '46': '德昂族', '47': '保安族', '48': '裕固族', '49': '京族', '50': '塔塔尔族', '51': '独龙族', '52': '鄂伦春族',
  '53': '赫哲族', '54': '门巴族', '55': '珞巴族', '56': '基诺族', '97': '其他', '98': '外国血统中国籍人士',
});

export function nationName(code: string): string | null {
  return Object.hasOwn(GB3304_NATIONS, code) ? (GB3304_NATIONS[code] ?? null) : null;
}

/**
 * GB/T 2659 (= ISO 3166-1) alpha-3 country codes. A code missing here is still passed through by
 * the text decoder (a newer table may add it); the list is for the card-number cross-check and tests.
 */
export const GB2659_ALPHA3: ReadonlySet<string> = new Set(
  (
    'AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BMU BTN BOL BES ' +
    'BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK COL COM COG COD COK CRI CIV HRV ' +
    'CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FLK FRO FJI FIN FRA GUF PYF ATF GAB GMB GEO DEU ' +
    'GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL IMN ISR ITA JAM ' +
    'JPN JEY JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS MDV MLI MLT MHL MTQ ' +
    'MRT MUS MYT MEX FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA NIU NFK MKD MNP NOR OMN ' +
    'PAK PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA MAF SPM VCT WSM SMR STP SAU ' +
    'SEN SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE SYR TWN TJK TZA THA TLS TGO TKL ' +
    'TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB VIR WLF ESH YEM ZMB ZWE'
  ).split(' '),
);

export function isKnownCountry(alpha3: string): boolean {
  return GB2659_ALPHA3.has(alpha3);
}
