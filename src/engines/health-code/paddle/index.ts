/**
 * The PP-OCR health-code engine, run inside an OCR worker thread: decode (sharp) → QR code and
 * its colour → text detection (DB) → line recognition (CTC) → layout-free field extraction.
 * See docs/health-code.md.
 */
import { ApiError } from '../../../errors/api-error.js';
import { emptyFields, extractFromLines, isHealthCodePage, normaliseText, type TextLine } from '../fields/index.js';
import { ID_LABEL, findId } from '../fields/person.js';
import type { Quad } from './geometry.js';
import { type Decoded, decodeImage, isBlank } from '../image.js';
import { locateQrCode, qrColour } from '../qr-code.js';
import type { HealthCodeFields } from '../types.js';
import { DEFAULT_DETECT, type DetectOptions, type TextBox, detect } from './detect.js';
import { type PaddleModels, loadModels } from './models.js';
import { recognizeLines } from './recognize.js';

export interface PaddleEngineOptions {
  /** onnxruntime threads per model call (intra-op). */
  threads?: number;
  detect?: Partial<DetectOptions>;
  /** Lines per recognition call. */
  batch?: number;
}

export interface PaddleEngine {
  recognize(image: Uint8Array, options: { maxPixels: number }): Promise<HealthCodeFields>;
  /** The text lines of an image (diagnostics and tests). */
  readLines(img: Decoded): Promise<TextLine[]>;
  /** One detection and one recognition on a synthetic page: first-call set-up lands here. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export async function loadPaddleEngine(options: PaddleEngineOptions = {}): Promise<PaddleEngine> {
  const models = await loadModels(options.threads ?? 1);
  const detectOptions = { ...DEFAULT_DETECT, ...options.detect };
  const batch = options.batch ?? 6;

  const readLines = async (img: Decoded, skip?: (box: TextBox) => boolean): Promise<TextLine[]> => {
    const rgb = { width: img.width, height: img.height, data: img.rgb };
    const boxes = (await detect(models.det, models.ort, rgb, detectOptions)).filter((b) => !skip?.(b));
    const read = await recognizeLines(models.rec, models.ort, rgb, boxes.map((b) => b.quad), models.dictionary, { batch });
    return boxes
      .map((box, i) => toLine(box, read[i]!.text, read[i]!.score))
      .filter((l) => l.text !== '');
  };

  /** One band of the page, from `line`'s left edge to `x1`, read as a single text line. */
  const readBand = async (img: Decoded, line: TextLine, x1: number): Promise<TextLine | undefined> => {
    const pad = 0.25 * line.h;
    const y0 = Math.max(0, line.y0 - pad);
    const y1 = Math.min(img.height, line.y1 + pad);
    const x0 = Math.max(0, line.x0 - pad);
    if (x1 <= x0 || y1 <= y0) return undefined;
    const quad: Quad = [{ x: x0, y: y0 }, { x: x1, y: y0 }, { x: x1, y: y1 }, { x: x0, y: y1 }];
    const rgb = { width: img.width, height: img.height, data: img.rgb };
    const [read] = await recognizeLines(models.rec, models.ort, rgb, [quad], models.dictionary, { batch: 1 });
    return read && read.text ? toLine({ quad, score: 1 }, read.text, read.score) : undefined;
  };

  return {
    async recognize(image, { maxPixels }) {
      const img = await decodeImage(image, maxPixels);
      if (isBlank(img)) throw new ApiError('FailedOperation.ImageNoText');
      const qr = locateQrCode(img);
      // Text "found" in the QR code's modules is noise.
      const insideQr = (b: TextBox) => {
        if (!qr) return false;
        const cx = (b.quad[0].x + b.quad[2].x) / 2;
        const cy = (b.quad[0].y + b.quad[2].y) / 2;
        return cx > qr.x && cx < qr.x + qr.w && cy > qr.y && cy < qr.y + qr.h;
      };
      const lines = await readLines(img, insideQr);
      if (lines.length === 0) throw new ApiError('FailedOperation.ImageNoText');
      if (!isHealthCodePage(lines)) return emptyFields();
      const fields = extractFromLines(lines);
      if (fields.IDNumber === '') {
        // Star runs are small and faint: where a row holds an ID label or a starred number but
        // no whole ID was read, read the row again as one band from its first box to the
        // page's right text edge.
        for (const line of idRows(lines).slice(0, 2)) {
          const band = await readBand(img, line, rightEdge(lines, img.width));
          const id = band ? findId([band]) : '';
          if (id) {
            fields.IDNumber = id;
            break;
          }
        }
      }
      fields.Color = qr ? qrColour(img, qr) : '';
      return fields;
    },
    readLines: (img) => readLines(img),
    async warm() {
      await readLines(warmUpImage());
    },
    async close() {
      await Promise.allSettled([models.det.release(), models.rec.release()]);
    },
  };
}

/** Rows that hold an ID: an ID label, or digits next to a star. */
function idRows(lines: readonly TextLine[]): TextLine[] {
  return lines.filter((l) => ID_LABEL.test(l.text) || /\d\s*\*|\*\s*\d/.test(l.text)).sort((a, b) => Number(ID_LABEL.test(b.text)) - Number(ID_LABEL.test(a.text)));
}

/** The right edge of the page's text (the widest line's end), inside the image. */
function rightEdge(lines: readonly TextLine[], width: number): number {
  return Math.min(width, Math.max(...lines.map((l) => l.x1)));
}

function toLine(box: TextBox, text: string, score: number): TextLine {
  const xs = box.quad.map((p) => p.x);
  const ys = box.quad.map((p) => p.y);
  const [tl, , , bl] = box.quad;
  return {
    text: normaliseText(text),
    x0: Math.min(...xs),
    y0: Math.min(...ys),
    x1: Math.max(...xs),
    y1: Math.max(...ys),
    h: Math.hypot(bl.x - tl.x, bl.y - tl.y),
    score,
  };
}

/** A white page with two rows of dark glyph-like blocks. */
function warmUpImage(): Decoded {
  const width = 320;
  const height = 160;
  const rgb = Buffer.alloc(width * height * 3, 255);
  for (let row = 0; row < 2; row++) {
    for (let g = 0; g < 8; g++) {
      for (let y = 30 + row * 60; y < 60 + row * 60; y++) {
        for (let x = 20 + g * 36; x < 44 + g * 36; x++) if ((x + y) % 7 < 4) rgb.fill(0, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  return { width, height, rgb, dark: new Uint8Array(width * height) };
}

export type { PaddleModels };
