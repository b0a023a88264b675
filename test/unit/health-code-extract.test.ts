import { describe, expect, it } from 'vitest';
import { extractFields } from '../../src/engines/health-code/extract.js';
import { parseSpotLine, spotLine } from '../../src/engines/health-code/extract-spot.js';
import {
  chooseName,
  nameLine,
  nameSettled,
  parseNameLine,
  surnameChoices,
} from '../../src/engines/health-code/names.js';
import { groupRows } from '../../src/engines/health-code/rows.js';
import { isCommonSurname } from '../../src/engines/health-code/surnames.js';
import { refineTargets, unsureRows } from '../../src/engines/health-code/targets.js';
import type { OcrWord } from '../../src/engines/health-code/ocr-words.js';
import { parseTsv } from '../../src/engines/health-code/ocr-words.js';
import { editDistance, fuzzyFind, joinWords, toHalfWidth } from '../../src/engines/health-code/text.js';

/**
 * OCR words as tesseract's sparse mode reports them. A row is [y, height, ...segments]; a
 * segment is [x, text], its space-separated tokens become words laid out left to right.
 */
type Seg = [x: number, text: string, conf?: number];
function page(...rows: [y: number, h: number, ...segments: Seg[]][]): OcrWord[] {
  const words: OcrWord[] = [];
  rows.forEach(([y, h, ...segments], r) => {
    for (const [x, text, conf = 92] of segments) {
      let cx = x;
      for (const token of text.split(' ').filter(Boolean)) {
        const width = [...token].reduce((w, ch) => w + (/[\u3400-\u9fff]/.test(ch) ? h : h * 0.55), 0);
        words.push({ text: token, conf, x0: cx, y0: y, x1: cx + width, y1: y + h, line: `${r}` });
        cx += width + h * 0.2;
      }
    }
  });
  return words;
}

describe('text helpers', () => {
  it('joins one-character CJK words without spaces and keeps ASCII tokens apart', () => {
    expect(joinWords(['核酸', '检', '测', '2022-01-15', '22:52'])).toBe('核酸检测2022-01-15 22:52');
  });
  it('maps full-width forms and star look-alikes to ASCII', () => {
    expect(toHalfWidth('检测时间：２０２２－０１－１５（４８小时）王＊一')).toBe('检测时间:2022-01-15(48小时)王*一');
  });
  it('edit distance and approximate substring search', () => {
    expect(editDistance('已接种第一剂', '已接种第二剂')).toBe(1);
    expect(fuzzyFind('疫苗接种:已完成全程接种', '已完成全程接种').distance).toBe(0);
    expect(fuzzyFind('疫苗:已完成全程接神', '已完成全程接种').distance).toBe(1);
  });
});

