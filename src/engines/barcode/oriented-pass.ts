/**
 * The any-angle pass for 1-D barcodes (and PDF417, whose rows are bars too): regions with strong
 * parallel gradients are found (orientation.ts), each is turned upright (upright.ts) and read on
 * its own, and positions are mapped back into upload pixels. ZXing scans rows and columns only, so a
 * barcode photographed at 15–75° from the image axes is read here or not at all.
 */
import { addOnMode } from './addon.js';
import { enhanceBars } from './bar-filter.js';
import type { PixelBudget } from './budget.js';
import { readEanProfiles } from './ean-profile.js';
import { findBarRegions, type BarRegion } from './orientation.js';
import type { Source } from './preprocess.js';
import { greyToRgba } from './raster.js';
import type { Candidate } from './symbols.js';
import { LINEAR_FORMATS, type SymbolFormat } from './types.js';
import { mapCorners, uprightCrop, uprightSize } from './upright.js';
import { toCandidates } from './zxing-cpp-candidate.js';
import { normaliseSymbol, toZxingCppFormats } from './formats.js';
import { readZxingCpp, type ZxingCppOptions } from './zxing-cpp.js';

/** Regions examined per image, strongest first. */
const MAX_REGIONS = 4;
/** An upright crop larger than this is sampled coarser (a step above one upload pixel). */
const MAX_CROP_PIXELS = 1_000_000;

/** The formats this pass looks for: the enabled bar formats. */
export function orientedFormats(formats: readonly SymbolFormat[]): SymbolFormat[] {
  return formats.filter((f) => LINEAR_FORMATS.has(f) || f === 'PDF_417');
}

export async function orientedPass(
  src: Source,
  formats: readonly SymbolFormat[],
  budget: PixelBudget,
): Promise<Candidate[]> {
  const wanted = orientedFormats(formats);
  if (wanted.length === 0) return [];
  const enabled = new Set(wanted);
  const zxFormats = toZxingCppFormats(wanted);
  const regions = findBarRegions(src.grey, src.width, src.height, { maxRegions: MAX_REGIONS });
  const found: Candidate[] = [];
  for (const attempt of ATTEMPTS) {
    for (const region of regions) {
      const size = uprightSize(region, MAX_CROP_PIXELS, attempt.step);
      if (!budget.take(size.width * size.height)) continue;
      const crop = uprightCrop(src.grey, src.width, src.height, region, MAX_CROP_PIXELS, attempt.step);
      const grey = attempt.enhance ? enhanceBars(crop.grey, crop.width, crop.height) : crop.grey;
      const raster = greyToRgba(grey, crop.width, crop.height);
      const results = await readZxingCpp(raster, {
        ...attempt.options,
        formats: zxFormats,
        eanAddOnSymbol: addOnMode(enabled),
      });
      for (const c of toCandidates(results, enabled)) found.push({ ...c, corners: mapCorners(crop.frame, c.corners) });
    }
    if (found.length > 0) return found;
  }
  return edgeReads(src, regions, enabled, budget);
}

/** Last resort for EAN-13 / UPC-A / UPC-E: each region's profiles read from edges (ean-profile.ts). */
function edgeReads(
  src: Source,
  regions: readonly BarRegion[],
  enabled: ReadonlySet<SymbolFormat>,
  budget: PixelBudget,
): Candidate[] {
  if (!['EAN_13', 'UPC_A', 'UPC_E'].some((f) => enabled.has(f as SymbolFormat))) return [];
  const found: Candidate[] = [];
  for (const region of regions) {
    const size = uprightSize(region, MAX_CROP_PIXELS, 0.5);
    if (!budget.take(size.width * size.height)) continue;
    const crop = uprightCrop(src.grey, src.width, src.height, region, MAX_CROP_PIXELS, 0.5);
    for (const r of readEanProfiles(crop.grey, crop.width, crop.height)) {
      const symbol = normaliseSymbol(r.format, r.text, enabled);
      if (symbol === null) continue;
      const box = {
        topLeft: { x: r.x0, y: r.y0 },
        topRight: { x: r.x1, y: r.y0 },
        bottomRight: { x: r.x1, y: r.y1 },
        bottomLeft: { x: r.x0, y: r.y1 },
      };
      found.push({ ...symbol, corners: mapCorners(crop.frame, box), lines: r.lines });
    }
  }
  return found;
}

/**
 * Each region is read at upload resolution first; when no region gives anything, again enlarged 2×
 * with the histogram binariser (as the upscaled pass does for whole images): bars a pixel or two
 * wide, which the local-average binariser loses; last, enlarged, averaged along the bars and
 * sharpened across them (bar-filter.ts): defocused bars.
 */
const ATTEMPTS: readonly { step: number; enhance: boolean; options: ZxingCppOptions }[] = [
  { step: 1, enhance: false, options: {} },
  { step: 0.5, enhance: false, options: { binarizer: 'GlobalHistogram', tryDownscale: false } },
  { step: 0.5, enhance: true, options: { binarizer: 'GlobalHistogram', tryDownscale: false } },
];
