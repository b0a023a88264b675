/**
 * Pages that arrive turned: a phone photo stored sideways without an EXIF orientation, a
 * screenshot rotated before upload. Detected boxes standing on end mean a quarter turn, and
 * PP-OCR's text-angle classifier (a line laid flat: upright or upside down) tells which quarter.
 * A half turn is not told from the classifier (lines of digits and display faces read upside
 * down as often as not): a page that does not read as a health code is read again half turned
 * (paddle/index.ts).
 */
import type { Decoded } from '../image.js';
import type { TextBox } from './detect.js';
import { type Point, quadBounds } from './geometry.js';
import type { PaddleModels } from './models.js';
import { REC_NORM, type Rgb, sampleInto } from './tensor.js';

/** Clockwise quarter turns. */
export type Turns = 0 | 1 | 2 | 3;

/** The classifier's input: lines scaled to 48 px high, at most 192 wide (PaddleOCR's cls_image_shape). */
const CLS_HEIGHT = 48;
const CLS_WIDTH = 192;
/** Lines the classifier looks at: the longest (a few are enough; each costs about a millisecond). */
const CLS_LINES = 8;
/** A line counts as standing or lying when its long side is this many times its short one (one or two glyphs are square either way). */
const LONG_LINE = 2;
/** Fewer long lines than this: no decision. */
const MIN_LINES = 3;
/**
 * Pages turned at most this size (a phone camera's 12 MP photo; a screenshot is under 5 MP): a
 * turn copies the decoded page, and a 50 MP upload must not double its 200 MB.
 */
const TURN_MAX_PIXELS = 16_000_000;

/** Whether a page is small enough to be turned (TURN_MAX_PIXELS). */
export const turnable = (img: { width: number; height: number }): boolean => img.width * img.height <= TURN_MAX_PIXELS;

interface Frame {
  origin: Point;
  ex: Point;
  ey: Point;
  /** Along the text and across it, in pixels. */
  length: number;
  thickness: number;
}

type Bounds = ReturnType<typeof quadBounds>;

const wide = (b: Bounds) => b.x1 - b.x0;
const tall = (b: Bounds) => b.y1 - b.y0;
const longest = (boxes: Bounds[]) =>
  boxes.sort((a, b) => Math.max(tall(b), wide(b)) - Math.max(tall(a), wide(a))).slice(0, CLS_LINES);

/**
 * The clockwise quarter turns that stand a sideways page upright (1 or 3), from its detected
 * boxes: 0 unless most of its long boxes stand on end.
 */
export async function quarterTurns(models: PaddleModels, rgb: Rgb, boxes: readonly TextBox[]): Promise<Turns> {
  if (!turnable(rgb)) return 0;
  const all = boxes.map((b) => quadBounds(b.quad));
  const standing = all.filter((b) => tall(b) >= LONG_LINE * wide(b));
  const lying = all.filter((b) => wide(b) >= LONG_LINE * tall(b));
  if (standing.length <= lying.length || standing.length < MIN_LINES) return 0;
  // Each laid flat as a page turned a quarter clockwise shows it: read downwards, the glyphs'
  // tops to the right. Upright that way, the page goes back by three more quarters.
  const frames = longest(standing).map((b) => ({
    origin: { x: b.x1, y: b.y0 },
    ex: { x: 0, y: tall(b) },
    ey: { x: -wide(b), y: 0 },
    length: tall(b),
    thickness: wide(b),
  }));
  return mean(await upsideDown(models, rgb, frames)) > 0.5 ? 1 : 3;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** One classification of a strip of `rgb`: the classifier's first-call set-up done before any request. */
export async function warmClassifier(models: PaddleModels, rgb: Rgb): Promise<void> {
  await upsideDown(models, rgb, [
    {
      origin: { x: 0, y: 0 },
      ex: { x: rgb.width, y: 0 },
      ey: { x: 0, y: rgb.height },
      length: rgb.width,
      thickness: rgb.height,
    },
  ]);
}

/** The classifier's probability that each frame's text is upside down. */
async function upsideDown(models: PaddleModels, rgb: Rgb, frames: readonly Frame[]): Promise<number[]> {
  const plane = CLS_HEIGHT * CLS_WIDTH;
  const input = new Float32Array(frames.length * 3 * plane);
  frames.forEach((f, n) => {
    const width = Math.max(1, Math.min(CLS_WIDTH, Math.ceil((CLS_HEIGHT * f.length) / Math.max(1, f.thickness))));
    sampleInto(rgb, f.origin, f.ex, f.ey, width, CLS_HEIGHT, input, n, CLS_WIDTH, REC_NORM);
  });
  const { cls, ort } = models;
  const result = await cls.run({
    [cls.inputNames[0]!]: new ort.Tensor('float32', input, [frames.length, 3, CLS_HEIGHT, CLS_WIDTH]),
  });
  const probs = result[cls.outputNames[0]!]!.data as Float32Array;
  return frames.map((_, n) => probs[n * 2 + 1]!);
}

/** The page turned `turns` quarter turns clockwise (pixels and darkest channel). */
export function turnDecoded(img: Decoded, turns: Turns): Decoded {
  if (turns === 0) return img;
  const { width: W, height: H } = img;
  const width = turns === 2 ? W : H;
  const height = turns === 2 ? H : W;
  const rgb = Buffer.allocUnsafe(W * H * 3);
  const dark = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Where (x, y) goes: a clockwise quarter turn takes it to (H − 1 − y, x).
      const to =
        turns === 1
          ? x * width + (H - 1 - y)
          : turns === 2
            ? (H - 1 - y) * width + (W - 1 - x)
            : (W - 1 - x) * width + y;
      const from = y * W + x;
      dark[to] = img.dark[from]!;
      rgb[to * 3] = img.rgb[from * 3]!;
      rgb[to * 3 + 1] = img.rgb[from * 3 + 1]!;
      rgb[to * 3 + 2] = img.rgb[from * 3 + 2]!;
    }
  }
  return { width, height, rgb, dark };
}
