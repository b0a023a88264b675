/**
 * 211 common Chinese single-character surnames (the hundred commonest and a hundred more): a
 * reading's first character that is none of them is checked against the recogniser's other
 * choices for it (both engines).
 */
const COMMON_SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文',
  ...'施洪牛樊葛邢安齐庞伍耿关兰殷单柯童翟倪俞鲁左管祝包詹欧甘聂柳季申章褚裴梅符华舒卞温鲍屈卓牟窦饶岳练封鞠项阮芦骆柴解宁尚凌苗成巩车商浦萧霍应喻邬焦边辛路宫滕丛贝娄胥蓝桂谷柏储穆宣邰景池匡阳冉乐米纪祁晏鄢蒲臧糜粟幸',
]);

export function isCommonSurname(name: string): boolean {
  return COMMON_SURNAMES.has([...name][0] ?? '');
}
