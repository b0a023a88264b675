/**
 * The second engine: @zxing/library (the TypeScript port of ZXing). A fresh MultiFormatReader for
 * every attempt (a reused one leaks state between images), retries on the inverted image and on
 * the image turned 90° (1-D and PDF417 readers scan rows only), and corners derived from the
 * result points, which are not corners (docs/barcode-engine.md, "Corners from @zxing/library").
 */
import zxing from '@zxing/library';
import type { BitMatrix, Result, ResultPoint } from '@zxing/library';
import { normaliseSymbol } from './formats.js';
import { luminance } from './image.js';
import type { Raster } from './raster.js';
import type { Candidate } from './symbols.js';
import { LINEAR_FORMATS, type Corners, type Point, type SymbolFormat } from './types.js';
import { corners1D, cornersDataMatrix, cornersPdf417, cornersQr, type Grey } from './zxing-js-corners.js';

const {
  AztecCodeReader,
  BarcodeFormat,
  BinaryBitmap,
  DataMatrixReader,
  DecodeHintType,
  HybridBinarizer,
  InvertedLuminanceSource,
  MaxiCodeReader,
  MicroQRCodeReader,
  MultiFormatOneDReader,
  PDF417Reader,
  QRCodeReader,
  RGBLuminanceSource,
} = zxing;

type ZxFormat = (typeof BarcodeFormat)[keyof typeof BarcodeFormat];

/** Ours → @zxing/library's (formats it lacks are absent). */
const TO_ZXING_JS: Partial<Record<SymbolFormat, ZxFormat>> = {
  QR_CODE: BarcodeFormat.QR_CODE,
  EAN_13: BarcodeFormat.EAN_13,
  EAN_8: BarcodeFormat.EAN_8,
  UPC_A: BarcodeFormat.UPC_A,
  UPC_E: BarcodeFormat.UPC_E,
  CODE_39: BarcodeFormat.CODE_39,
  CODE_93: BarcodeFormat.CODE_93,
  CODE_128: BarcodeFormat.CODE_128,
  PDF_417: BarcodeFormat.PDF_417,
  DATA_MATRIX: BarcodeFormat.DATA_MATRIX,
  AZTEC: BarcodeFormat.AZTEC,
  CODABAR: BarcodeFormat.CODABAR,
  ITF: BarcodeFormat.ITF,
  DATABAR: BarcodeFormat.RSS_14,
  MAXICODE: BarcodeFormat.MAXICODE,
  MICRO_QR: BarcodeFormat.MICRO_QR_CODE,
  // DataBar Expanded is left out: the port's reader never decoded one in our measurements.
};

/** 2-D readers by format; every 1-D format goes through one MultiFormatOneDReader. */
const MATRIX_READERS: ReadonlyMap<ZxFormat, () => zxing.Reader> = new Map<ZxFormat, () => zxing.Reader>([
  [BarcodeFormat.QR_CODE, () => new QRCodeReader()],
  [BarcodeFormat.DATA_MATRIX, () => new DataMatrixReader()],
  [BarcodeFormat.PDF_417, () => new PDF417Reader()],
  [BarcodeFormat.AZTEC, () => new AztecCodeReader()],
  [BarcodeFormat.MAXICODE, () => new MaxiCodeReader()],
  [BarcodeFormat.MICRO_QR_CODE, () => new MicroQRCodeReader()],
]);

const FROM_ZXING_JS = new Map<ZxFormat, SymbolFormat>(
  Object.entries(TO_ZXING_JS).map(([ours, theirs]) => [theirs, ours as SymbolFormat]),
);

export interface ZxingJsOptions {
  formats: readonly SymbolFormat[];
}

/** Orientation of the grid handed to the reader: `turned` = rotated 90° clockwise. */
interface Attempt {
  turned: boolean;
  inverted: boolean;
}

const ATTEMPTS: readonly Attempt[] = [
  { turned: false, inverted: false },
  { turned: false, inverted: true },
  { turned: true, inverted: false },
  { turned: true, inverted: true },
];

/** Decodes at most one symbol (the library has no multi-symbol reader for all formats). */
export function decodeZxingJs(raster: Raster, options: ZxingJsOptions): Candidate[] {
  const enabled = new Set(options.formats);
  const all = options.formats.flatMap((f) => (TO_ZXING_JS[f] === undefined ? [] : [TO_ZXING_JS[f]]));
  // 2-D readers find symbols at any angle; only row scanners need the turned image.
  const rowScanned = options.formats.flatMap((f) =>
    (LINEAR_FORMATS.has(f) || f === 'PDF_417') && TO_ZXING_JS[f] !== undefined ? [TO_ZXING_JS[f]] : [],
  );
  if (all.length === 0) return [];
  const upright: Grey = { data: luminance(raster), width: raster.width, height: raster.height };
  let turned: Grey | undefined;
  for (const attempt of ATTEMPTS) {
    const formats = attempt.turned ? rowScanned : all;
    if (formats.length === 0) continue;
    turned ??= attempt.turned ? turnClockwise(upright) : undefined;
    const grid = attempt.turned ? turned! : upright;
    const read = readOnce(grid, attempt.inverted, formats);
    if (read === null) continue;
    const { result, matrix } = read;
    const format = FROM_ZXING_JS.get(result.getBarcodeFormat());
    if (format === undefined) continue;
    const mapped = normaliseSymbol(format, result.getText(), enabled);
    if (mapped === null) continue;
    // The port stops at the first row that decodes, so texture can pass as a 1-D code (EAN-8 has
    // one check digit): a 1-D read counts only if other rows of the same bars read the same text.
    if (LINEAR_FORMATS.has(format) && !confirmedElsewhere(grid, attempt.inverted, result)) continue;
    const corners = deriveCorners(format, result.getResultPoints(), grid, matrix);
    if (corners === null) continue;
    const back = attempt.turned ? mapCorners(corners, (p) => unturn(p, upright.height)) : corners;
    return [{ ...mapped, corners: back, lines: 0 }];
  }
  return [];
}

