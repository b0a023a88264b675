/**
 * Name and IDNumber. A name is taken after a name label (姓名, 持码人 …) on its line, to its right
 * or under it; without a label, from a line that is only a masked name (王*一, 张*（本人）) — the
 * title area and member switchers write it so — and last from a masked name run into other words
 * on its line (尊敬的王*一). An ID is a masked number (digits, stars, digits)
 * after an ID label or standing alone, reported in the API's form: first two, 14 stars, last two.
 */
import { TEXT_SYMBOLS, type TextLine, below, restOfRow, retexted, rightOf, sameRow } from './lines.js';
import { isCommonSurname } from '../surnames.js';
import { isHanChar } from '../text.js';
import { MIN_LINE_SCORE, SPACED_GAP, TICK_STAR_MIN_SCORE } from './tuning.js';

/** Name labels; 姓 before a colon with or without one more character is 姓名 with its 名 lost or misread (姓:肖*楠). */
const NAME_LABEL = /(?:用户姓名|持码人|持证人|申领人|申报人|姓名|名字|姓[\u4e00-\u9fff]?(?=\s*:))\s*:?/;
const CJK = String.raw`\u3400-\u9fff`;
/** Suffixes and greetings around a name that are not part of it. */
const NAME_AFFIXES = new RegExp(
  String.raw`^(?:您好|你好|欢迎您|欢迎你|欢迎|亲爱的)[,!]?|[,!]?(?:您好|你好)[,!]?$|,[${CJK}]好[,!]?$|\((?:本人|家人|家属|成员)\)|\([${CJK}]{1,4}\)$|本人$|(?:已实名(?:认证)?|实名认证|已认证|先生|女士|绿码|黄码|红码|健康码|未见异常)$|切换(?:成员|账号|用户|家人)?$|[>›»▼▾]+$|的[${CJK}]{0,4}(?:码|卡)$|的$`,
  'g',
);
/**
 * An icon after a name (an eye toggle, a badge) or before it (an avatar) read as a letter, a
 * digit, a circled number (`①`) or another symbol — never one that is text misread (`王*─` is
 * `王*一`: TEXT_SYMBOLS).
 */
const ICON = String.raw`(?:(?![${TEXT_SYMBOLS}])[0-9A-Za-z\p{No}\p{So}⊙])`;
const ICON_AFTER_NAME = new RegExp(`(?<=[${CJK}*])${ICON}{1,2}$`, 'u');
const ICON_BEFORE_NAME = new RegExp(String.raw`^(?:${ICON}|@){1,2}(?=[${CJK}]{1,2}\*)`, 'u');
const MASKED_NAME = new RegExp(`^[${CJK}]{1,2}\\*{1,3}[${CJK}·]{0,3}$|^\\*{1,2}[${CJK}]{1,2}$`);
const PLAIN_NAME = new RegExp(`^[${CJK}·]{2,5}$`);
/** Words of labels and values that a plain two-to-five character "name" must not hold (证件号码 beside 姓名 in a grid). */
const NOT_A_NAME = /证件|身份|号码|核酸|疫苗|接种|检测|场所|时间|日期|健康|状态|结果|类型|姓名|手机|电话|地址|更新/;

function cleanName(raw: string): string {
  // Affixes come off until none is left: one can stand behind another (王*一女士，您好).
  let name = raw.replace(/\s+/g, '');
  for (let i = 0; i < 3; i++) {
    const shorter = name.replace(NAME_AFFIXES, '');
    if (shorter === name) break;
    name = shorter;
  }
  return name
    .replace(/^[:|,.]+|[:|,.]+$/g, '')
    .replace(ICON_AFTER_NAME, '')
    .replace(ICON_BEFORE_NAME, '');
}

/** A name after a label, masked or plain; "" when what follows is not a name. */
function labelled(lines: readonly TextLine[]): string {
  for (const line of lines) {
    const m = NAME_LABEL.exec(line.text);
    if (!m) continue;
    const after = cleanName(line.text.slice(m.index + m[0].length));
    const candidates = after
      ? [after]
      : [rightOf(lines, line), below(lines, line)].map((l) =>
          l && l.score >= MIN_LINE_SCORE ? cleanName(l.text) : '',
        );
    for (const c of candidates) if (MASKED_NAME.test(c) || (PLAIN_NAME.test(c) && !NOT_A_NAME.test(c))) return c;
    // The name run into what follows it on the label's line (`姓名:王*一性别:男`, `姓名:王*一(44…)`).
    const run = after && embeddedName(beforeId(after));
    if (run) return run;
  }
  return '';
}

