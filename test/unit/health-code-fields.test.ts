import { describe, expect, it } from 'vitest';
import {
  extractFromLines,
  isHealthCodePage,
  normaliseText,
  type TextLine,
} from '../../src/engines/health-code/fields/index.js';
import { repairLabels } from '../../src/engines/health-code/fields/labels.js';
import { classify } from '../../src/engines/health-code/fields/context.js';
import { idFromParts } from '../../src/engines/health-code/fields/person.js';

/** A line of text at (x, y) with a glyph height h; width from its characters. */
function line(text: string, x: number, y: number, h = 40, score = 0.98): TextLine {
  return { text: normaliseText(text), x0: x, y0: y, x1: x + [...text].length * h * 0.9, y1: y + h, h, score };
}

describe('layout-free extraction', () => {
  it('reads a labelled page: every field from its label, wherever the label is', () => {
    const f = extractFromLines([
      line('北京健康宝', 400, 100),
      line('姓名：王*一', 80, 300),
      line('证件号码：11**************01', 80, 360),
      line('01-08 17:05:05', 300, 450, 60),
      line('核酸检测', 80, 1300),
      line('阴性', 600, 1300),
      line('48小时', 800, 1300),
      line('检测时间：2022-01-15 22:52', 80, 1380),
      line('疫苗接种', 80, 1480),
      line('已完成全程接种', 600, 1480),
      line('接种日期：2021-07-25', 80, 1560),
      line('场所名称：国家图书馆', 80, 1640),
    ]);
    expect(f).toEqual({
      Name: '王*一',
      IDNumber: '11**************01',
      Time: '01-08 17:05:05',
      Color: '',
      TestingInterval: '48小时',
      TestingResult: '阴性',
      TestingTime: '2022-01-15 22:52',
      Vaccination: '已完成全程接种',
      SpotName: '国家图书馆',
      VaccinationTime: '2021-07-25',
    });
  });

  it('takes an unlabelled masked name, prefers the member marked 本人 and drops the suffix', () => {
    const f = extractFromLines([
      line('健康码', 400, 100),
      line('杨*', 480, 290),
      line('徐*娜（本人）', 110, 290),
      line('+添加', 660, 290),
    ]);
    expect(f.Name).toBe('徐*娜');
  });

  it('takes no other member when the line marked 本人 lost its star', () => {
    const self = (tab: string) =>
      extractFromLines([line('健康码', 400, 100), line(tab, 110, 290), line('陈*明', 480, 420, 44)]).Name;
    // A lone common surname is the masked name whose star was lost; anything else gives no name.
    expect(self('徐(本人)')).toBe('徐*');
    expect(self('徐娜(本人)')).toBe('');
    expect(self('伟(本人)')).toBe('');
    // Its 本 lost or misread in the brackets is still the mark; a family member's is not.
    expect(self('金举(人)')).toBe('');
    expect(self('金(木人)')).toBe('金*');
    expect(self('金举(家人)')).toBe('陈*明');
    expect(self('余(年人)')).toBe('余*');
    // Other words for a person in brackets are no such mark.
    expect(self('金举(爱人)')).toBe('陈*明');
    expect(self('金举(亲人)')).toBe('陈*明');
    expect(self('健康码(个人)')).toBe('陈*明');
    // A notice that mentions 本人 is no member tab.
    const notice = extractFromLines([
      line('健康码', 400, 100),
      line('请出示本人', 110, 600),
      line('陈*明', 480, 420, 44),
    ]);
    expect(notice.Name).toBe('陈*明');
  });

  it('joins a date on one line with the clock under it; an entry time is never the code time', () => {
    const f = extractFromLines([
      line('场所码', 450, 120),
      line('进场时间', 80, 590),
      line('2022-11-07 02:39', 360, 597),
      line('2022年11月07日(周一)', 400, 730, 44),
      line('07:38:28', 360, 797, 72),
    ]);
    expect(f.Time).toBe('11-07 07:38:28');
    expect(f.TestingTime).toBe('');
  });

  it('reads a date-time whose space before the clock was read as a colon, never the day cut short', () => {
    const f = extractFromLines([
      line('健康码', 400, 100),
      line('核酸检测 阴性', 60, 200),
      line('采样时间:2022-11-15:08:11', 60, 250),
    ]);
    expect(f.TestingTime).toBe('2022-11-15 08:11');
    // A clock alone, or a date with a colon and no clock after it, is no date-time.
    const g = extractFromLines([
      line('健康码', 400, 100),
      line('核酸检测 阴性', 60, 200),
      line('编号:11-15:08', 60, 250),
    ]);
    expect(g.TestingTime).toBe('');
    expect(g.Time).toBe('');
  });

  it('takes a Han character between 年 and 日 for a misread 月, never a weekday after the date', () => {
    const page = (text: string) => extractFromLines([line('健康码', 400, 100), line(text, 300, 850, 60)]).Time;
    expect(page('2022年03周18日18:51:58')).toBe('03-18 18:51:58');
    expect(page('2022年02风02日07:05:41')).toBe('02-02 07:05:41');
    expect(page('2022年03周18日(周五)18:51:58')).toBe('03-18 18:51:58');
    expect(page('2022年10月26日(周三)17:05:05')).toBe('10-26 17:05:05');
    // Without the 年 … 日 frame another character is no month.
    expect(page('03周18 18:51:58')).toBe('');
  });

  it('joins a clock with the date after it: on its line, or beside it on its row', () => {
    const page = (...extra: TextLine[]) => extractFromLines([line('健康码', 400, 100), ...extra]).Time;
    expect(page(line('14:23:05 2022-10-26', 250, 850, 44))).toBe('10-26 14:23:05');
    // The space between them lost in recognition: the seconds run into the year.
    expect(page(line('16:29:142022-09-07', 250, 850, 44))).toBe('09-07 16:29:14');
    expect(page(line('15:38:3006月08日', 250, 850, 44))).toBe('06-08 15:38:30');
    expect(page(line('14:23:05', 200, 850, 80), line('10月26日', 800, 880, 30))).toBe('10-26 14:23:05');
    // A clock without seconds and the date after it on its line: a test time.
    const test = extractFromLines([
      line('健康码', 400, 100),
      line('核酸检测', 80, 1200, 36),
      line('阴性', 100, 1250, 70),
      line('采样时间 08:30 2022-10-24', 80, 1340, 30),
    ]);
    expect(test.TestingTime).toBe('2022-10-24 08:30');
    // Not with a word between them on its line, nor with a date far along its row.
    expect(page(line('14:23:05 截至 2022-10-26', 250, 850, 44))).toBe('');
    expect(page(line('14:23:05', 200, 850, 80), line('10月26日', 1100, 880, 30))).toBe('');
  });

  it('reads a clock written with 时, 分 and 秒, for the code and for a test', () => {
    const f = extractFromLines([
      line('健康码', 400, 100),
      line('2022年10月26日 14时23分05秒', 250, 850, 60),
      line('核酸检测', 80, 1200, 36),
      line('阴性', 100, 1250, 70),
      line('采样时间:2022年10月24日 8时30分', 80, 1340, 30),
    ]);
    expect(f.Time).toBe('10-26 14:23:05');
    expect(f.TestingTime).toBe('2022-10-24 08:30');
    // An interval's 小时 is no clock.
    expect(extractFromLines([line('健康码', 400, 100), line('48小时内 阴性', 300, 850, 40)]).Time).toBe('');
  });

  it('joins a month and day standing alone over a clock (01-08 over 17:05:05), never a month-day inside a line', () => {
    const page = (date: string) =>
      extractFromLines([line('粤康码', 400, 100), line(date, 300, 850, 60), line('17:05:05', 300, 920, 60)]).Time;
    expect(page('01-08')).toBe('01-08 17:05:05');
    expect(page('编号 01-08')).toBe('');
    // Not what is left of a line once its other dates are taken, nor a box read poorly or with a dot.
    expect(page('12-25 10:30 01-08')).toBe('');
    expect(page('08.30')).toBe('');
    const poor = [line('粤康码', 400, 100), line('01-08', 300, 850, 60, 0.3), line('17:05:05', 300, 920, 60)];
    expect(extractFromLines(poor).Time).toBe('');
  });

  it('reads an interval box: a big number with 小时 under it', () => {
    const f = extractFromLines([
      line('核酸结果', 140, 1190),
      line('阴性', 150, 1290, 70),
      line('48', 530, 1300, 90),
      line('小时', 550, 1405, 45),
    ]);
    expect(f.TestingInterval).toBe('48小时');
    expect(f.TestingResult).toBe('阴性');
  });

  it('takes intervals of whole days only: a separator bar read as a leading 1 dropped, another number not guessed', () => {
    const interval = (text: string) =>
      extractFromLines([line('核酸检测', 140, 1190), line(text, 150, 1290)]).TestingInterval;
    expect(interval('阴性|72小时')).toBe('72小时');
    expect(interval('阴性148小时')).toBe('48小时');
    expect(interval('阴性 168小时')).toBe('168小时');
    expect(interval('阴性 12小时')).toBe('');
    expect(interval('阴性 2小时')).toBe('');
  });

  it('reads a dose count set apart from its label 已接种: beside it, under it or over it', () => {
    const vacc = (...extra: TextLine[]) => extractFromLines([line('健康码', 400, 100), ...extra]).Vaccination;
    expect(vacc(line('已接种', 600, 1300, 30), line('3针', 600, 1345, 50))).toBe('已接种3针');
    expect(vacc(line('3针', 600, 1300, 60), line('已接种', 600, 1370, 30))).toBe('已接种3针');
    expect(vacc(line('已接种:', 100, 1300, 36), line('第2剂', 400, 1300, 36))).toBe('已接种第2剂');
    // The label with one character misread, but for its 已 (never 未).
    expect(vacc(line('已接秘', 600, 1300, 30), line('2针', 600, 1345, 50))).toBe('已接种2针');
    expect(vacc(line('未接种', 600, 1300, 30), line('2针', 600, 1345, 50))).toBe('');
    // A count with no 已接种 beside it is no state (a heading over it says nothing of doses taken).
    expect(vacc(line('新冠疫苗', 100, 1300, 36), line('3针', 100, 1345, 36))).toBe('');
    expect(vacc(line('已接种', 600, 1300, 30), line('3针', 600, 1600, 50))).toBe('');
  });

  it('reads a dose count under a vaccination card heading, and a test result written 无结果', () => {
    const f = extractFromLines([
      line('湖北健康码', 280, 70),
      line('核酸结果', 80, 730, 30),
      line('新冠疫苗接种', 520, 736, 26),
      line('无结果', 72, 798, 45),
      line('已接种3针', 529, 809, 31),
    ]);
    expect(f.Vaccination).toBe('已接种3针');
    expect(f.TestingResult).toBe('无结果');
    expect(f.TestingInterval).toBe('');
    // A count whose unit was misread past repair is no state: "", not a guess.
    const vacc = (text: string) =>
      extractFromLines([line('湖北健康码', 280, 70), line('新冠疫苗接种', 520, 736, 26), line(text, 529, 809, 31)])
        .Vaccination;
    expect(vacc('已接种2计')).toBe('');
    expect(vacc('已接种第2计')).toBe('');
    expect(vacc('已接种加强针')).toBe('已接种加强针');
    expect(vacc('已接种3次')).toBe('已接种3次');
    expect(vacc('已接种2')).toBe('');
    // A count of one read as a bar is the count; a state naming a date is the next row's label
    // read into a misread count (已接种3剂 as 已接种日期): "".
    expect(vacc('已接种|剂')).toBe('已接种1剂');
    expect(vacc('已接种第l针')).toBe('已接种第1针');
    expect(vacc('已接种日期')).toBe('');
    expect(vacc('已接种|')).toBe('');
    // A state written with its verb last.
    expect(vacc('全程接种已完成')).toBe('全程接种已完成');
    expect(vacc('加强针已完成')).toBe('加强针已完成');
    expect(vacc('预约已完成')).toBe('');
    expect(vacc('实名认证已完成')).toBe('');
    // A state misread past its first character (a brush face's 完 as 只, 亮), put back; never
    // across 已 and 未, nor where two states are as close (left as read, as a state not known).
    expect(vacc('已只成全程授种')).toBe('已完成全程接种');
    expect(vacc('已亮成加强免')).toBe('已完成加强免疫');
    expect(vacc('未只成全程授种')).toBe('未完成全程接种');
    expect(vacc('已只成全强免种')).toBe('已只成全强免种');
    // A wording of its own two characters shorter, its second character not the phrase's: kept as written.
    expect(vacc('已全程接种')).toBe('已全程接种');
    expect(vacc('已加强免疫')).toBe('已加强免疫');
    // Its first two characters the phrase's, a tail cut off: the phrase.
    expect(vacc('已完成全程')).toBe('已完成全程接种');
    // No test record, misread so that it is as close to two of its wordings (暂无核酸检测记录,
    // 暂无检测记录): the same notice either way.
    const result = (text: string) =>
      extractFromLines([line('湖北健康码', 280, 70), line('核酸检测', 80, 730, 30), line(text, 72, 798, 45)])
        .TestingResult;
    expect(result('暂无扶破拾测记录')).toBe('暂无核酸检测记录');
    expect(result('暂有扶破拾测记录')).toBe('');
    // …also after its label on its line, no colon between them.
    expect(result('核酸检测暂无扶酸拾测记录')).toBe('暂无核酸检测记录');
    expect(result('疫苗接种暂无疫苗接种记录')).toBe('');
    // Another record's notice as close to two short wordings is none of them: no result, or
    // the card's own words as written.
    expect(result('暂无接种记录')).toBe('');
    expect(result('暂无行程记录')).toBe('暂无行程记录');
  });

  it('joins an ID split around a faint star run, after its label', () => {
    const f = extractFromLines([
      line('随申码', 460, 128),
      line('证件号:', 300, 343),
      line("31'", 448, 350, 30),
      line('45', 738, 356, 16),
    ]);
    expect(f.IDNumber).toBe('31**************45');
  });

  it('leaves what the page does not show empty and reports 阳性 only when read surely', () => {
    const unsure = extractFromLines([
      line('健康码', 400, 100),
      line('核酸检测', 80, 1300),
      line('阳性', 600, 1300, 40, 0.7),
    ]);
    expect(unsure.TestingResult).toBe('');
    const sure = extractFromLines([
      line('健康码', 400, 100),
      line('核酸检测', 80, 1300),
      line('阳性', 600, 1300, 40, 0.99),
    ]);
    expect(sure.TestingResult).toBe('阳性');
    expect(sure.Name).toBe('');
    expect(sure.Time).toBe('');
  });

  it('knows a health-code page by its words', () => {
    expect(isHealthCodePage([line('核酸检测', 0, 0)])).toBe(true);
    // A test result is a health-code word too (a photo whose title and labels were all misread).
    expect(isHealthCodePage([line('天府佳康通', 0, 0), line('阴性', 0, 100)])).toBe(true);
    expect(isHealthCodePage([line('天府佳康通', 0, 0)])).toBe(false);
    expect(isHealthCodePage([line('发票号码 12345', 0, 0)])).toBe(false);
  });
});

