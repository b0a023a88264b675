/**
 * Turning an oriented region of the upload upright: the region is resampled (bilinear, on the
 * luminance) into an axis-aligned raster whose x axis runs across the bars, so ZXing's row scans
 * cross every bar. The affine frame is kept so positions found in the raster map back exactly.
 */
import type { BarRegion } from './orientation.js';
import type { Corners, Point } from './types.js';

/** Maps raster pixels of an upright crop back to upload pixels. */
export interface UprightFrame {
  /** upload position of the raster's (0, 0) */
  ox: number;
  oy: number;
  /** upload pixels per raster pixel along the raster's x and y axes */
  xx: number;
  xy: number;
  yx: number;
  yy: number;
}

export interface UprightCrop {
  grey: Uint8Array;
  width: number;
  height: number;
  frame: UprightFrame;
}

/**
 * Room added around a region: the bar blocks stop short of the outermost bars and the quiet zone
 * (and an EAN add-on sits up to half the main symbol's length beside it).
 */
const ACROSS_MARGIN = 0.3;
const ALONG_MARGIN = 0.25;

/**
 * The crop's size in raster pixels and its sampling step (upload pixels per raster pixel: 1, or 0.5
 * for a 2× enlargement), before any pixel is sampled (for budgets). The step grows beyond the one
 * asked for when the crop would exceed `maxPixels`.
 */
export function uprightSize(
  region: BarRegion,
  maxPixels: number,
  preferredStep = 1,
): { width: number; height: number; step: number } {
  const across = 2 * region.halfAcross * (1 + ACROSS_MARGIN) + 8;
  const along = 2 * region.halfAlong * (1 + ALONG_MARGIN) + 8;
  const step = Math.max(preferredStep, Math.sqrt((across * along) / maxPixels));
  return { width: Math.max(1, Math.round(across / step)), height: Math.max(1, Math.round(along / step)), step };
}

export function uprightCrop(
  grey: Uint8Array,
  w: number,
  h: number,
  region: BarRegion,
  maxPixels: number,
  preferredStep = 1,
): UprightCrop {
  const { width, height, step } = uprightSize(region, maxPixels, preferredStep);
  const ux = Math.cos(region.angle);
  const uy = Math.sin(region.angle);
  const frame: UprightFrame = {
    xx: ux * step,
    xy: uy * step,
    yx: -uy * step,
    yy: ux * step,
    ox: 0,
    oy: 0,
  };
  frame.ox = region.cx - (width / 2) * frame.xx - (height / 2) * frame.yx;
  frame.oy = region.cy - (width / 2) * frame.xy - (height / 2) * frame.yy;
  const out = new Uint8Array(width * height);
  const maxX = w - 1;
  const maxY = h - 1;
  for (let j = 0; j < height; j++) {
    let sx = frame.ox + j * frame.yx;
    let sy = frame.oy + j * frame.yy;
    const row = j * width;
    for (let i = 0; i < width; i++, sx += frame.xx, sy += frame.xy) {
      // Bilinear, edges clamped.
      const x = sx < 0 ? 0 : sx > maxX ? maxX : sx;
      const y = sy < 0 ? 0 : sy > maxY ? maxY : sy;
      const x0 = Math.min(x | 0, maxX - 1 < 0 ? 0 : maxX - 1);
      const y0 = Math.min(y | 0, maxY - 1 < 0 ? 0 : maxY - 1);
      const fx = x - x0;
      const fy = y - y0;
      const x1 = Math.min(x0 + 1, maxX);
      const y1 = Math.min(y0 + 1, maxY);
      const a = grey[y0 * w + x0]! + fx * (grey[y0 * w + x1]! - grey[y0 * w + x0]!);
      const b = grey[y1 * w + x0]! + fx * (grey[y1 * w + x1]! - grey[y1 * w + x0]!);
      out[row + i] = a + fy * (b - a) + 0.5;
    }
  }
  return { grey: out, width, height, frame };
}

export function mapPoint(frame: UprightFrame, p: Point): Point {
  return { x: frame.ox + p.x * frame.xx + p.y * frame.yx, y: frame.oy + p.x * frame.xy + p.y * frame.yy };
}

export function mapCorners(frame: UprightFrame, c: Corners): Corners {
  const f = (p: Point): Point => mapPoint(frame, p);
  return { topLeft: f(c.topLeft), topRight: f(c.topRight), bottomRight: f(c.bottomRight), bottomLeft: f(c.bottomLeft) };
}
