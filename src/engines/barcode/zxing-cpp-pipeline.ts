/**
 * The zxing-wasm decode pipeline: one pass with the library defaults, and — only when it finds
 * nothing — a few retry passes on preprocessed variants. Measured on the shared corpus (see
 * docs/barcode-engine.md); every pass is a general technique, none is tuned to single images.
 */
import { addOnMode } from './addon.js';
import { PixelBudget } from './budget.js';
import { toZxingCppFormats } from './formats.js';
import { orientedPass } from './oriented-pass.js';
import { makeVariant, Source, variantPixels, type VariantRequest } from './preprocess.js';
import type { Raster } from './raster.js';
import { type Candidate, reconcile, scaleCorners } from './symbols.js';
import type { SymbolFormat } from './types.js';
import { toCandidates } from './zxing-cpp-candidate.js';
import { readZxingCpp, type ZxingCppOptions } from './zxing-cpp.js';

/** Above this many pixels the first pass runs on a copy of about LARGE_TARGET pixels. */
export const LARGE_PIXELS = 4_000_000;
const LARGE_TARGET = 3_000_000;
/** Upscaling pays off for small images only (thin bars, tiny modules). */
const UPSCALE_MAX_SIDE = 600;
/**
 * Pixels the retry passes of one image may hand to ZXing in total (variants and upright crops):
 * checked before each variant is made, so a huge or hostile image skips passes instead of holding
 * the worker. A 640 × 480 photo fits every pass; a 12 MP one its full-size and sharpened retries
 * plus 8 MP of upright crops for the any-angle search.
 */
export const RETRY_PIXEL_BUDGET = 32_000_000;

export interface Pass {
  name: string;
  variant: VariantRequest;
  options: ZxingCppOptions;
  /** Whether the pass is worth running on an image of this size. */
  applies(width: number, height: number): boolean;
}

const always = (): boolean => true;

/** The first pass: library defaults; very large photos are downscaled first (full size is a retry). */
export function firstPass(width: number, height: number): Pass {
  const large = width * height > LARGE_PIXELS;
  return {
    name: large ? 'downscaled' : 'default',
    variant: large ? { kind: 'downscaled', targetPixels: LARGE_TARGET } : { kind: 'original' },
    options: {},
    applies: always,
  };
}

/** Retry passes, in order; the first that finds something ends the search. */
export const RETRY_PASSES: readonly Pass[] = [
  {
    // The full-size image when the first pass only saw a downscaled copy.
    name: 'full-size',
    variant: { kind: 'original' },
    options: {},
    applies: (w, h) => w * h > LARGE_PIXELS,
  },
  {
    // 2× bicubic with the histogram binariser: narrow bars and small modules in low-resolution
    // images. Downscaling it again would undo the point, so tryDownscale is off.
    name: 'upscaled',
    variant: { kind: 'upscaled' },
    options: { binarizer: 'GlobalHistogram', tryDownscale: false },
    applies: (w, h) => Math.min(w, h) <= UPSCALE_MAX_SIDE,
  },
  {
    // Unsharp mask + histogram binariser: blurred 1-D codes (retail photos out of focus).
    name: 'sharpened',
    variant: { kind: 'sharpened' },
    options: { binarizer: 'GlobalHistogram', tryDownscale: false },
    applies: always,
  },
  {
    // A fixed threshold: low-contrast or unevenly lit codes where the local average fails.
    name: 'fixed-threshold',
    variant: { kind: 'original' },
    options: { binarizer: 'FixedThreshold' },
    applies: (w, h) => w * h <= LARGE_PIXELS,
  },
];

/**
 * Whole-image passes tried only when everything else, the any-angle search included, found
 * nothing: each could pre-empt a read of the search, so they come last and change no read of an
 * image the engine reads without them.
 */
export const LAST_PASSES: readonly Pass[] = [
  {
    // Gaussian blur + histogram binariser: modules broken up by texture (a picture inside a QR
    // code, halftone print, noise), which the local-average binariser follows.
    name: 'smoothed',
    variant: { kind: 'smoothed' },
    options: { binarizer: 'GlobalHistogram', tryDownscale: false },
    applies: always,
  },
  {
    // The upscaled and sharpened passes combined: small codes that are also slightly out of focus.
    name: 'upscaled-sharpened',
    variant: { kind: 'upscaled-sharpened' },
    options: { binarizer: 'GlobalHistogram', tryDownscale: false },
    applies: (w, h) => Math.min(w, h) <= UPSCALE_MAX_SIDE,
  },
];

export interface ZxingCppPipelineOptions {
  formats: readonly SymbolFormat[];
  /** false = the first pass only (what the bare library does). */
  retries: boolean;
}

export interface PipelineResult {
  candidates: Candidate[];
  /** the pass that found the symbols, or null when none did */
  pass: string | null;
}

export async function decodeZxingCpp(raster: Raster, options: ZxingCppPipelineOptions): Promise<PipelineResult> {
  const src = new Source(raster);
  const enabled = new Set(options.formats);
  const formats = toZxingCppFormats(options.formats);
  if (formats.length === 0) return { candidates: [], pass: null };
  const first = firstPass(src.width, src.height);
  const found = await runPass(src, first, formats, enabled);
  if (found.length > 0 || !options.retries) return { candidates: found, pass: found.length > 0 ? first.name : null };
  const budget = new PixelBudget(RETRY_PIXEL_BUDGET);
  for (const pass of RETRY_PASSES) {
    if (!pass.applies(src.width, src.height) || !budget.take(variantPixels(src, pass.variant))) continue;
    const candidates = await runPass(src, pass, formats, enabled);
    if (candidates.length > 0) return { candidates, pass: pass.name };
  }
  const oriented = reconcile(await orientedPass(src, options.formats, budget));
  if (oriented.length > 0) return { candidates: oriented, pass: ORIENTED_PASS };
  for (const pass of LAST_PASSES) {
    if (!pass.applies(src.width, src.height) || !budget.take(variantPixels(src, pass.variant))) continue;
    const candidates = await runPass(src, pass, formats, enabled);
    if (candidates.length > 0) return { candidates, pass: pass.name };
  }
  return { candidates: [], pass: null };
}

/** The name reported for the any-angle search (oriented-pass.ts). */
export const ORIENTED_PASS = 'oriented';

async function runPass(
  src: Source,
  pass: Pass,
  formats: ReturnType<typeof toZxingCppFormats>,
  enabled: ReadonlySet<SymbolFormat>,
): Promise<Candidate[]> {
  const variant = makeVariant(src, pass.variant);
  const results = await readZxingCpp(variant.raster, { ...pass.options, formats, eanAddOnSymbol: addOnMode(enabled) });
  return reconcile(
    toCandidates(results, enabled).map((c) => ({
      ...c,
      corners: scaleCorners(c.corners, variant.scaleX, variant.scaleY),
    })),
  );
}