/** Two-character surnames: both characters before the star are the surname (欧阳*一). */
const COMPOUND_SURNAME =
  /^(?:欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯|轩辕|令狐|钟离|端木|西门|南宫|独孤|澹台|申屠)$/;
/**
 * Words that follow a name and are none of it (王*的健康码, 王*已实名, 王*先生), and the labels
 * that do on its row (`周*性别:女`: a two-character name before 性别).
 */
const AFTER_NAME_WORD = new RegExp(
  `^(?:的|本人|先生|女士|您|你|已|实名|切换|请|同学|老师|[绿黄红]码|性别|年龄|民族|[男女]\\d|${NOT_A_NAME.source})`,
);

/** Text that starts with what a rule or a divider is read as (TEXT_SYMBOLS). */
const RULE_FIRST = new RegExp(`^[${TEXT_SYMBOLS}]`);

/**
 * A masked name run into other words on its line (`尊敬的王*一`, `用户王*一`, `王*一的核酸检测结果`,
 * `王*一(44…)`, `王*一已核验`): the line's one star run, after a common surname and before at most
 * one more character of the name — a masked name shows one (王*一, 王*) — with at most a
 * greeting's or caption's few characters before the surname (GREETING_PART, never a caption
 * naming something else) and never digits or stars beside the run (an ID's mask), nor a rule's
 * glyph after it (`叶*─` is 叶*一 read no further).
 */
function embeddedName(text: string): string {
  const runs = [...text.matchAll(/\*{1,3}/g)];
  if (runs.length !== 1) return '';
  const at = runs[0]!.index;
  const before = text.slice(0, at);
  const after = text.slice(at + runs[0]![0].length);
  if (/[\d*●•]$/.test(before) || /^[\d*●•]/.test(after)) return '';
  const two = before.slice(-2);
  const surname = COMPOUND_SURNAME.test(two) ? two : before.slice(-1);
  if (!COMPOUND_SURNAME.test(surname) && !(isCommonSurname(surname) && isHanChar(surname))) return '';
  const caption = before.slice(0, -surname.length).replace(/[,:]$/, '');
  if (caption && !(GREETING_PART.test(caption) && !NOT_A_NAME.test(caption) && !OTHER_CAPTION.test(caption))) return '';
  const given = isHanChar(after[0] ?? '') && !AFTER_NAME_WORD.test(after) ? after[0]! : '';
  if (RULE_FIRST.test(after.slice(given.length))) return '';
  return `${surname}${runs[0]![0]}${given}`;
}

/**
 * Boxes of one letter-spaced name (王 * 一 set wide apart, each detected alone): a box of one
 * character or a star joined with its same-row neighbours within a glyph's width or so.
 */
function spacedNames(lines: readonly TextLine[]): TextLine[] {
  const short = lines.filter((l) => l.score >= MIN_LINE_SCORE && /^(?:[\u3400-\u9fff]|\*{1,3})$/.test(l.text));
  const out: TextLine[] = [];
  for (const first of short) {
    if (
      short.some((o) => o !== first && sameRow(o, first) && o.x1 <= first.x0 && first.x0 - o.x1 < SPACED_GAP * first.h)
    )
      continue;
    let joined = first;
    for (;;) {
      const next = short.find(
        (o) =>
          o !== joined &&
          sameRow(o, joined) &&
          o.x0 >= joined.x1 - 0.2 * joined.h &&
          o.x0 - joined.x1 < SPACED_GAP * joined.h,
      );
      if (!next) break;
      joined = {
        ...joined,
        text: joined.text + next.text,
        x1: next.x1,
        y0: Math.min(joined.y0, next.y0),
        y1: Math.max(joined.y1, next.y1),
        h: Math.max(joined.h, next.h),
      };
    }
    if (joined !== first) out.push(joined);
  }
  return out;
}

/**
 * A line that is nothing but a masked name: the one marked 本人 first, else the largest. When the
 * line marked 本人 lost its star (万(本人)), no other name is taken: the others on a member
 * switcher are other people (the reader re-reads that line, SELF_MARK). Last, a masked name run
 * into other words on its line (embeddedName), the tallest such line's.
 */