describe('label repair and context', () => {
  it('puts one wrong character of a long label back, never a phrase already right', () => {
    expect(repairLabels('扶酸检测')).toBe('核酸检测');
    expect(repairLabels('检測时间')).toBe('检测时间');
    expect(repairLabels('已完成全程接种')).toBe('已完成全程接种');
    expect(repairLabels('未完成全程接种')).toBe('未完成全程接种');
    expect(repairLabels('已核种第2针')).toBe('已接种第2针');
    // 已 read as 己 or 巳 before a vaccination state; 自己 and other words left alone.
    expect(repairLabels('己接种2针')).toBe('已接种2针');
    expect(repairLabels('巳完成全程接种')).toBe('已完成全程接种');
    expect(repairLabels('自己完成')).toBe('自己完成');
    // 已接种第 only before a count (a space between them allowed): 已接种加强针 is no misread 已接种第.
    expect(repairLabels('已接种弟2针')).toBe('已接种第2针');
    expect(repairLabels('已接种弟 2针')).toBe('已接种第 2针');
    expect(repairLabels('已接种加强针')).toBe('已接种加强针');
    // Words beside the labels stay: a place code's check is no test, an epidemic no vaccine.
    expect(repairLabels('核验结果')).toBe('核验结果');
    expect(repairLabels('新冠疫情防控')).toBe('新冠疫情防控');
    // Three-character phrases are never written by a repair (有效期 from 有效率).
    expect(repairLabels('有效率')).toBe('有效率');
    // Two wrong characters of four, or digits in the window: left alone.
    expect(repairLabels('杨灭名称')).toBe('杨灭名称');
    // Two wrong characters of a long state: left, as real wordings two characters off one stay.
    for (const text of ['已只成全程摄种', '已完成两针接种', '已完成首剂接种', '未完成全程免疫', '已完成加强针接种'])
      expect(repairLabels(text)).toBe(text);
    // 已接X before a count is 已接种 (已X种 is, above); before anything else it stays.
    expect(repairLabels('已接静2针')).toBe('已接种2针');
    expect(repairLabels('已接静第2针')).toBe('已接种第2针');
    expect(repairLabels('已接受加强针')).toBe('已接受加强针');
    // A bar is a count of one only before a dose unit.
    expect(repairLabels('已接种|剂')).toBe('已接种1剂');
    expect(repairLabels('已接种|计')).toBe('已接种|计');
    expect(repairLabels('已接种|')).toBe('已接种|');
  });

  it('never takes the heading of the next column for the card heading of a value', () => {
    // Two cards side by side (a half-size page): 核酸 + its result over a test time on the left,
    // 疫苗 over the vaccination's state and date on the right.
    const box = (text: string, x0: number, x1: number, y0: number, h: number): TextLine => ({
      text: normaliseText(text),
      x0,
      x1,
      y0,
      y1: y0 + h,
      h,
      score: 0.99,
    });
    const f = extractFromLines([
      box('天府健康通', 102, 192, 24, 18),
      box('05-06 18:16:19', 61, 209, 113, 22),
      box('核酸阴性', 19, 79, 303, 15),
      box('疫苗', 145, 175, 303, 16),
      box('48小时内', 17, 77, 326, 16),
      box('已完成全程接种', 147, 253, 325, 16),
      box('2022-05-04 20:38', 17, 122, 345, 17),
      box('2021-04-26', 145, 212, 346, 16),
    ]);
    expect(f.TestingTime).toBe('2022-05-04 20:38');
    expect(f.VaccinationTime).toBe('2021-04-26');
  });

  it('classifies labels by their last keyword', () => {
    expect(classify('检测时间')).toBe('test');
    expect(classify('进场时间')).toBe('entry');
    expect(classify('接种日期')).toBe('vacc');
    expect(classify('刷新时间')).toBe('time');
    expect(classify('姓名')).toBe('none');
  });
});

