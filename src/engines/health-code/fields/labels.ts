/**
 * Label words read with one wrong character put back (核酸检测 read as 扶酸检测 in an unusual
 * font), and traditional forms the recogniser sometimes picks for simplified ones (測 → 测).
 * Only phrases of four or more characters are repaired, and only one substitution each: too few
 * characters or more errors could turn a value into a label, or one state into another
 * (已完成两针接种 is two characters off 已完成全程接种).
 */

const TRADITIONAL: Record<string, string> = {
  測: '测',
  檢: '检',
  時: '时',
  間: '间',
  碼: '码',
  種: '种',
  場: '场',
  驗: '验',
  針: '针',
  劑: '剂',
  記: '记',
  錄: '录',
  無: '无',
  結: '结',
  陰: '阴',
  陽: '阳',
  態: '态',
  號: '号',
  證: '证',
  報: '报',
  採: '采',
  樣: '样',
  點: '点',
  預: '预',
  約: '约',
  親: '亲',
  區: '区',
  長: '长',
  責: '责',
  強: '强',
  紅: '红',
  綠: '绿',
  黃: '黄',
  張: '张',
  陳: '陈',
  劉: '刘',
  楊: '杨',
  趙: '赵',
  吳: '吴',
};

/** Labels and fixed states of health-code pages. */
const PHRASES = [
  '核酸检测',
  '检测时间',
  '检测结果',
  '采样时间',
  '采集时间',
  '报告时间',
  '核酸结果',
  // Words beside the labels, kept as read: a place code's check (核验) is never repaired into
  // 核酸结果, nor a banner's epidemic (疫情) into 新冠疫苗.
  '核验结果',
  '新冠疫情',
  // …and states and labels a character or two off the ones repaired into (an antigen test is no
  // nucleic-acid test; a booster or two doses are no full course).
  '抗原检测',
  '已完成加强针接种',
  '已完成两针接种',
  '核酸有效期',
  '有效时长',
  '有效期',
  '疫苗接种',
  '新冠疫苗',
  '接种时间',
  '接种日期',
  '最后接种',
  '最近接种',
  '场所名称',
  '当前场所',
  '扫码场所',
  '所在场所',
  '进场时间',
  '入场时间',
  '证件号码',
  '身份证号',
  '用户姓名',
  '更新时间',
  '刷新时间',
  '生成时间',
  '已完成全程接种',
  '已完成加强免疫',
  '已完成基础免疫',
  '未完成全程接种',
  '暂无疫苗接种记录',
  '暂无核酸检测记录',
  '已接种第',
];

/** The labels and fixed states as characters. */
export const PHRASE_CHARS: readonly (readonly string[])[] = PHRASES.map((p) => [...p]);

/** A count of doses as pages write it (已接种3针, 已接种第二剂): one to five. */
export const DOSE_COUNT_CHARS = '1-5一二三四五';
/** 已X种 before a count or a unit (or at the end): always 已接种, the only phrase of that shape. */
const ANY_JIEZHONG = new RegExp(`已[\\u4e00-\\u9fff]种(?=第|\\d|[${DOSE_COUNT_CHARS}]|[针剂]|$)`, 'g');
/** 已X种 (or 已X种第) and a bar, l or I before 针, 剂 or 次: the bar is the count 1. */
const BAR_COUNT = /(已[\u4e00-\u9fff]种第?)[|│丨lI](?=[针剂次])/g;
/** 已接X before a count (已接静2针): 已接种 as well. */
const JIE_ANY = new RegExp(`已接[\\u4e00-\\u9fff](?=第|\\d|[${DOSE_COUNT_CHARS}])`, 'g');

/**
 * Whether a repair may end in `phrase` where `chars[end]` follows (spaces skipped): 已接种第 only
 * before a count (已接种第2针), so that 已接种加强针 is never read as 已接种第强针.
 */
export function endsBefore(phrase: readonly string[], chars: readonly string[], end: number): boolean {
  if (phrase[phrase.length - 1] !== '第') return true;
  let k = end;
  while (k < chars.length && /^\s$/.test(chars[k]!)) k++;
  return COUNT_CHAR.test(chars[k] ?? '');
}
const COUNT_CHAR = new RegExp(`^[${DOSE_COUNT_CHARS}]`);

/** A character's simplified form (the recogniser sometimes picks the traditional one). */
export const simplified = (ch: string): string => TRADITIONAL[ch] ?? ch;

/** 1 for each character inside one of `phrases` read right: a repair never changes those. */
export function phraseMask(chars: readonly string[], phrases: readonly (readonly string[])[]): Uint8Array {
  const mask = new Uint8Array(chars.length);
  for (const p of phrases) {
    for (let i = 0; i + p.length <= chars.length; i++)
      if (p.every((ch, k) => chars[i + k] === ch)) mask.fill(1, i, i + p.length);
  }
  return mask;
}

export function repairLabels(text: string): string {
  let out = '';
  for (const ch of text) out += simplified(ch);
  // 已 read as 己 or 巳 (one stroke's gap apart) before a vaccination state: neither starts one.
  out = out.replace(/(?<!自)[己巳](?=[\u4e00-\u9fff]种|完成)/g, '已');
  // A count of one read as a bar (已接种|剂, 已接种第l针): the only thing between 已接种 and its unit is a count.
  out = out.replace(BAR_COUNT, (_bar, before: string) => `${before}1`);
  out = out.replace(ANY_JIEZHONG, '已接种').replace(JIE_ANY, '已接种');
  const chars = [...out];
  const exact = phraseMask(chars, PHRASE_CHARS);
  for (let i = 0; i < chars.length; i++) {
    // A window one character off exactly one phrase (one off two, e.g. 已/未完成全程接种, is left).
    const fits = PHRASE_CHARS.filter((p) => {
      if (i + p.length > chars.length) return false;
      let wrong = 0;
      for (let k = 0; k < p.length && wrong < 2; k++) {
        if (exact[i + k] || !/[\u3400-\u9fff]/.test(chars[i + k]!)) return false;
        if (chars[i + k] !== p[k]) wrong++;
      }
      return wrong === 1 && endsBefore(p, chars, i + p.length);
    });
    // A shorter phrase counts as a fit but is never written (one wrong of three is a third).
    if (fits.length === 1 && fits[0]!.length >= 4) chars.splice(i, fits[0]!.length, ...fits[0]!);
  }
  return chars.join('');
}
