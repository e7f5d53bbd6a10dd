/**
 * Surnames and given-name characters for the pinyin engine's name reading (王秀英, 欧阳明, 亓家豪):
 * citizens type names more than anything else at a kiosk, and a general lexicon ranks 为 far above 伟.
 *
 * Sources (no machine-readable edition is published; these lists were typed from them and reviewed):
 * - Surnames: the order of 公安部户政管理研究中心《2020年全国姓名报告》's 百家姓 ranking for the first
 *   hundred, then further 《百家姓》 surnames common in Shandong (亓, 逄, 衣, 鞠, 栾, 隋, 宫, 邴 …) and the
 *   compound surnames (复姓) still in use. Readings come from pinyin-pro's surname mode (单 shàn, 解 xiè,
 *   仇 qiú, 区 ōu, 朴 piáo), never from the general reading of the character.
 * - Given-name characters: the characters of the most frequent given names in the same reports (the
 *   top names for each birth decade: 秀英, 桂兰, 淑珍, 建国, 建华, 丽, 伟, 芳, 敏, 静, 浩然, 子轩, 梓涵,
 *   一诺 …), most frequent first.
 */

/** Surnames, most frequent first (rank order is their weight). */
export const SURNAMES: readonly string[] = [
  ...'王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐宋许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤',
  ...'康易乔赖文施洪辛柯庄牛樊葛邢安齐伍庞颜倪聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柴纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游靳管柏景宗桂房滕解车苑商时卜牟巩',
  ...'亓逄衣鞠栾隋宫邴仇慕郗尉么初宿蔺臧褚荣卞皮刁吉扈都楚',
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '钟离', '端木', '南宫', '西门', '呼延', '澹台', '申屠', '闻人',
];

/** Characters of given names, most frequent first. */
export const GIVEN_NAME_CHARACTERS: readonly string[] = [
  ...'英华玉秀明兰丽伟芳敏静军平桂红国建志海金春云霞荣凤梅强杰燕娟艳勇磊涛超刚辉鹏丹萍玲洋波斌宇浩',
  ...'文淑珍琴彬亮健飞东新利生福德庆祥兴忠贵宝喜秋冬莲芬菊爱翠彩美珠琳颖婷雪倩慧悦宏峰林成',
  ...'轩涵梓子欣怡雨晨诗佳嘉思一家俊博宁然泽睿豪诺铭哲瑞晴萱彤妍可馨紫晓小瑶琪雅婉若依雯璐',
  ...'振永长世立广先民清正良善安乐学义勤龙虎鑫森江河山川田光耀昊天航阳帆远',
  ...'娜莹蕾薇蓉芸茜岚莉娅婕媛姣娇嫣妮姗婧媚琼瑾璇瑜琦琰璟珊瑛蓓',
];