describe('extractFields: clean layouts', () => {
  it('reads a "label：value" page (Jiangsu style) into the API conventions', () => {
    const words = page(
      [60, 30, [300, '苏康码']],
      [150, 30, [60, '姓名：王*一']],
      [204, 30, [60, '证件号码：320***********012X']],
      [258, 30, [60, '场所：南京南站']],
      [700, 28, [180, '更新时间：01-10 15:40:23']],
      [780, 30, [60, '核酸检测：阴性（48小时）']],
      [834, 30, [60, '检测时间：2022-01-08 22:52']],
      [888, 30, [60, '疫苗接种：已完成全程接种']],
      [942, 30, [60, '接种时间：2021-07-25']],
    );
    expect(extractFields(words)).toEqual({
      Name: '王*一',
      IDNumber: '32**************2X',
      Time: '01-10 15:40:23',
      Color: '',
      TestingInterval: '48小时',
      TestingResult: '阴性',
      TestingTime: '2022-01-08 22:52',
      Vaccination: '已完成全程接种',
      SpotName: '南京南站',
      VaccinationTime: '2021-07-25',
    });
  });

  it('reads a label | value table with Chinese-style dates and "48h"', () => {
    const words = page(
      [100, 40, [60, '张*']],
      [160, 28, [60, '身份证号'], [300, '120101********2817']],
      [600, 26, [150, '生成时间 2022-03-04 08:15:31']],
      [700, 28, [62, '检测结果'], [300, '阴性']],
      [764, 28, [62, '检测时间'], [300, '2022-03-03 16:55']],
      [828, 28, [62, '有效时长'], [300, '72h']],
      [930, 28, [62, '接种状态'], [300, '已完成加强免疫']],
      [994, 28, [62, '接种日期'], [300, '2021年10月15日']],
    );
    const f = extractFields(words);
    expect(f.Name).toBe('张*');
    expect(f.IDNumber).toBe('12**************17');
    expect(f.Time).toBe('03-04 08:15:31');
    expect(f.TestingResult).toBe('阴性');
    expect(f.TestingTime).toBe('2022-03-03 16:55');
    expect(f.TestingInterval).toBe('72小时');
    expect(f.Vaccination).toBe('已完成加强免疫');
    expect(f.VaccinationTime).toBe('2021-10-15');
  });

  it('assigns unlabelled dates by the labels above them in the same column (two boxes)', () => {
    const words = page(
      [100, 34, [60, '扫码场所']],
      [150, 40, [60, '成都东站']],
      [230, 60, [200, '06-09 21:13:21']],
      [1250, 30, [56, '核酸'], [140, '阴性'], [411, '疫苗']],
      [1340, 28, [56, '48小时内'], [411, '已完成全程接种']],
      [1420, 26, [56, '2022-06-08 22:06'], [411, '2021-09-24']],
    );
    const f = extractFields(words);
    expect(f.SpotName).toBe('成都东站');
    expect(f.Time).toBe('06-09 21:13:21');
    expect(f.TestingTime).toBe('2022-06-08 22:06');
    expect(f.VaccinationTime).toBe('2021-09-24');
    expect(f.TestingInterval).toBe('48小时');
  });

  it('keeps the page time apart from a test time that also shows seconds', () => {
    const words = page(
      [100, 26, [150, '刷新时间 2022-10-24 21:23:07']],
      [200, 30, [60, '核酸'], [500, '48小时'], [600, '阴性']],
      [260, 26, [60, '采样时间'], [400, '2022-10-22 21:30:51']],
    );
    const f = extractFields(words);
    expect(f.Time).toBe('10-24 21:23:07');
    expect(f.TestingTime).toBe('2022-10-22 21:30');
  });

  it('takes the name out of "X*Y的健康码" and normalises 4+10+4 ID masks', () => {
    const words = page([100, 34, [200, '林*飞 的健康码']], [600, 28, [40, '证件号码'], [400, '3301**********0123']]);
    const f = extractFields(words);
    expect(f.Name).toBe('林*飞');
    expect(f.IDNumber).toBe('33**************23');
  });
});