function unlabelled(lines: readonly TextLine[]): string {
  const readable = [...lines, ...spacedNames(lines)].filter((l) => l.score >= MIN_LINE_SCORE);
  const found = readable
    .map((l) => ({ line: l, name: maskedPart(cleanName(beforeId(l.text))), self: SELF_MARK.test(l.text) }))
    .filter((c) => MASKED_NAME.test(c.name));
  found.sort((a, b) => Number(b.self) - Number(a.self) || b.line.h - a.line.h || a.line.y0 - b.line.y0);
  if (found[0]?.self) return found[0].name;
  const starless = readable
    .map((l) => (SELF_MARK.test(l.text) ? cleanName(l.text) : ''))
    .find((n) => STARLESS_NAME.test(n));
  // A lone common surname marked 本人 is a masked name whose star was lost (万(本人) → 万*): no
  // name is one character. Anything longer could have lost its star anywhere: no name.
  if (starless) return [...starless].length === 1 && isCommonSurname(starless) ? `${starless}*` : '';
  if (found[0]) return found[0].name;
  // Last, a masked name run into other words on its line: the tallest such line's.
  const run = readable
    .map((l) => ({ line: l, name: embeddedName(beforeId(l.text)) }))
    .filter((c) => c.name)
    .sort((a, b) => b.line.h - a.line.h || a.line.y0 - b.line.y0);
  return run[0]?.name ?? '';
}

/**
 * The mark of the account holder's own entry on a member switcher: 王*一(本人), or 王*一本人 (never
 * 请出示本人); its 本 lost in the brackets (`金举(人)`) or misread as any other character (年, 南,
 * 木 …) — never as one that makes another word for a person (家人, 爱人, 亲人, 个人, 老人 …).
 */
export const SELF_MARK = /\((?![家爱亲个老成他友夫女男病客工主])[\u3400-\u9fff]?人\)|\*[\u3400-\u9fff]{0,2}本人$/;
const STARLESS_NAME = new RegExp(`^[${CJK}]{1,3}$`);

/**
 * What a greeting or a short caption around a name leaves between the commas or before the
 * colon: a few characters or a Latin word (`Hi`), no star, no digit.
 */
const GREETING_PART = new RegExp(`^(?:[${CJK}!]{0,4}|[A-Za-z]{1,5}!?)$`);

/**
 * Captions that name a place, a business or another person's role (`商户名称：王*记`,
 * `核验人：王*一`): what follows them is no holder's name.
 */
const OTHER_CAPTION = /名称|商户|门店|店铺|单位|机构|地点|核验|采样|检测|人员|工作|联系|监护|家属|家人|代办/;

/**
 * A masked name, or the one part of the text between commas or after a colon that is one when the
 * others are a greeting's or a caption's few characters: a greeting misread beyond recognition
 * (`欢迎您,王*` read as `欢还焦,王*`) still sets the name off with its comma, and a caption the
 * labels do not know with its colon (`用户:王*一`, `扫码人:王*一`, `Hi,王*一`) — never a caption
 * naming something else (`场所:`, NOT_A_NAME; `商户名称:`, OTHER_CAPTION).
 */
function maskedPart(text: string): string {
  if (MASKED_NAME.test(text)) return text;
  const parts = text.split(/[,:]/);
  const names = parts.filter((p) => MASKED_NAME.test(p));
  const greeting = (p: string) => GREETING_PART.test(p) && !NOT_A_NAME.test(p) && !OTHER_CAPTION.test(p);
  return names.length === 1 && parts.every((p) => p === names[0] || greeting(p)) ? names[0]! : text;
}

/** A line that shows the name and then the masked ID (王*一 35**************01): the part before the ID. */
function beforeId(text: string): string {
  const id = /\d{1,6}[*●•]{2,}/.exec(text);
  return id && id.index > 0 ? text.slice(0, id.index) : text;
}

/**
 * A mask's star read as a tick or a quotation mark after a character (`尊敬的贺'`: a small raised
 * star at the end of a line; IDs' small stars are read as such marks too, MASK_GLYPHS), never
 * before a digit: no name holds one.
 */
const TICK_STAR = new RegExp(`(?<=[${CJK}])['‘’′"“”](?!\\d)`, 'g');
function withStars(line: TextLine): TextLine {
  if (line.score < TICK_STAR_MIN_SCORE) return line;
  const text = line.text.replace(TICK_STAR, '*');
  return text === line.text ? line : retexted(line, text);
}

