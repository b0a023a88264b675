/**
 * Label words read with several wrong characters in a hard face (`当前场所` read as `当前杨丽`,
 * `场所名称` as `杨巫名你`) put back with the recogniser's own other choices: a run of characters
 * is taken for a label phrase of four or more characters when at least half of them were read
 * right (one at least; the others of that half all but chosen, NEAR_CHOICE_PROB) and each of the
 * others had the phrase's character among its likeliest choices (with at least
 * LABEL_CHOICE_PROB), no other phrase fits there as well and no character of it lies in a phrase
 * read right. Such phrases are put back first; then, over what they leave, one character
 * in four may be one the recogniser never considered (a brush face's 所, never among the choices
 * of the 丽 or 灭 it is read as), as repairLabels in fields/labels.ts mends one wrong character
 * without choices.
 */
import { DOSE_COUNT_CHARS, PHRASE_CHARS, endsBefore, phraseMask, simplified } from '../fields/labels.js';
import type { RecognizedChar } from './recognize.js';

/**
 * Choices kept per character of a page's lines (the recogniser's likeliest at its best step):
 * in the hard faces the right character of a misread label was within the first five (场 for 杨
 * second, 所 for 丽 fifth); more choices only admit more coincidences.
 */
export const LABEL_CHOICES = 5;
/**
 * The least probability a choice needs to stand for a phrase's character: the right ones seen in
 * misread labels had 0.08–0.2; below a few hundredths a choice is the recogniser's noise.
 */
const LABEL_CHOICE_PROB = 0.03;

/**
 * A choice this likely counts as read right towards the half of a phrase that must be (at least
 * one character still read right): the recogniser all but chose it (a brush face's `杨灭名你` for
 * 场所名称, 场 second at 0.36–0.46 and 称 at 0.33–0.36, 所 never considered).
 */
const NEAR_CHOICE_PROB = 0.25;

/**
 * Characters of a label phrase that may be neither read right nor among the choices: one in four
 * (at least one, as in repairLabels; two of four would let 采样时间 stand for any 采x时x), two of
 * an eight-character notice (`暂元扶破拾测记录`: 核 and 酸 never considered in a brush face).
 */
const maxUnsupported = (length: number) => Math.max(1, Math.floor(length / 4));

/** A CJK character (one a phrase's may have been misread as). */
const CJK = /[\u3400-\u9fff]/;

const LONG_PHRASES = PHRASE_CHARS.filter((p) => p.length >= 4);

/** A choice of `char` that `accepts`, given at least LABEL_CHOICE_PROB (the likeliest such). */
const choiceOf = (char: RecognizedChar, accepts: (text: string) => boolean) =>
  char.alts?.find((a) => a.prob >= LABEL_CHOICE_PROB && accepts(a.text));

export function repairWithChoices(chars: readonly RecognizedChar[]): string {
  const out = chars.map((c) => c.text);
  const read = [...out]; // as read: `out` is repaired in place
  // First the phrases whose every other character had the phrase's among its choices; then, over
  // what those leave, the ones with a few characters the recogniser never considered.
  mendPhrases(chars, read, out, () => 0);
  mendPhrases(chars, read, out, maxUnsupported);
  // A count of doses ends in its unit, 针 or 剂 (已接种第2针): a misread unit (`已接种第2计`) is
  // put back when one of them is among the character's choices.
  for (let i = 1; i < out.length; i++) {
    if (DOSE_UNITS.includes(out[i]!) || !DOSE_COUNT.test(out.slice(Math.max(0, i - 5), i).join(''))) continue;
    const unit = choiceOf(chars[i]!, (t) => DOSE_UNITS.includes(t));
    if (unit) out[i] = unit.text;
  }
  // A negative result whose first character was misread (阴性 as 明性: the two share their 月):
  // the character before 性 is read 阴 when 阴 is among its choices and 阳 is not (明 shares its
  // 日 with 阳: where the recogniser considered 阳 too, the reading stands). Never the other way:
  // a positive result is reported only as read (fields/status.ts).
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i + 1] !== '性' || out[i] === '阴' || out[i] === '阳') continue;
    if (choiceOf(chars[i]!, (t) => t === '阴') && !choiceOf(chars[i]!, (t) => t === '阳')) out[i] = '阴';
  }
  // Its second character misread after a 阴 read right (阴性 as 阴生, 阴牲): read 性 when 性 is among
  // its choices, where a result stands — first on its line, after a mark or after the word before
  // a result (核酸, 结果, 检测) — never inside a place's name (江阴, 淮阴).
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i] !== '阴' || out[i + 1] === '性') continue;
    if (i > 0 && CJK.test(out[i - 1]!) && !RESULT_BEFORE.includes(out[i - 1]!)) continue;
    if (choiceOf(chars[i + 1]!, (t) => t === '性')) out[i + 1] = '性';
  }
  // An interval's h misread as another letter (`48k`, h among its choices at 0.05): a letter that
  // ends a number of two or three digits standing on its own (no star, digit or letter before it:
  // never an ID's X, `…31X`) is read h when h is among its choices.
  for (let i = 2; i < out.length; i++) {
    if (!/^[A-GI-WYZa-gi-wyz]$/.test(out[i]!) || /^[A-Za-z]$/.test(out[i + 1] ?? '')) continue;
    const before = out.slice(Math.max(0, i - 4), i).join('');
    if (!/(?:^|[^\d*A-Za-z])\d{2,3}$/.test(before)) continue;
    if (choiceOf(chars[i]!, (t) => t === 'h')) out[i] = 'h';
  }
  // A clock's minutes or seconds past 59 (`06:51:96`, a 4 read as 9): the tens digit of two after
  // a colon with a digit before it (never a label's colon: `证件号码:61…`, `核酸:72小时`) put back to
  // the likeliest of 0–5 among its choices. Nothing says which digit of an hour past 23 is wrong:
  // it stays.
  const isDigitAt = (i: number) => /^\d$/.test(out[i] ?? '');
  for (let i = 1; i + 2 < out.length; i++) {
    if (
      !COLONS.includes(out[i]!) ||
      !isDigitAt(i - 1) ||
      !/^[6-9]$/.test(out[i + 1]!) ||
      !isDigitAt(i + 2) ||
      isDigitAt(i + 3)
    )
      continue;
    const digit = choiceOf(chars[i + 1]!, (t) => /^[0-5]$/.test(t));
    if (digit) out[i + 1] = digit.text;
  }
  return out.join('');
}