function readOnce(
  grid: Grey,
  inverted: boolean,
  formats: readonly ZxFormat[],
): { result: Result; matrix: () => BitMatrix } | null {
  const hints = new Map<zxing.DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, formats],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  let source: zxing.LuminanceSource = new RGBLuminanceSource(
    new Uint8ClampedArray(grid.data.buffer, grid.data.byteOffset, grid.data.length),
    grid.width,
    grid.height,
  );
  if (inverted) source = new InvertedLuminanceSource(source);
  const bitmap = new BinaryBitmap(new HybridBinarizer(source));
  // New readers for every decode: reused ones keep state and return earlier images' values. (The
  // package's MultiFormatReader is not used: it logs every miss of its 2-D readers as a warning.)
  const readers = formats.flatMap((f) => {
    const make = MATRIX_READERS.get(f);
    return make === undefined ? [] : [make()];
  });
  const linear = formats.filter((f) => !MATRIX_READERS.has(f));
  if (linear.length > 0) {
    readers.push(
      new MultiFormatOneDReader(
        new Map<zxing.DecodeHintType, unknown>([...hints, [DecodeHintType.POSSIBLE_FORMATS, linear]]),
      ),
    );
  }
  for (const reader of readers) {
    try {
      return { result: reader.decode(bitmap, hints), matrix: () => bitmap.getBlackMatrix() };
    } catch {
      // not found / checksum / format error: try the next reader
    } finally {
      reader.reset();
    }
  }
  return null;
}

/** Re-reads the image with the rows around the first hit blanked out; the text must repeat. */
function confirmedElsewhere(grid: Grey, inverted: boolean, first: Result): boolean {
  const points = (first.getResultPoints() as (ResultPoint | null)[]).filter((p): p is ResultPoint => p !== null);
  if (points.length === 0) return false;
  const y = Math.round(points.reduce((sum, p) => sum + p.getY(), 0) / points.length);
  const band = Math.max(3, Math.round(grid.height / 100));
  const data = grid.data.slice();
  const paper = inverted ? 0 : 255;
  for (let row = Math.max(0, y - band); row <= Math.min(grid.height - 1, y + band); row++) {
    data.fill(paper, row * grid.width, (row + 1) * grid.width);
  }
  const again = readOnce({ data, width: grid.width, height: grid.height }, inverted, [first.getBarcodeFormat()]);
  return again !== null && again.result.getText() === first.getText();
}

function deriveCorners(
  format: SymbolFormat,
  resultPoints: ResultPoint[],
  grid: Grey,
  matrix: () => BitMatrix,
): Corners | null {
  // Some readers leave holes (null) in the point list: keep positions, they carry meaning.
  const pts = (resultPoints as (ResultPoint | null)[]).map((p) =>
    p === null || p === undefined ? undefined : { x: p.getX(), y: p.getY(), moduleSize: moduleSizeOf(p) },
  );
  switch (format) {
    case 'QR_CODE':
      return cornersQr(pts);
    case 'DATA_MATRIX':
      return cornersDataMatrix(pts, matrix());
    case 'PDF_417':
      return cornersPdf417(pts);
    default:
      return LINEAR_FORMATS.has(format) ? corners1D(pts, grid) : boundingBox(pts.filter((p) => p !== undefined));
  }
}

function moduleSizeOf(p: ResultPoint): number | undefined {
  const f = (p as unknown as { getEstimatedModuleSize?: () => number }).getEstimatedModuleSize;
  return typeof f === 'function' ? f.call(p) : undefined;
}

function boundingBox(pts: readonly Point[]): Corners | null {
  if (pts.length === 0) return null;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return {
    topLeft: { x: x0, y: y0 },
    topRight: { x: x1, y: y0 },
    bottomRight: { x: x1, y: y1 },
    bottomLeft: { x: x0, y: y1 },
  };
}

/** Rotates 90° clockwise: (x, y) → (H − 1 − y, x); the result is H wide and W high. */
function turnClockwise(g: Grey): Grey {
  const { width: w, height: h } = g;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const nx = h - 1 - y;
    for (let x = 0; x < w; x++) out[x * h + nx] = g.data[row + x]!;
  }
  return { data: out, width: h, height: w };
}

/** A point of the turned grid back in the upright one (pixel edges: x' = H − y). */
function unturn(p: Point, uprightHeight: number): Point {
  return { x: p.y, y: uprightHeight - p.x };
}

function mapCorners(c: Corners, f: (p: Point) => Point): Corners {
  return { topLeft: f(c.topLeft), topRight: f(c.topRight), bottomRight: f(c.bottomRight), bottomLeft: f(c.bottomLeft) };
}
