/**
 * The shared barcode corpus (../shared/corpus/barcodes, README there): manifest loading and the
 * canonical comparison rules, so every pipeline is scored the same way.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upcEToUpcA } from '../src/engines/barcode/ean-profile.js';
import { DOCUMENTED_FORMATS } from '../src/engines/barcode/types.js';

/** GS (group separator, 0x1D): dropped before comparing, as the corpus README says. */
const GS = new RegExp(String.fromCharCode(0x1d), 'g');

export interface CorpusEntry {
  file: string;
  corpus: string;
  source: string;
  kind: 'single' | 'multi' | 'negative';
  format: string | null;
  expected?: string | { format: string; text: string }[];
  expectedBase64?: string;
  convertedFrom?: string;
  /** Other spellings of the same content that count as right (photo corpus: VIN without `I`, …). */
  alternatives?: string[];
  /** The EAN-2/EAN-5 add-on's digits (photo corpus). */
  supplement?: string;
}

/** What a pipeline found in one image: format (ZXing spelling or ours) and text per symbol. */
export interface Found {
  format: string;
  text: string;
}

export const DOCUMENTED: ReadonlySet<string> = new Set(DOCUMENTED_FORMATS);

/** support/ sits at the repository's top level. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function corpusDir(): string {
  return process.env.BARCODE_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus', 'barcodes');
}

/** The photo corpus (camera photos from other barcode projects' tests; README there). */
export function photoCorpusDir(): string {
  return process.env.PHOTO_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus', 'photos');
}

export async function loadManifest(dir = corpusDir()): Promise<CorpusEntry[]> {
  const entries = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CorpusEntry[];
  return entries.map((e) => ({ ...e, corpus: e.corpus ?? path.basename(dir) }));
}

/** An entry counts towards the documented-format totals (negatives always do). */
export function isDocumentedEntry(e: CorpusEntry): boolean {
  if (e.kind === 'negative') return true;
  if (e.kind === 'multi') return Array.isArray(e.expected) && e.expected.every((x) => DOCUMENTED.has(x.format));
  return e.format !== null && DOCUMENTED.has(e.format);
}

const EAN_UPC = new Set(['EAN_13', 'EAN_8', 'UPC_A', 'UPC_E', 'ISBN']);

/** UPC-E (8 digits, number system 0/1) → UPC-A (12 digits): the engine's own expansion. */
export { upcEToUpcA };

/** EAN/UPC text (8, 12 or 13 digits; UPC-E as 8 digits) → a 13-digit GTIN. */
export function toGtin13(text: string, format: string): string {
  const digits = text.replace(/\D/g, '');
  if (format === 'UPC_E' && digits.length === 8) return `0${upcEToUpcA(digits)}`;
  if (format === 'EAN_8') return digits;
  if (digits.length === 12) return `0${digits}`;
  return digits;
}

/** The corpus's expected text in canonical form (README rules). */
export function canonicalExpected(e: CorpusEntry, format: string, text: string): string {
  let t = text.replace(GS, '');
  if (EAN_UPC.has(format)) {
    if (/-extension/.test(e.source)) {
      // The add-on digits (2 or 5) are appended: score the main code only.
      const n = t.length;
      t = n === 14 || n === 17 ? t.slice(0, 12) : n === 15 || n === 18 ? t.slice(0, 13) : t;
    }
    return toGtin13(t, format);
  }
  return canonicalOther(format, t);
}

/** A decoder's text in canonical form. */
export function canonicalFound(f: Found): string {
  const format = normaliseFormat(f.format);
  const t = f.text.replace(GS, '');
  if (EAN_UPC.has(format)) return toGtin13(t, format);
  return canonicalOther(format, t);
}

function canonicalOther(format: string, t: string): string {
  if (format.startsWith('RSS') || format.startsWith('DATABAR')) {
    t = t.replace(/\((\d{2,4})\)/g, '$1');
    if ((format === 'RSS_14' || format === 'DATABAR') && /^01\d{14}$/.test(t)) t = t.slice(2);
  }
  if (format === 'CODABAR') t = t.replace(/^[ABCDTN*E]/i, '').replace(/[ABCDTN*E]$/i, '');
  return t;
}