describe('masked IDs', () => {
  it('takes a lone digit inside the star run for a misread star', () => {
    const f = extractFromLines([line('苏康码', 320, 60), line('证件号码:32*5***********426', 58, 220)]);
    expect(f.IDNumber).toBe('32**************26');
  });

  it('gives no ID whose first two digits are no province code (a misread head)', () => {
    const id = (text: string) => extractFromLines([line('苏康码', 320, 60), line(text, 58, 220)]).IDNumber;
    expect(id('证件号码:92**************38')).toBe('');
    expect(id('证件号码:42**************38')).toBe('42**************38');
    // A later labelled line is still tried after a misread one.
    expect(
      extractFromLines([line('证件号码:92**************38', 58, 220), line('身份证号:42**************38', 58, 400)])
        .IDNumber,
    ).toBe('42**************38');
    expect(id('证件号码:83**************38')).toBe('83**************38');
    expect(idFromParts('身份证号91', '11', 14)).toBe('');
    expect(idFromParts('身份证号41', '11', 14)).toBe('41**************11');
  });

  it('joins the digits read on each side of a mask, with look-alike letters as digits, only when the count makes 18', () => {
    expect(idFromParts('证件:4173*', '*/256', 10)).toBe('41**************56');
    expect(idFromParts('S1*', '*9x', 14)).toBe('51**************9X');
    expect(idFromParts('证件号1*', '*96', 14)).toBe('');
    expect(idFromParts('证件号码:', '*96', 14)).toBe('');
    // A dot mask's glyph kept on each side reads as a dash.
    expect(idFromParts('431-', '-3337', 11)).toBe('43**************37');
    // A photo's small star read as a double tick (touching stars counted: 13, two either way).
    expect(idFromParts('51"', '**92', 13, 2)).toBe('51**************92');
    for (const mark of ['“', '”', '′', '″'])
      expect(idFromParts(`51${mark}`, `${mark}92`, 14)).toBe('51**************92');
    // A count of touching stars may be off by its slack, no more.
    expect(idFromParts('43', '37', 13)).toBe('');
    expect(idFromParts('43', '37', 13, 1)).toBe('43**************37');
    expect(idFromParts('43', '37', 12, 1)).toBe('');
    // A star read as 米 is a mask glyph.
    expect(idFromParts('42*米', '*60', 14, 2)).toBe('42**************60');
  });

  it('leaves out a crop-end mask glyph read as a digit, only when it makes one digit too many', () => {
    expect(idFromParts('证件号114', '*62', 14)).toBe('11**************62');
    expect(idFromParts('11*', '462', 14)).toBe('11**************62');
    // The glyph read as a star: the digit too many is a digit misread.
    expect(idFromParts('证件号114*', '*62', 14)).toBe('');
    expect(idFromParts('11*', '*462', 14)).toBe('');
    // Two too many is no one glyph misread.
    expect(idFromParts('证件号1145', '*62', 14)).toBe('');
    // A six-digit head with its crop's star read as a digit: every digit counts, none shifts in.
    expect(idFromParts('4413021', '*1234', 8)).toBe('44**************34');
  });

  it('counts the stars read beyond the one each crop keeps as mask glyphs the run left out', () => {
    expect(idFromParts('证件:4156*', '**9671', 9)).toBe('41**************71');
    expect(idFromParts('4372', '**9954', 9)).toBe('43**************54');
    // Counted, they still have to make 18.
    expect(idFromParts('13*', '**94', 9)).toBe('');
    expect(idFromParts('4156*', '*9671', 9)).toBe('');
    // Touching stars counted by their width: a second star read may be one of them, a third not.
    expect(idFromParts('4156**', '**9671', 8, 1)).toBe('');
    expect(idFromParts('36', '*******79', 7, 2)).toBe('36**************79');
  });
});