describe('extractFields: OCR noise', () => {
  it('tolerates spaces between CJK characters, missing colons, full-width forms and O for 0', () => {
    const words = page(
      [150, 30, [60, '姓 名 王 * 一']],
      [204, 30, [60, '证 件 号 11 六 六 大 关 炎 赤 赤 太 太 16']],
      [700, 28, [180, '更 新 时 间 ０１－１０ １５：４０：２３']],
      [780, 30, [60, '核 酸 检 测 阴 性 〈48 小 时 〉']],
      [834, 30, [60, '检 测 时 间 2O22-01-08 22;52']],
      [888, 30, [60, '疫 苗 接 种 已 完 成 全 程 接 种']],
      [942, 30, [60, '接 种 时 间 2021/07/25']],
    );
    expect(extractFields(words)).toMatchObject({
      Name: '王*一',
      IDNumber: '11**************16',
      Time: '01-10 15:40:23',
      TestingInterval: '48小时',
      TestingResult: '阴性',
      TestingTime: '2022-01-08 22:52',
      Vaccination: '已完成全程接种',
      VaccinationTime: '2021-07-25',
    });
  });

  it('reads a slash taken for 7 in a date, and a name that shares its line with the ID', () => {
    const f = extractFields(
      page(
        [100, 30, [60, '林*飞 | 35**************16']],
        [700, 26, [60, '核酸信息'], [260, '结果 阴性']],
        [760, 26, [60, '报告时间 2022704/26 15:02'], [560, '时效 48小时']],
      ),
    );
    expect(f.Name).toBe('林*飞');
    expect(f.TestingTime).toBe('2022-04-26 15:02');
    expect(f.TestingInterval).toBe('48小时');
  });

  it('reads a slash taken for "/7" in a date, and leaves real sevens alone', () => {
    const at = (date: string) =>
      extractFields(
        page(
          [700, 26, [60, '核酸信息'], [260, '结果 阴性']],
          [760, 26, [60, `报告时间 ${date} 06:55`], [560, '时效 48小时']],
        ),
      ).TestingTime;
    expect(at('2022/705/21')).toBe('2022-05-21 06:55');
    expect(at('2022/10/718')).toBe('2022-10-18 06:55');
    expect(at('2022/07/17')).toBe('2022-07-17 06:55');
    expect(at('2022/10/727')).toBe('2022-10-27 06:55');
    expect(at('2022705/105')).toBe('2022-05-05 06:55');
    expect(at('2022/10/10')).toBe('2022-10-10 06:55');
    expect(at('2022/11/11')).toBe('2022-11-11 06:55');
  });

  it('accepts a vaccination state one character off, unless two states are equally close', () => {
    expect(extractFields(page([100, 30, [60, '疫苗接种 已接种第一齐']])).Vaccination).toBe('已接种第一剂');
    expect(extractFields(page([100, 30, [60, '疫苗接种 已接种第齐剂']])).Vaccination).toBe('');
  });

  it('reports 阳性 only with good confidence, and never turns it into 阴性', () => {
    const row = (conf: number) => page([100, 30, [60, '核酸检测'], [300, '阳性', conf], [400, '48小时']]);
    expect(extractFields(row(93)).TestingResult).toBe('阳性');
    expect(extractFields(row(41)).TestingResult).toBe('');
  });

  it('merges a star run tesseract put on its own (higher) box into the ID row', () => {
    const words: OcrWord[] = [
      { text: '证件号', conf: 93, x0: 60, y0: 390, x1: 150, y1: 430, line: 'a' },
      { text: '11', conf: 90, x0: 160, y0: 392, x1: 190, y1: 430, line: 'a' },
      { text: '六六大关炎赤', conf: 10, x0: 192, y0: 388, x1: 400, y1: 408, line: 'b' },
      { text: '16', conf: 90, x0: 405, y0: 392, x1: 435, y1: 430, line: 'a' },
    ];
    expect(groupRows(words)).toHaveLength(1);
    expect(extractFields(words).IDNumber).toBe('11**************16');
    // The second pass gets the line right of the label.
    const { id } = refineTargets(words, 750);
    expect(id?.x0).toBeLessThanOrEqual(160);
    expect(id?.x1).toBeGreaterThanOrEqual(435);
  });
});

describe('extractFields: nothing invented', () => {
  it('leaves fields the page does not show empty', () => {
    const f = extractFields(
      page([100, 40, [60, '王*']], [300, 50, [100, '01-10 15:40:23']], [400, 30, [60, '暂无核酸检测记录']]),
    );
    expect(f).toEqual({
      Name: '王*',
      IDNumber: '',
      Time: '01-10 15:40:23',
      Color: '',
      TestingInterval: '',
      TestingResult: '暂无核酸检测记录',
      TestingTime: '',
      Vaccination: '',
      SpotName: '',
      VaccinationTime: '',
    });
  });

  it('does not take a "场所码" button for a place name, nor a status-bar clock for the time', () => {
    const f = extractFields(
      page(
        [10, 24, [24, '15:40']],
        [1200, 24, [40, '核酸检测点'], [220, '疫苗接种点'], [400, '场所码'], [560, '我的家人']],
      ),
    );
    expect(f.SpotName).toBe('');
    expect(f.Time).toBe('');
    expect(f.Vaccination).toBe('');
  });

  it('does not read an ID without both ends visible', () => {
    expect(extractFields(page([100, 30, [60, '证件号码：**************01']])).IDNumber).toBe('');
  });
});

