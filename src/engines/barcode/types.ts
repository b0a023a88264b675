/**
 * The barcode engine's contract with the rest of the emulator. The action (src/actions/qrcode-ocr.ts)
 * maps these neutral names to Tencent's TypeName spelling; the engine knows nothing of Tencent.
 */

/** Symbologies the real QrcodeOCR documents (PROTOCOL.md §6.1): enabled by default. */
export const DOCUMENTED_FORMATS = [
  'QR_CODE',
  'EAN_13',
  'EAN_8',
  'UPC_A',
  'UPC_E',
  'CODE_39',
  'CODE_93',
  'CODE_128',
  'PDF_417',
  'DATA_MATRIX',
] as const;

/** Symbologies ZXing reads that the real service does not document: off unless enabled. */
export const EXTRA_FORMATS = [
  'AZTEC',
  'CODABAR',
  'ITF',
  'DATABAR',
  'DATABAR_EXPANDED',
  'DATABAR_LIMITED',
  'MAXICODE',
  'MICRO_QR',
  'RMQR',
  // EAN-2 / EAN-5 add-ons of EAN/UPC codes, reported as symbols of their own (docs/barcode-engine.md:
  // Tencent lists TypeName `EAN-2`, but ZXing-C++ also "reads" add-ons beside codes that have none).
  'EAN_2',
  'EAN_5',
] as const;

export type SymbolFormat = (typeof DOCUMENTED_FORMATS)[number] | (typeof EXTRA_FORMATS)[number];

export const LINEAR_FORMATS: ReadonlySet<SymbolFormat> = new Set<SymbolFormat>([
  'EAN_13',
  'EAN_8',
  'UPC_A',
  'UPC_E',
  'CODE_39',
  'CODE_93',
  'CODE_128',
  'CODABAR',
  'ITF',
  'DATABAR',
  'DATABAR_EXPANDED',
  'DATABAR_LIMITED',
  'EAN_2',
  'EAN_5',
]);

export interface Point {
  x: number;
  y: number;
}

/** The four outer corners in the symbol's own orientation, in pixels of the uploaded image. */
export interface Corners {
  topLeft: Point;
  topRight: Point;
  bottomRight: Point;
  bottomLeft: Point;
}

export interface DecodedSymbol {
  format: SymbolFormat;
  /** Decoded text (UTF-8; binary payloads as ZXing renders them in text mode). */
  text: string;
  corners: Corners;
}

export interface DecodeOutput {
  /** Size of the uploaded image (after EXIF orientation is *not* applied: raw pixel grid). */
  width: number;
  height: number;
  symbols: DecodedSymbol[];
}

/**
 * `zxing-cpp` = zxing-wasm (default), `zxing-js` = @zxing/library, `zxing-cpp+zxing-js` = the
 * second engine is tried only when the first finds nothing.
 */
export type BarcodeEngineName = 'zxing-cpp' | 'zxing-js' | 'zxing-cpp+zxing-js';

export interface BarcodeEngineOptions {
  engine: BarcodeEngineName;
  formats: readonly SymbolFormat[];
  /** Worker threads (≥ 1). */
  workers: number;
  /** Jobs waiting beyond the running ones; past it `decode` rejects with RequestLimitExceeded. */
  maxQueue: number;
  /** Pixel limit (width × height) passed to sharp's limitInputPixels. */
  maxPixels: number;
  /** A decode that takes longer is abandoned, its worker replaced: FailedOperation.UnKnowError. */
  timeoutMs: number;
}

export interface BarcodeEngineStats {
  workers: number;
  running: number;
  queued: number;
  completed: number;
}

/**
 * Errors are thrown as ApiError (src/errors/api-error.ts):
 * - bytes that sharp cannot decode (truncated, corrupt)   → FailedOperation.ImageDecodeFailed
 * - more than maxPixels                                    → FailedOperation.ImageSizeTooLarge
 * - queue full                                             → RequestLimitExceeded (custom message)
 * - worker crashed or timed out                            → FailedOperation.UnKnowError
 * An image with no symbol resolves with `symbols: []`; the action decides what that means.
 */
export interface BarcodeEngine {
  decode(image: Uint8Array): Promise<DecodeOutput>;
  stats(): BarcodeEngineStats;
  close(): Promise<void>;
}