describe('lines holding several values', () => {
  it('splits a line at a bar: a masked name and a masked ID side by side', () => {
    const f = extractFromLines([line('健康码', 400, 100), line('王*一 | 35**************01', 80, 300)]);
    expect(f.Name).toBe('王*一');
    expect(f.IDNumber).toBe('35**************01');
  });

  it('takes no ID from a status bar: a clock and a battery level with a dot between', () => {
    const f = extractFromLines([line('健康码', 400, 100), line('13:43', 18, 9, 20), line('●40%口', 406, 5, 23)]);
    expect(f.IDNumber).toBe('');
  });

  it('reads an unlabelled ID split into two boxes around a poorly read one (moire between them)', () => {
    const f = extractFromLines([
      line('健康码', 400, 100),
      line('53*****', 300, 420, 30),
      line('出8', 500, 428, 8, 0.23),
      line('***69', 530, 423, 25, 0.92),
    ]);
    expect(f.IDNumber).toBe('53**************69');
  });

  it('takes no ID from a masked mobile number, labelled or not, and reads an ID after one', () => {
    const id = (...texts: string[]) =>
      extractFromLines([line('健康码', 400, 100), ...texts.map((t, i) => line(t, 80 + 700 * i, 300))]).IDNumber;
    expect(id('手机号 138****5678')).toBe('');
    expect(id('联系电话：135******78')).toBe('');
    expect(id('159****0123')).toBe('');
    expect(id('手机 138****5678', '44**************77')).toBe('44**************77');
    // A phone label read poorly is still a phone label.
    const labelled = [line('健康码', 400, 100), line('手机号', 80, 300, 40, 0.3), line('135******78', 300, 300)];
    expect(extractFromLines(labelled).IDNumber).toBe('');
    // An ID masked in full is no phone, even with a mobile-like head.
    expect(id('139***********1234')).toBe('13**************34');
  });

  it('prefers an ID read whole to one pieced together without a poorly read box', () => {
    const f = extractFromLines([
      line('健康码', 400, 100),
      line('41***', 80, 300),
      line('x', 300, 300, 40, 0.2),
      line('**12', 360, 300),
      line('44**************77', 80, 400),
    ]);
    expect(f.IDNumber).toBe('44**************77');
  });

  it('reads an unlabelled ID masked with dots', () => {
    const f = extractFromLines([line('健康码', 400, 100), line('33●●●●●●●●●●●●●●01', 80, 300)]);
    expect(f.IDNumber).toBe('33**************01');
  });

  it('takes a run of one repeated character for the mask its stars were read as, never a word, a rule or punctuation', () => {
    const id = (text: string) => extractFromLines([line('健康码', 400, 100), line(text, 80, 300)]).IDNumber;
    expect(id('41大大大大大大大大大大大大大大87')).toBe('41**************87');
    expect(id('证件号:51★★★★★★★★★★★★★★07')).toBe('51**************07');
    expect(normaliseText('●●●●')).toBe('****');
    expect(normaliseText('𠀀𠀀𠀀𠀀')).toBe('****');
    expect(normaliseText('44大大大63')).toBe('44大大大63');
    expect(normaliseText('已完成全程接种')).toBe('已完成全程接种');
    for (const text of ['一一一一', '〇〇〇〇', '┅┅┅┅', '。。。。', '、、、、', '…………', '!!!!', '====', '44------63'])
      expect(normaliseText(text)).not.toContain('*');
  });

  it('takes symbols inside a mask run for its stars, never a badge after a name', () => {
    const id = (text: string) => extractFromLines([line('健康码', 400, 100), line(text, 80, 300)]).IDNumber;
    expect(id('51******★*★*****6X')).toBe('51**************6X');
    expect(normaliseText('44***●*●***')).toBe('44*********');
    // A name's stars and badges after them, one star among symbols, a digit read as a rule: as read.
    for (const text of ['王*★', '欧***★', '王**◎◎', '●●●*', '★*★', '51**************│X'])
      expect(normaliseText(text)).toBe(text);
    expect(extractFromLines([line('健康码', 400, 100), line('欧***★', 60, 250)]).Name).toBe('欧***');
  });
});

