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

/**
 * The least probability a common surname among the choices needs to replace the reading
 * (PP-OCR engine: paddle/surname.ts, paddle/reads.ts). Measured on the development faces: the
 * fixes' choices had 0.02–0.47 (杜 for 松 at 0.021), and rare surnames read right were changed at
 * 0.04–0.13 — no threshold separates them; 9 of 326 such readings changed at this one; with
 * pooled choices, on whole pages of 106 rarer surnames, 371 of 530 read right against 368 with the
 * second reading alone (docs/health-code.md).
 */
export const SURNAME_CHOICE_PROB = 0.02;
