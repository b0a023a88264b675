/**
 * Format names: our neutral SymbolFormat ↔ zxing-wasm (ZXing-C++) names, and the EAN/UPC text
 * conventions. Pure functions, used inside the worker.
 */
import type { ReadInputBarcodeFormat } from 'zxing-wasm/reader';
import { DOCUMENTED_FORMATS, EXTRA_FORMATS, type SymbolFormat } from './types.js';

export const ALL_FORMATS: readonly SymbolFormat[] = [...DOCUMENTED_FORMATS, ...EXTRA_FORMATS];

export function isSymbolFormat(value: string): value is SymbolFormat {
  return (ALL_FORMATS as readonly string[]).includes(value);
}

/** What to ask ZXing-C++ for, per enabled format. Family names select every variant. */
const TO_ZXING_CPP: Record<SymbolFormat, readonly ReadInputBarcodeFormat[]> = {
  QR_CODE: ['QRCodeModel1', 'QRCodeModel2'],
  MICRO_QR: ['MicroQRCode'],
  RMQR: ['RMQRCode'],
  // EAN-13 / UPC-A share one bar pattern: ZXing reports a UPC-A as EAN-13 with a leading 0.
  EAN_13: ['EAN13', 'ISBN'],
  EAN_8: ['EAN8'],
  UPC_A: ['UPCA'],
  UPC_E: ['UPCE'],
  // Add-ons are read with their main code (eanAddOnSymbol), never alone.
  EAN_2: [],
  EAN_5: [],
  CODE_39: ['Code39'],
  CODE_93: ['Code93'],
  CODE_128: ['Code128'],
  // 'PDF417' is the family (also Compact and Micro PDF417; Micro results are dropped on output).
  PDF_417: ['PDF417'],
  DATA_MATRIX: ['DataMatrix'],
  AZTEC: ['Aztec'],
  CODABAR: ['Codabar'],
  ITF: ['ITF'],
  DATABAR: ['DataBarOmni', 'DataBarStk', 'DataBarStkOmni'],
  DATABAR_EXPANDED: ['DataBarExp', 'DataBarExpStk'],
  DATABAR_LIMITED: ['DataBarLtd'],
  MAXICODE: ['MaxiCode'],
};

/** ZXing-C++ output format name → ours (formats we never ask for are absent). */
const FROM_ZXING_CPP: Readonly<Record<string, SymbolFormat>> = {
  QRCode: 'QR_CODE',
  QRCodeModel1: 'QR_CODE',
  QRCodeModel2: 'QR_CODE',
  MicroQRCode: 'MICRO_QR',
  RMQRCode: 'RMQR',
  EAN13: 'EAN_13',
  ISBN: 'EAN_13',
  EAN8: 'EAN_8',
  UPCA: 'UPC_A',
  UPCE: 'UPC_E',
  Code39: 'CODE_39',
  Code39Std: 'CODE_39',
  Code39Ext: 'CODE_39',
  Code32: 'CODE_39',
  PZN: 'CODE_39',
  Code93: 'CODE_93',
  Code128: 'CODE_128',
  PDF417: 'PDF_417',
  CompactPDF417: 'PDF_417',
  DataMatrix: 'DATA_MATRIX',
  Aztec: 'AZTEC',
  AztecCode: 'AZTEC',
  AztecRune: 'AZTEC',
  Codabar: 'CODABAR',
  ITF: 'ITF',
  ITF14: 'ITF',
  DataBar: 'DATABAR',
  DataBarOmni: 'DATABAR',
  DataBarStk: 'DATABAR',
  DataBarStkOmni: 'DATABAR',
  DataBarExp: 'DATABAR_EXPANDED',
  DataBarExpStk: 'DATABAR_EXPANDED',
  DataBarLtd: 'DATABAR_LIMITED',
  MaxiCode: 'MAXICODE',
};

export function toZxingCppFormats(formats: readonly SymbolFormat[]): ReadInputBarcodeFormat[] {
  return [...new Set(formats.flatMap((f) => TO_ZXING_CPP[f]))];
}

/**
 * Our format and text for one ZXing-C++ result, or null when its format is not enabled. UPC-E comes
 * as a 13-digit GTIN with its 8-digit form in `extra.UPCE`.
 */
export function fromZxingCpp(
  zxFormat: string,
  text: string,
  extra: string,
  enabled: ReadonlySet<SymbolFormat>,
): { format: SymbolFormat; text: string } | null {
  const format = FROM_ZXING_CPP[zxFormat];
  if (format === undefined) return null;
  return normaliseSymbol(format, format === 'UPC_E' ? (upcEFromExtra(extra) ?? text) : text, enabled);
}

/**
 * The format and text we report, or null when the format is not enabled. EAN-13 with a leading 0
 * and UPC-A are the same bars: reported as UPC-A (12 digits) when UPC-A is enabled, else as EAN-13.
 */
export function normaliseSymbol(
  format: SymbolFormat,
  text: string,
  enabled: ReadonlySet<SymbolFormat>,
): { format: SymbolFormat; text: string } | null {
  if (format === 'EAN_13' || format === 'UPC_A') {
    const gtin = format === 'UPC_A' && text.length === 12 ? `0${text}` : text;
    if (gtin.length === 13 && gtin.startsWith('0') && enabled.has('UPC_A'))
      return { format: 'UPC_A', text: gtin.slice(1) };
    return enabled.has('EAN_13') ? { format: 'EAN_13', text: gtin } : null;
  }
  return enabled.has(format) ? { format, text } : null;
}

function upcEFromExtra(extra: string): string | undefined {
  if (extra === '') return undefined;
  try {
    const parsed = JSON.parse(extra) as Record<string, unknown>;
    return typeof parsed.UPCE === 'string' && /^\d{8}$/.test(parsed.UPCE) ? parsed.UPCE : undefined;
  } catch {
    return undefined;
  }
}