describe('names and places in other wordings', () => {
  it('takes the name before a masked ID on the same line', () => {
    const f = extractFromLines([line('健康码', 400, 100), line('曾*明 51**************4X', 80, 300)]);
    expect(f.Name).toBe('曾*明');
    expect(f.IDNumber).toBe('51**************4X');
  });

  it('takes the name after 姓名 whose 名 was lost or misread, never after 姓 inside a word', () => {
    const name = (text: string) => extractFromLines([line('苏康码', 400, 100), line(text, 80, 300)]).Name;
    expect(name('姓:肖*楠')).toBe('肖*楠');
    expect(name('姓君:白*')).toBe('白*');
    expect(name('姓氏名称:白*')).toBe('');
  });

  it('takes every affix off a name, one behind another, and a switch button run into it', () => {
    const name = (text: string) => extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name;
    expect(name('孔*颖女士，您好')).toBe('孔*颖');
    expect(name('亲爱的孔*颖')).toBe('孔*颖');
    expect(name('孔*颖切换')).toBe('孔*颖');
    expect(name('孔*颖 切换成员')).toBe('孔*颖');
  });

  it('takes the name out of a greeting, before or after it, and leaves an icon after it out', () => {
    // A greeting misread past recognition still sets the name off with its comma.
    for (const text of ['您好，孔*颖', '孔*颖，您好', '欢迎您，孔*颖', '欢还焦,孔*颖', '孔*颖，恁奸'])
      expect(extractFromLines([line('渝康码', 400, 100), line(text, 60, 250)]).Name).toBe('孔*颖');
    expect(extractFromLines([line('渝康码', 400, 100), line('王*,孔*颖', 60, 250)]).Name).toBe('');
    // Only a greeting's few characters beside it: not a label, not a longer text.
    for (const text of ['核酸检测,孔*颖', '请出示健康码以便核验,孔*颖', '12,孔*颖'])
      expect(extractFromLines([line('渝康码', 400, 100), line(text, 60, 250)]).Name).toBe('');
    // An icon read as a digit, a circled number or a symbol; never a rule's glyph, which is text
    // misread (`叶*─` is 叶*一, read no further).
    for (const text of ['叶*0', '叶*①', '叶*◎', '叶*⊙'])
      expect(extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name).toBe('叶*');
    for (const text of ['叶*─', '叶*□'])
      expect(extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name).toBe('');
    expect(extractFromLines([line('健康码', 400, 100), line('王*已实名', 60, 250)]).Name).toBe('王*');
    expect(extractFromLines([line('健康码', 400, 100), line('申领人：王*一', 60, 250)]).Name).toBe('王*一');
  });

  it('takes the name after a caption the labels do not know, set off by its colon, never after one naming something else', () => {
    for (const text of ['用户：王*一', '扫码人：王*一', '当前用户:王*一', 'Hi，王*一', 'Hello, 王*一'])
      expect(extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name).toBe('王*一');
    for (const text of [
      '场所：王*记',
      '核酸检测：王*一',
      '请出示健康码以便核验：王*一',
      '编号12：王*一',
      '商户名称：王*记',
      '门店：王*记',
      '核验人：王*一',
      '采样人：王*一',
    ])
      expect(extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name).toBe('');
  });

  it('takes a masked name run into other words on its line, after at most a few characters', () => {
    const name = (text: string) => extractFromLines([line('健康码', 400, 100), line(text, 60, 250)]).Name;
    for (const text of [
      '尊敬的王*一，您好',
      '用户王*一',
      '王*一的核酸检测结果',
      '王*一(44**************01)',
      '王*一 已核验',
      '王*一 女 35岁',
      '姓名:王*一 性别:男',
      '姓名 Name 王*一',
    ])
      expect(name(text)).toBe('王*一');
    expect(name('尊敬的欧阳*一')).toBe('欧阳*一');
    expect(name('王*的健康码已更新')).toBe('王*');
    expect(name('姓名:周*性别:女')).toBe('周*');
    expect(name('姓名:王*一证件号:44**************01')).toBe('王*一');
    expect(name('姓名:王*一(44**************01)')).toBe('王*一');
    for (const text of ['王*男35岁', '王*绿码已更新', '王*请出示本码', '王*同学请出示']) expect(name(text)).toBe('王*');
    expect(name('周*证件号码:')).toBe('周*');
    // A small star at the end of a line read as a tick, on a line read surely.
    expect(name("尊敬的贺'")).toBe('贺*');
    expect(name('贺’')).toBe('贺*');
    expect(extractFromLines([line('健康码', 400, 100), line('张“华', 60, 250, 40, 0.74)]).Name).toBe('');
    // Never two names, a caption naming something else or a long text before it, an uncommon
    // surname, digits or more stars beside the run, nor a rule's glyph after it.
    for (const text of [
      '王*一和李*二',
      '核验人王*一已核验',
      '联系人王*一',
      '监护人王*一',
      '请出示健康码以便核验王*一',
      '编号12王*一',
      '旁*一已核验',
      '王*一*二',
      '叶*─已核验',
    ])
      expect(name(text)).toBe('');
  });

  it('joins a letter-spaced name detected as one box per character, and drops a badge in brackets or an avatar read as a letter', () => {
    const spaced = [
      line('健康码', 300, 100),
      line('王', 200, 250, 44),
      line('*', 262, 250, 44),
      line('一', 320, 250, 44),
    ];
    expect(extractFromLines(spaced).Name).toBe('王*一');
    expect(extractFromLines([line('健康码', 300, 100), line('王', 100, 250, 44), line('*', 500, 250, 44)]).Name).toBe(
      '',
    );
    expect(extractFromLines([line('健康码', 300, 100), line('王*一（已认证）', 60, 250, 44)]).Name).toBe('王*一');
    expect(extractFromLines([line('健康码', 300, 100), line('O王*一', 60, 250, 44)]).Name).toBe('王*一');
  });

  it('reads a dotted date whose dot came out as a comma', () => {
    const f = extractFromLines([
      line('疫苗接种', 80, 1480),
      line('已完成全程接种', 600, 1480),
      line('末次接种2021,05.24', 80, 1560),
    ]);
    expect(f.VaccinationTime).toBe('2021-05-24');
  });

  it('reads a tilted photo as the screen it shows: a value far right of its label is on its row', () => {
    // The page turned by 5°: each line's box grows, its centre moves, and it carries its slope.
    const slope = Math.tan((5 * Math.PI) / 180);
    const cos = 1 / Math.hypot(1, slope);
    const sin = slope * cos;
    const tilted = (l: TextLine): TextLine => {
      const cx = (l.x0 + l.x1) / 2;
      const cy = (l.y0 + l.y1) / 2;
      const w = l.x1 - l.x0;
      const x = cx * cos - cy * sin;
      const y = cx * sin + cy * cos;
      const halfW = (w * cos + l.h * sin) / 2;
      const halfH = (w * sin + l.h * cos) / 2;
      return { ...l, x0: x - halfW, x1: x + halfW, y0: y - halfH, y1: y + halfH, slope };
    };
    const page = [
      line('健康码', 400, 100),
      line('场所名称', 80, 400),
      line('宽窄巷子', 900, 400),
      line('核酸检测结果', 80, 500),
      line('阴性', 900, 500),
      line('请主动出示此码配合检查', 80, 800),
      line('疫苗接种已完成全程接种', 80, 900),
    ];
    expect(extractFromLines(page.map(tilted))).toMatchObject({ SpotName: '宽窄巷子', TestingResult: '阴性' });
  });

  it('takes the place after 您已进入', () => {
    const f = extractFromLines([line('场所码', 400, 100), line('您已进入：春熙路太古里', 80, 300)]);
    expect(f.SpotName).toBe('春熙路太古里');
  });

  it('takes the place after 已扫码进入 and after 场所码 with its colon, never after a 场所码 heading', () => {
    const spot = (...texts: string[]) => extractFromLines(texts.map((t, i) => line(t, 80, 100 + 60 * i))).SpotName;
    expect(spot('场所码', '您已扫码进入：春熙路太古里')).toBe('春熙路太古里');
    // The label after it is the one that counts; an invitation to scan names no place.
    expect(spot('场所码', '已扫码进入场所：天府广场')).toBe('天府广场');
    expect(spot('健康码', '扫码进入小程序')).toBe('');
    expect(spot('健康码', '场所码：春熙路太古里')).toBe('春熙路太古里');
    expect(spot('场所码', '春熙路太古里')).toBe('');
  });
});