/**
 * Label phrases put back in `out` where at least half of one was read right and every other
 * character had the phrase's among its choices, but for at most `allowed(length)` characters of
 * it (`read`: the line as read, for where a phrase may end).
 */
function mendPhrases(
  chars: readonly RecognizedChar[],
  read: readonly string[],
  out: string[],
  allowed: (length: number) => number,
): void {
  // Characters inside a phrase read right, or put right before, are never changed (已完成全程接种
  // never becomes 未…).
  const kept = phraseMask(out.map(simplified), LONG_PHRASES);
  for (let i = 0; i < out.length; i++) {
    // Each phrase that fits here, with its characters neither read right nor among the choices.
    const fits: { p: readonly string[]; unsupported: number }[] = [];
    for (const p of LONG_PHRASES) {
      if (i + p.length > chars.length || !endsBefore(p, read, i + p.length)) continue;
      const most = allowed(p.length);
      let exact = 0;
      let near = 0;
      let unsupported = 0;
      for (let k = 0; k < p.length && unsupported <= most; k++) {
        const c = chars[i + k]!;
        if (simplified(out[i + k]!) === p[k]) exact++;
        else if (kept[i + k]) unsupported = Number.POSITIVE_INFINITY;
        else {
          const choice = choiceOf(c, (t) => simplified(t) === p[k]);
          if (!choice) unsupported += CJK.test(c.text) ? 1 : Number.POSITIVE_INFINITY;
          else if (choice.prob >= NEAR_CHOICE_PROB) near++;
        }
      }
      if (exact < p.length && exact > 0 && 2 * (exact + near) >= p.length && unsupported <= most)
        fits.push({ p, unsupported });
    }
    // The phrases that fit best; one of them alone is taken (己完成全程接种 with 已 among 己's
    // choices is 已完成…, not 未完成… with its first character unsupported).
    const least = Math.min(...fits.map((f) => f.unsupported));
    const best = fits.filter((f) => f.unsupported === least);
    if (best.length === 1) {
      const p = best[0]!.p;
      out.splice(i, p.length, ...p);
      i += p.length - 1;
    }
  }
}

/** The last characters of the words a test result follows on its line (核酸, 结果, 检测). */
const RESULT_BEFORE = ['酸', '果', '测'];

/** A clock's colon as the recogniser gives it. */
const COLONS = [':', '：', '∶'];

/** The units a count of doses is written with (已接种3针, 已接种第2剂). */
const DOSE_UNITS = ['针', '剂'];
/**
 * 已接种 (its 已 perhaps read as 己 or 巳, fields/labels.ts) and a count of doses (one to five, as
 * VACC_STATE in fields/status.ts), at the end of the text before the unit.
 */
const DOSE_COUNT = new RegExp(`[已己巳]接种第?[${DOSE_COUNT_CHARS}]$`);