export function findName(input: readonly TextLine[]): string {
  const lines = input.map(withStars);
  return labelled(lines) || unlabelled(lines);
}

export const ID_LABEL = /(?:证件号码|证件号|身份证号码|身份证号|身份证件|身份证|证件)\s*:?/;
/** Head digits, a masked run (stars, or look-alikes such as x and dots), tail digits. */
const MASKED_ID = /(\d{1,6})\s*[*xX●•·.。'"`′‘’“”^°\s]{2,}\s*(\d{0,4}[\dXx])$/;
/** Never a clock's minutes before it (13:43) nor a percentage after it (40%: a battery). */
const STANDALONE_ID = /(?<![\d*●•:])(\d{2,6})([*●•\s]{2,})(\d{0,4}[\dXx])(?![\dA-Za-z*●•%])/g;

export const PHONE_LABEL = /手机|电话|联系方式/;
/**
 * A masked mobile number (`手机号 138****5678`) is no ID: it is labelled as a phone, or has a
 * mobile head (1[3-9]x) and four tail digits around a mask of six or fewer (an ID masks 8 or more).
 */
function isPhoneNumber(before: string, head: string, mask: string, tail: string): boolean {
  // The label is what stands between the number and the digits or stars before it.
  if (PHONE_LABEL.test(before.replace(/.*[\d*●•]/, ''))) return true;
  return /^1[3-9]\d$/.test(head) && /^\d{4}$/.test(tail) && mask.replace(/\s/g, '').length <= 6;
}

/** A lone digit inside a star run is a misread star (32*5*****426 → 32*******426); a mark after the tail digits is an icon or noise (…74* → …74). */
function starNoise(text: string): string {
  return text.replace(/(?<=\*)\d(?=\*)/g, '*').replace(/(?<=\*\d{1,3}[\dXx])[*●•](?=\s|$)/g, '');
}

/** The first two digits of a resident ID are a province's code (GB/T 2260; 81–83 on residence permits): others are misread digits. */
const PROVINCE_CODE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/;

function normaliseId(head: string, tail: string): string {
  if (head.length < 2 || tail.length < 2 || !PROVINCE_CODE.test(head)) return '';
  return `${head.slice(0, 2)}${'*'.repeat(14)}${tail.slice(-2).toUpperCase()}`;
}

/** Letters the recogniser gives for digits next to a mask (S1 for 51, O for 0). */
const DIGIT_LOOKALIKES: Record<string, string> = {
  '/': '1',
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  '|': '1',
  i: '1',
  Z: '2',
  z: '2',
  S: '5',
  s: '5',
  B: '8',
  b: '6',
  G: '6',
  g: '9',
  q: '9',
};
const asDigits = (text: string) =>
  text.replace(/\s+/g, '').replace(/[/ODQIl|iZzSsBbGgq]/g, (c) => DIGIT_LOOKALIKES[c]!);

/**
 * The mask glyph each side keeps, as read: a star (or 米, its look-alike), or a dot read as a
 * dot, a tick or a dash, or a small star read as a double tick or a quotation mark (`51"`).
 */
const MASK_GLYPHS = '[*米.·\'`\\-"“”‘’′″]';
const HEAD_DIGITS = new RegExp(`(\\d{2,})(${MASK_GLYPHS}*)$`);
const TAIL_DIGITS = new RegExp(`^(${MASK_GLYPHS}*)(\\d{1,4}[\\dXx])`);

/**
 * An ID from the text on each side of its mask, each read on its own (the mask found in pixels,
 * `stars` glyphs long, up to `slack` either way when stars that touched were counted): the
 * head's last digits and the tail's first; "" unless both hold two and, with the mask, make the
 * 18 characters of an ID card number (a misread digit count means a misread digit; every head
 * digit read counts, so a digit too many never shifts which two are taken). Each side's crop
 * keeps one mask glyph at its inner end: a side that read none there and one digit too many
 * read that glyph as the digit (`114` before 14 stars and `62`), which is left out of the count
 * (the ID keeps the head's first two digits and the tail's last two either way); a side that read
 * more than one holds stars the run did not count (`4156*` and `**9671` around 9: 10 stars) —
 * more than two where touching stars were counted (their crops end or start a star and a half
 * into the run, so a second star read may be one of the run's).
 */
export function idFromParts(head: string, tail: string, stars: number, slack = 0): string {
  const h = HEAD_DIGITS.exec(asDigits(head));
  const t = TAIL_DIGITS.exec(asDigits(tail));
  if (!h || !t) return '';
  const [headDigits, headMask] = [h[1]!, h[2]!];
  const [tailMask, tailDigits] = [t[1]!, t[2]!];
  const off = headDigits.length + stars + tailDigits.length - 18;
  if (Math.abs(off) <= slack) return normaliseId(headDigits, tailDigits);
  if (off === slack + 1 && !headMask && headDigits.length > 2) return normaliseId(headDigits.slice(0, -1), tailDigits);
  if (off === slack + 1 && !tailMask && tailDigits.length > 2) return normaliseId(headDigits, tailDigits.slice(1));
  // More than the one mask glyph read in a crop: the run found in the pixels left those out (its
  // first stars faint, or touching).
  const kept = slack ? 2 : 1;
  const missed = Math.max(0, headMask.length - kept) + Math.max(0, tailMask.length - kept);
  if (missed && Math.abs(off + missed) <= slack) return normaliseId(headDigits, tailDigits);
  return '';
}

export function findId(lines: readonly TextLine[]): string {
  for (const line of lines) {
    const m = ID_LABEL.exec(line.text);
    if (!m) continue;
    // The value may be split into boxes where the star run was too faint to detect: a gap
    // between the head and the tail stands for the stars.
    const parts = [line.text.slice(m.index + m[0].length), ...restOfRow(lines, line).map((l) => l.text)];
    const joined = parts
      .map((p) => p.replace(/\s+/g, ''))
      .filter(Boolean)
      .join(' ');
    const id = MASKED_ID.exec(starNoise(joined).replace(/\s+(?=\d)/g, '  '));
    const masked = id ? normaliseId(id[1]!, id[2]!) : '';
    if (masked) return masked;
    const full = /(\d{17}[\dXx])/.exec(joined.replace(/\s+/g, ''));
    const whole = full ? normaliseId(full[1]!.slice(0, 2), full[1]!.slice(-2)) : '';
    if (whole) return whole;
  }
  // Without a label: a masked run on one row, possibly split into boxes around faint stars. Every
  // row as read first, then without its poorly read boxes (moiré between a split ID's halves read
  // as 出8) — a phone label is kept however it was read.
  for (const dropPoor of [false, true]) {
    for (const line of lines) {
      if (line.score < MIN_LINE_SCORE || !/[*●•]/.test(line.text)) continue;
      const row = [
        ...lines.filter((l) => l !== line && sameRow(l, line) && l.x1 <= line.x0 + line.h),
        line,
        ...restOfRow(lines, line),
      ];
      const parts = dropPoor ? row.filter((l) => l.score >= MIN_LINE_SCORE || PHONE_LABEL.test(l.text)) : row;
      if (dropPoor && parts.length === row.length) continue;
      const joined = starNoise(parts.map((l) => l.text.replace(/\s+/g, '')).join('  '));
      for (const m of joined.matchAll(STANDALONE_ID)) {
        const id =
          /[*●•]/.test(m[2]!) &&
          (/[*●•]{4,}/.test(m[2]!) || /\s/.test(m[2]!)) &&
          !isPhoneNumber(joined.slice(0, m.index), m[1]!, m[2]!, m[3]!)
            ? normaliseId(m[1]!, m[3]!)
            : '';
        if (id) return id;
      }
    }
  }
  return '';
}

/** Whether a line read again (`again`) lost the 本人 mark its first reading had (`黄杰(本人)` → `黄杰(本`). */
export function losesSelfMark(first: string, again: string): boolean {
  return SELF_MARK.test(first) && !SELF_MARK.test(again);
}

/**
 * Whether a name line read again with room (`again`) may replace the name read first: a
 * surname-and-star name only by one that starts the same way and goes on with a character (the
 * thin 一 left out of the box; a mark in a photo read as one more star is no name's); any other
 * (none, or one without its surname) by any name.
 */
export function mayReplaceName(first: string, again: string): boolean {
  if (!/^[^*]\*$/.test(first)) return true;
  const more = again.startsWith(first) ? again.slice(first.length).replace(/\*/g, '') : '';
  return /^[\u3400-\u9fff]/.test(more);
}