/** Corpus (ZXing) spelling → ours, for the few names that differ. */
export function normaliseFormat(format: string): string {
  switch (format) {
    case 'RSS_14':
      return 'DATABAR';
    case 'RSS_EXPANDED':
      return 'DATABAR_EXPANDED';
    case 'MICRO_QR_CODE':
      return 'MICRO_QR';
    case 'RMQR_CODE':
      return 'RMQR';
    default:
      return format;
  }
}

export type Outcome = 'decoded' | 'wrong' | 'missed' | 'false-positive' | 'clean';

export interface EntryScore {
  /** Expected symbols (1 for single, n for multi, 0 for negatives). */
  expected: number;
  /** Expected symbols found. */
  found: number;
  /** Reported symbols that match nothing expected. */
  wrong: number;
  outcome: Outcome;
}

/** The add-on digits an entry expects: the photo corpus's `supplement`, or the tail of a ZXing `-extension` text. */
function expectedAddOn(e: CorpusEntry): string | undefined {
  if (e.supplement !== undefined) return e.supplement;
  if (!/-extension/.test(e.source) || typeof e.expected !== 'string') return undefined;
  const n = e.expected.length;
  return n === 14 || n === 15 ? e.expected.slice(-2) : n === 17 || n === 18 ? e.expected.slice(-5) : undefined;
}

export function scoreEntry(e: CorpusEntry, found: readonly Found[]): EntryScore {
  if (e.kind === 'negative') {
    return { expected: 0, found: 0, wrong: found.length, outcome: found.length > 0 ? 'false-positive' : 'clean' };
  }
  const wanted: { format: string; canon: string; alt?: string; alts?: string[] }[] = [];
  if (e.kind === 'multi' && Array.isArray(e.expected)) {
    for (const x of e.expected) wanted.push({ format: x.format, canon: canonicalExpected(e, x.format, x.text) });
  } else {
    const format = e.format ?? '';
    if (typeof e.expected === 'string') {
      const alts = (e.alternatives ?? []).map((a) => canonicalFound({ format, text: a }));
      wanted.push({ format, canon: canonicalExpected(e, format, e.expected), alts });
    } else {
      // Binary payloads: ZXing renders bytes in text mode as Latin-1 or UTF-8 depending on ECI.
      const bytes = Buffer.from(e.expectedBase64 ?? '', 'base64');
      const gs = GS;
      wanted.push({
        format,
        canon: bytes.toString('latin1').replace(gs, ''),
        alt: bytes.toString('utf8').replace(gs, ''),
      });
    }
  }
  // A reported EAN add-on is right when it is the expected one, and then neither a hit nor wrong.
  const addOn = expectedAddOn(e);
  const isAddOn = (f: Found): boolean => f.format === 'EAN_2' || f.format === 'EAN_5';
  found = found.filter((f) => !(isAddOn(f) && f.text === addOn));
  const canonFound = found.map(canonicalFound);
  const used = new Set<number>();
  let hits = 0;
  for (const w of wanted) {
    const i = canonFound.findIndex(
      (c, k) => !used.has(k) && (c === w.canon || c === w.alt || (w.alts ?? []).includes(c)),
    );
    if (i >= 0) {
      used.add(i);
      hits++;
    }
  }
  // A symbol that repeats an already matched text (the same code seen twice) is not a wrong read.
  const matched = new Set([...used].map((k) => canonFound[k]));
  const wrong = canonFound.filter((c, k) => !used.has(k) && !matched.has(c)).length;
  const outcome: Outcome = hits > 0 ? 'decoded' : wrong > 0 ? 'wrong' : 'missed';
  return { expected: wanted.length, found: hits, wrong, outcome };
}

/** The format an entry is tallied under (multi entries under their symbols' format, or MULTI). */
export function tallyFormat(e: CorpusEntry): string {
  if (e.kind === 'negative') return 'NEGATIVE';
  if (e.kind === 'multi' && Array.isArray(e.expected)) {
    const formats = new Set(e.expected.map((x) => x.format));
    return formats.size === 1 ? `${[...formats][0]!} (multi)` : 'MULTI';
  }
  return e.format ?? 'UNKNOWN';
}
