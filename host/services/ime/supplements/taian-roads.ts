/**
 * Main roads and streets of Taian's city centre (泰山区 and the city part of 岱岳区), for addresses typed
 * as one phrase (泰山区岱宗大街, 东岳大街). The statistics bureau's division data has no roads and no road
 * register is packaged offline, so this short list was compiled by hand and kept to names with public
 * evidence: addresses such as 山东农业大学 岱宗大街61号, public traffic and school-district data (青年路,
 * 望岳东路, 东湖路, 龙潭路, 校场街, 财源街), and streets that give their name to a 社区 in the bureau's data
 * (通天街社区, 升平街社区 …). A hall adds its own neighbourhood's roads here.
 */
export const TAIAN_ROADS: readonly string[] = [
  '东岳大街', '岱宗大街', '泰山大街', '灵山大街', '擂鼓石大街', '财源大街',
  '青年路', '龙潭路', '迎胜东路', '红门路', '环山路', '虎山路', '望岳东路', '望岳西路', '东湖路', '温泉路', '文化路', '仓库路',
  '普照寺路', '长城路', '岱道庵路', '天平湖路', '梅山西路',
  '通天街', '升平街', '校场街', '财源街', '市场街', '元宝街', '北新街', '岱东街', '岱西街', '北关街', '车站街', '青山街',
];
