/**
 * QrcodeOCR (PROTOCOL.md §6.1): every barcode and 2-D code in the image, each with TypeName,
 * Url (the decoded text, whatever it is) and four corners, plus the image size.
 */
import { Type } from '@sinclair/typebox';
import type { Config } from '../config.js';
import { LINEAR_FORMATS, type DecodedSymbol, type SymbolFormat } from '../engines/barcode/types.js';
import { intakeImage } from '../engines/image-input.js';
import { DEFAULT_BLUR_THRESHOLD, classifyNoSymbol, measureSharpness } from '../engines/image-quality.js';
import { ApiError } from '../errors/api-error.js';
import { MB, imageParams } from './image-params.js';
import { defineAction } from './types.js';

/** Documented spellings: 1-D names with a hyphen, 2-D names with an underscore. */
const HYPHEN_NAMES: Partial<Record<SymbolFormat, string>> = {
  EAN_13: 'EAN-13',
  EAN_8: 'EAN-8',
  UPC_A: 'UPC-A',
  UPC_E: 'UPC-E',
  EAN_2: 'EAN-2',
  EAN_5: 'EAN-5',
  CODE_39: 'CODE-39',
  CODE_93: 'CODE-93',
  CODE_128: 'CODE-128',
};

export function typeName(format: SymbolFormat, style: Config['typeNameStyle']): string {
  return style === 'hyphen' ? (HYPHEN_NAMES[format] ?? format) : format;
}

const NO_POSITION = { X: -1, Y: -1 };

export function codeResult(symbol: DecodedSymbol, config: Pick<Config, 'typeNameStyle' | 'linearPosition'>) {
  const hidden = LINEAR_FORMATS.has(symbol.format) && config.linearPosition === 'minus-one';
  const coord = (point: { x: number; y: number }) =>
    hidden ? { ...NO_POSITION } : { X: Math.round(point.x), Y: Math.round(point.y) };
  return {
    TypeName: typeName(symbol.format, config.typeNameStyle),
    Url: symbol.text,
    Position: {
      LeftTop: coord(symbol.corners.topLeft),
      RightTop: coord(symbol.corners.topRight),
      RightBottom: coord(symbol.corners.bottomRight),
      LeftBottom: coord(symbol.corners.bottomLeft),
    },
  };
}

export const qrcodeOcr = defineAction({
  name: 'QrcodeOCR',
  params: Type.Object(imageParams),
  regions: (config) => config.qrcodeRegions,
  offline: () => false,
  async handle(params, { config, engines, seen }) {
    const image = await intakeImage(params, { maxBase64Length: 3 * MB, maxPixels: config.maxImagePixels }, engines.url);
    const decoded = await (await engines.barcode()).decode(image.bytes);
    seen.image = image.bytes;
    seen.marks = decoded.symbols.map((symbol) => ({
      text: symbol.text,
      type: symbol.format,
      corners: [
        symbol.corners.topLeft,
        symbol.corners.topRight,
        symbol.corners.bottomRight,
        symbol.corners.bottomLeft,
      ].map((p) => [p.x, p.y] as [number, number]),
    }));
    if (decoded.symbols.length === 0) {
      // No symbol: a blurry image answers ImageBlur, a sharp (or blank) one ImageNoText.
      const sharpness = await measureSharpness(image.bytes);
      const verdict = classifyNoSymbol(sharpness, config.blurThreshold ?? DEFAULT_BLUR_THRESHOLD);
      throw new ApiError(verdict === 'blur' ? 'FailedOperation.ImageBlur' : 'FailedOperation.ImageNoText', [], {
        details: { sharpness },
      });
    }
    return {
      CodeResults: decoded.symbols.map((symbol) => codeResult(symbol, config)),
      ImgSize: { Wide: decoded.width, High: decoded.height },
    };
  },
});
