/**
 * Masks the tesseract page is cleaned with: dark backgrounds (pills, coloured bands) to invert,
 * and frames and rules to erase. Connected components over a 0/1 grid.
 */
import { INK } from './image.js';

/**
 * Cells of the coarse median image that lie on a dark background (a pill, a coloured band):
 * connected dark cells forming an area much larger than a glyph stroke. Bold text also darkens
 * the median, but only in small scattered patches, which are left alone. Enclosed small light
 * areas (white text on a band) join the band; the mask is then dilated a little so a pill's
 * anti-aliased rim is covered (only ink-to-ink spans are inverted later).
 */
export function darkBackgroundCells(
  bg: Uint8Array,
  small: Uint8Array,
  w: number,
  h: number,
  full?: { v: Uint8Array; width: number; height: number },
): Uint8Array {
  const n = w * h;
  const dark = new Uint8Array(n);
  for (let i = 0; i < n; i++) dark[i] = bg[i]! < 140 ? 1 : 0;
  const minSide = Math.max(3, Math.round(w / 60));
  const minArea = Math.max(24, Math.round((w / 30) ** 2 * 3));
  const mask = new Uint8Array(n);
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  // Pass 1: big dark components → mask.
  forEachComponent(dark, 1, w, h, label, stack, (count, x0, y0, x1, y1, members) => {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (count < minArea || bw < minSide * 2 || bh < minSide || count < 0.5 * bw * bh) return;
    // A real background is mostly ink at this scale; dense bold text is not.
    let inked = 0;
    for (let k = 0; k < count; k++) if (small[members[k]!]! < INK) inked++;
    if (inked < 0.7 * count) return;
    // A background is solid: many of its pixel rows (the margins around the text) are ink
    // almost from edge to edge. A line of dense bold text never is: characters leave gaps.
    if (
      full &&
      solidRowShare(
        full.v,
        full.width,
        full.height,
        (x0 * full.width) / w,
        (y0 * full.height) / h,
        ((x1 + 1) * full.width) / w,
        ((y1 + 1) * full.height) / h,
      ) < 0.15
    )
      return;
    for (let k = 0; k < count; k++) mask[members[k]!] = 1;
  });
  // Pass 2: small enclosed light components → mask.
  const maxHole = Math.round((w / 8) ** 2);
  label.fill(0);
  forEachComponent(mask, 0, w, h, label, stack, (count, x0, y0, x1, y1, members) => {
    if (x0 > 0 && y0 > 0 && x1 < w - 1 && y1 < h - 1 && count <= maxHole) {
      for (let k = 0; k < count; k++) mask[members[k]!] = 1;
    }
  });
  return dilate(mask, w, h, Math.max(1, Math.round(w / 120)));
}

/** Share of the box's pixel rows holding an ink run at least 60 % of the box wide. */
function solidRowShare(
  v: Uint8Array,
  width: number,
  height: number,
  fx0: number,
  fy0: number,
  fx1: number,
  fy1: number,
): number {
  const x0 = Math.max(0, Math.floor(fx0));
  const x1 = Math.min(width, Math.ceil(fx1));
  const y0 = Math.max(0, Math.floor(fy0));
  const y1 = Math.min(height, Math.ceil(fy1));
  const need = 0.6 * (x1 - x0);
  let rows = 0;
  let solid = 0;
  for (let y = y0; y < y1; y += 2) {
    rows++;
    let run = 0;
    let best = 0;
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      if (v[row + x]! < INK) {
        run++;
        if (run > best) best = run;
      } else run = 0;
    }
    if (best >= need) solid++;
  }
  return rows ? solid / rows : 0;
}

/**
 * Calls `visit` for each 4-connected component of cells equal to `value`, with its size, bounding
 * box and member indices (valid only during the call). `label` and `stack` are scratch space.
 */
function forEachComponent(
  cells: Uint8Array,
  value: number,
  w: number,
  h: number,
  label: Int32Array,
  stack: Int32Array,
  visit: (count: number, x0: number, y0: number, x1: number, y1: number, members: Int32Array) => void,
): void {
  const members = new Int32Array(w * h);
  let id = 0;
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] !== value || label[start]) continue;
    id++;
    let sp = 0;
    let count = 0;
    stack[sp++] = start;
    label[start] = id;
    let x0 = w;
    let x1 = 0;
    let y0 = h;
    let y1 = 0;
    while (sp > 0) {
      const i = stack[--sp]!;
      members[count++] = i;
      const x = i % w;
      const y = (i - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x > 0 && cells[i - 1] === value && !label[i - 1]) {
        label[i - 1] = id;
        stack[sp++] = i - 1;
      }
      if (x < w - 1 && cells[i + 1] === value && !label[i + 1]) {
        label[i + 1] = id;
        stack[sp++] = i + 1;
      }
      if (y > 0 && cells[i - w] === value && !label[i - w]) {
        label[i - w] = id;
        stack[sp++] = i - w;
      }
      if (y < h - 1 && cells[i + w] === value && !label[i + w]) {
        label[i + w] = id;
        stack[sp++] = i + w;
      }
    }
    visit(count, x0, y0, x1, y1, members);
  }
}

/** Square dilation of a 0/1 mask by `r` cells (separable). */
function dilate(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (mask[row + x]) tmp.fill(1, row + Math.max(0, x - r), row + Math.min(w, x + r + 1));
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!tmp[row + x]) continue;
      const ya = Math.max(0, y - r);
      const yb = Math.min(h - 1, y + r);
      for (let yy = ya; yy <= yb; yy++) out[yy * w + x] = 1;
    }
  }
  return out;
}

/**
 * Erases the ink that is not text but hurts tesseract's sparse mode: outlines around chips and
 * cards (text inside a frame is skipped as "image") and long thin rules (read as 一/-).
 * A frame is a large, hollow component; a rule a long component only a few pixels thick.
 * `ink` is a 0/1 mask, changed in place.
 */
export function removeFramesAndRules(ink: Uint8Array, width: number, height: number): void {
  const ruleMax = Math.max(2, Math.round(width / 160));
  const textMax = width / 12;
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  forEachComponent(ink, 1, width, height, label, stack, (count, x0, y0, x1, y1, members) => {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    const fill = count / (bw * bh);
    const rule = bh <= ruleMax && bw >= 6 * ruleMax * 4 && bw >= textMax;
    const vrule = bw <= ruleMax && bh >= textMax * 1.5;
    let frame = fill < 0.2 && ((bw >= 2.5 * bh && bw >= textMax) || (bw >= textMax * 1.5 && bh >= textMax * 1.5));
    if (frame) {
      // A frame has long straight top and bottom edges; a chain of touching stars or
      // characters does not.
      let top = 0;
      let bottom = 0;
      for (let k = 0; k < count; k++) {
        const y = Math.floor(members[k]! / width);
        if (y <= y0 + 1) top++;
        else if (y >= y1 - 1) bottom++;
      }
      frame = top >= 0.5 * bw && bottom >= 0.5 * bw;
    }
    // A solid bar half a page wide (the edge of a band or card) is no text. Touching glyphs
    // (a run of stars at a low threshold) can be as wide, but are far from solid.
    const bar = bw >= width * 0.45 && fill >= 0.6;
    if (rule || vrule || frame || bar) for (let k = 0; k < count; k++) ink[members[k]!] = 0;
  });
}