describe('name re-reading', () => {
  it('chooses the reading most agree on, common surnames first, the page on a tie', () => {
    expect(chooseName(['孟*震', '孟*磊', '孟*舌', '孟*磊'])).toBe('孟*磊');
    expect(chooseName(['凌*刚', '曹*刚', '曹*刚', '凌*刚'])).toBe('凌*刚');
    expect(chooseName(['锅*', '锅*', '贺*', '锅*'])).toBe('贺*');
    expect(chooseName(['', '郝*', '', '郝*'])).toBe('郝*');
    expect(chooseName(['段*楠', '段*村', '', ''])).toBe('段*楠');
    expect(chooseName(['', '', ''])).toBe('');
  });

  it('knows when more readings cannot change the vote', () => {
    expect(nameSettled(['王*一'], 3)).toBe(false);
    expect(nameSettled(['王*一', '王*一'], 2)).toBe(true);
    expect(nameSettled(['王*一', '王*二'], 2)).toBe(false);
    expect(nameSettled(['王*一', '王*二', '王*一'], 1)).toBe(true);
    // An uncommon surname can still be outvoted by a common one.
    expect(nameSettled(['锅*', '锅*'], 1)).toBe(false);
    expect(nameSettled(['', ''], 1)).toBe(false);
    expect(nameSettled(['王*一'], 0)).toBe(true);
  });

  it('parses a name line read on its own: labels, separators, a cut-off 的健康码', () => {
    const line = (...texts: string[]) =>
      texts.map((text, i) => ({ text, conf: 80, x0: i * 40, y0: 0, x1: i * 40 + 36, y1: 40, line: '1' }));
    expect(parseNameLine(line('孟', '*', '磊', '|'))).toBe('孟*磊');
    expect(parseNameLine(line('袁', '*', '的', '健'))).toBe('袁*');
    expect(parseNameLine(line('姓', '名', ':', '王', '*', '一'))).toBe('王*一');
    expect(parseNameLine(line('能', '”'))).toBe('能*');
    expect(parseNameLine(line('了'))).toBe('');
  });

  it('locates the name line from its surname and star, bounded by the lines around it', () => {
    const words = page([400, 76, [88, '乔 * 芳']], [492, 34, [88, '证件 4367 ****** 3869']]);
    const box = nameLine(words, '乔*芳')!;
    expect(box.x0).toBeLessThan(88);
    expect(box.x1).toBeGreaterThan(88 + 3 * 76 * 0.9);
    expect(box.y0).toBeLessThan(400);
    expect(box.y1).toBeLessThan(492);
    // Without a name read on the page: the value right of a label.
    const labelled = nameLine(page([100, 30, [60, '用户姓名：'], [400, '莉p*']]), '')!;
    expect(labelled.x0).toBeGreaterThan(300);
    expect(nameLine(page([100, 30, [60, '核酸检测 阴性']]), '')).toBeUndefined();
  });
});

describe('second readings of unsure rows and place names', () => {
  it('picks short rows where every word is unsure, outside the status bar, widened around them', () => {
    const words = page(
      [10, 20, [30, '中“GE', 5]],
      [150, 10, [60, '了', 4]],
      [170, 40, [60, '长沙南站']],
      [400, 20, [60, '核酸信息'], [300, '结果 阴性']],
    );
    const rows = unsureRows(words, 750, 1334);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.words.map((w) => w.text)).toEqual(['了']);
    expect(rows[0]!.box.x0).toBeLessThan(60);
    expect(rows[0]!.box.x1).toBeGreaterThan(60 + 4 * 20);
  });

  it('picks garbled segments in rows without digits, stars or an ID label', () => {
    const words = page(
      [400, 20, [60, '核酸信息'], [300, '结果 握 无 枝 竣 检', 20]],
      [440, 20, [60, '证件号'], [200, '3 二 克 间 六 天', 10]],
    );
    const rows = unsureRows(words, 750, 1334);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.words.map((w) => w.text).join('')).toBe('结果握无枝竣检');
    expect(rows[0]!.box.x1).toBeGreaterThan(rows[0]!.words.at(-1)!.x1 + 2 * 20);
  });

  it('drops a ghost first digit of a window ("772小时") and an unsure character in front of a name', () => {
    const f = extractFields(
      page(
        [100, 30, [60, '和', 60], [90, '孟*英 | 35**************24']],
        [400, 30, [60, '核酸结果'], [300, '阴性']],
        [460, 30, [60, '检测时效'], [300, '772小时内']],
      ),
    );
    expect(f.TestingInterval).toBe('72小时');
    expect(f.Name).toBe('孟*英');
    // A confident character in front is part of the line: no name is made up from it.
    expect(extractFields(page([100, 30, [60, '和', 95], [90, '孟*英 | 35**************24']])).Name).toBe('');
    expect(extractFields(page([460, 30, [60, '检测时效'], [300, '724小时内']])).TestingInterval).toBe('');
  });

  it('reads dates whose dot came out as a comma and times with ";:"', () => {
    const f = extractFields(
      page(
        [100, 30, [60, '展码时间 2022-04-24 07;:28:27']],
        [300, 30, [60, '疫苗接种情况'], [400, '已完成全程接种']],
        [360, 30, [60, '末次接种时间'], [400, '2021.10,11']],
      ),
    );
    expect(f.Time).toBe('04-24 07:28:27');
    expect(f.VaccinationTime).toBe('2021-10-11');
  });

  it('gives the line of a place name under its label, and parses a line read again', () => {
    const words = page([150, 20, [60, '当前场所']], [180, 40, [60, '湖南省博物馆']], [240, 30, [60, '郝*']]);
    const box = spotLine(words)!;
    expect(box.y0).toBeGreaterThan(170);
    expect(box.y1).toBeLessThan(240);
    expect(box.x1).toBeGreaterThan(60 + 6 * 40 * 0.9);
    expect(spotLine(page([150, 20, [60, '场所名称：国家图书馆']]))).toBeUndefined();
    const line = (...texts: string[]) =>
      texts.map((text, i) => ({ text, conf: 90, x0: i * 40, y0: 0, x1: i * 40 + 36, y1: 40, line: '1' }));
    expect(parseSpotLine(line('长沙', '南站', '。'))).toBe('长沙南站');
    expect(parseSpotLine(line('站'))).toBe('');
  });
});

describe('surname alternatives', () => {
  it('takes the LSTM alternatives of the character before the star from hOCR', () => {
    const symbol = (id: string, choices: [string, number][]) =>
      `<span class='ocrx_word' id='w${id}' title='bbox 0 0 1 1; x_wconf 10'>${choices[0]![0]}\n <span class='ocrx_cinfo' id='lstm_choices_1_${id}_1'>${choices
        .map(([c, p], i) => `<span class='ocrx_cinfo' id='choice_1_${id}_${i}' title='x_confs ${p}'>${c}</span>`)
        .join('\n')}</span>\n </span>`;
    const hocr =
      symbol('1', [
        ['素', 53.2],
        ['秦', 0],
        ['喜', 0],
      ]) +
      symbol('2', [
        ['*', 92.9],
        ['#', 0],
      ]);
    const alternatives = surnameChoices(hocr);
    expect(alternatives).toEqual(['素', '秦', '喜']);
    expect(alternatives.find(isCommonSurname)).toBe('秦');
    expect(surnameChoices(symbol('1', [['林', 90]]))).toEqual([]);
  });
});

describe('parseTsv', () => {
  it('keeps word rows, scales and offsets boxes', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '4\t1\t1\t1\t1\t0\t10\t20\t200\t40\t-1\t',
      '5\t1\t1\t1\t1\t1\t10\t20\t80\t40\t91.5\t核酸',
      '5\t1\t1\t1\t1\t2\t100\t20\t80\t40\t95\t阴性',
      '5\t1\t1\t1\t1\t3\t190\t20\t10\t40\t0\t ',
    ].join('\n');
    expect(parseTsv(tsv, 2, 5, 0)).toEqual([
      { text: '核酸', conf: 91.5, x0: 10, y0: 10, x1: 50, y1: 30, line: '1.1.1' },
      { text: '阴性', conf: 95, x0: 55, y0: 10, x1: 95, y1: 30, line: '1.1.1' },
    ]);
  });
});
