/**
 * Where 1-D barcodes may be, and at what angle, from the image's gradient structure: the bars of a
 * barcode give strong gradients that are all parallel (one direction, both signs), which the local
 * structure tensor measures as high energy with high coherence. Blocks of the image that look like
 * that and agree on the angle are grouped; each group is one candidate, described as an oriented
 * rectangle in upload pixels. Pure arithmetic on the luminance, no decoding.
 */
import { boxDownscale } from './preprocess.js';

/** An oriented rectangle: `angle` is the direction across the bars (radians, 0‥π), in upload pixels. */
export interface BarRegion {
  cx: number;
  cy: number;
  angle: number;
  /** half extent across the bars (along `angle`) and along them */
  halfAcross: number;
  halfAlong: number;
  /** summed gradient energy of the region's blocks (ranking only) */
  energy: number;
}

export interface OrientationOptions {
  /** the analysis runs on a box-downscaled copy of at most this many pixels */
  maxAnalysisPixels: number;
  /** at most this many regions, strongest first */
  maxRegions: number;
}

const DEFAULTS: OrientationOptions = { maxAnalysisPixels: 1_500_000, maxRegions: 4 };

/** A block counts as bar-like when its gradients are this coherent (1 = all parallel). */
const MIN_COHERENCE = 0.65;
/** … and their mean squared Sobel magnitude reaches this (a step of ~12 grey levels every few px). */
const MIN_ENERGY = 600;
/**
 * A region's gradients cancel out: bars are dark-to-light and light-to-dark edges in equal number,
 * so |Σ g| / Σ |g| over the region is small; one straight edge (a label's border, a shelf) has it
 * near 1.
 */
const MAX_NET_GRADIENT = 0.5;
/** Neighbouring blocks join a region when their angles differ by less than this. */
const JOIN_ANGLE = (12 * Math.PI) / 180;
/** A region needs this many blocks. */
const MIN_BLOCKS = 3;

interface Block {
  angle: number;
  energy: number;
  coherence: number;
  /** net gradient and total L1 magnitude */
  sx: number;
  sy: number;
  mag: number;
}

/** Sobel gradients summed into the structure tensor per block × block cell. */
function blockTensors(
  grey: Uint8Array,
  w: number,
  h: number,
  block: number,
): { cells: (Block | null)[]; bw: number; bh: number } {
  const bw = Math.floor(w / block);
  const bh = Math.floor(h / block);
  const jxx = new Float64Array(bw * bh);
  const jyy = new Float64Array(bw * bh);
  const jxy = new Float64Array(bw * bh);
  // Net gradient (Σ gx, Σ gy) and total magnitude (Σ |g|, L1) per block.
  const sx = new Float64Array(bw * bh);
  const sy = new Float64Array(bw * bh);
  const mag = new Float64Array(bw * bh);
  for (let y = 1; y < bh * block - 1 && y < h - 1; y++) {
    const by = Math.floor(y / block) * bw;
    const r0 = (y - 1) * w;
    const r1 = y * w;
    const r2 = (y + 1) * w;
    for (let x = 1; x < bw * block && x < w - 1; x++) {
      const gx =
        grey[r0 + x + 1]! +
        2 * grey[r1 + x + 1]! +
        grey[r2 + x + 1]! -
        grey[r0 + x - 1]! -
        2 * grey[r1 + x - 1]! -
        grey[r2 + x - 1]!;
      const gy =
        grey[r2 + x - 1]! +
        2 * grey[r2 + x]! +
        grey[r2 + x + 1]! -
        grey[r0 + x - 1]! -
        2 * grey[r0 + x]! -
        grey[r0 + x + 1]!;
      const b = by + Math.floor(x / block);
      jxx[b]! += gx * gx;
      jyy[b]! += gy * gy;
      jxy[b]! += gx * gy;
      sx[b]! += gx;
      sy[b]! += gy;
      mag[b]! += Math.abs(gx) + Math.abs(gy);
    }
  }
  const area = block * block;
  const cells: (Block | null)[] = [];
  for (let b = 0; b < bw * bh; b++) {
    const sum = jxx[b]! + jyy[b]!;
    const energy = sum / area;
    if (energy < MIN_ENERGY) {
      cells.push(null);
      continue;
    }
    const diff = jxx[b]! - jyy[b]!;
    const coherence = Math.sqrt(diff * diff + 4 * jxy[b]! * jxy[b]!) / sum;
    // Dominant gradient direction, folded into 0‥π.
    let angle = 0.5 * Math.atan2(2 * jxy[b]!, diff);
    if (angle < 0) angle += Math.PI;
    cells.push(coherence >= MIN_COHERENCE ? { angle, energy, coherence, sx: sx[b]!, sy: sy[b]!, mag: mag[b]! } : null);
  }
  return { cells, bw, bh };
}

function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/** Groups neighbouring bar-like blocks (8-connected) whose angles agree. */
function groupBlocks(cells: (Block | null)[], bw: number, bh: number): number[][] {
  const label = new Int32Array(cells.length).fill(-1);
  const groups: number[][] = [];
  for (let start = 0; start < cells.length; start++) {
    if (cells[start] === null || label[start]! >= 0) continue;
    const members = [start];
    label[start] = groups.length;
    for (let k = 0; k < members.length; k++) {
      const i = members[k]!;
      const x = i % bw;
      const y = (i - x) / bw;
      const a = cells[i]!.angle;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          const j = ny * bw + nx;
          const c = cells[j];
          if (c === null || c === undefined || label[j]! >= 0 || angleGap(c.angle, a) > JOIN_ANGLE) continue;
          label[j] = groups.length;
          members.push(j);
        }
      }
    }
    groups.push(members);
  }
  return groups;
}

function sum(blocks: readonly Block[], f: (b: Block) => number): number {
  let s = 0;
  for (const b of blocks) s += f(b);
  return s;
}

/** Energy-weighted mean of axial angles (doubled-angle average), in 0‥π. */
function meanAngle(blocks: Block[]): number {
  let s = 0;
  let c = 0;
  for (const b of blocks) {
    s += b.energy * Math.sin(2 * b.angle);
    c += b.energy * Math.cos(2 * b.angle);
  }
  const a = 0.5 * Math.atan2(s, c);
  return a < 0 ? a + Math.PI : a;
}

/** Candidate barcode regions, strongest first. */
export function findBarRegions(
  grey: Uint8Array,
  width: number,
  height: number,
  options: Partial<OrientationOptions> = {},
): BarRegion[] {
  const opts = { ...DEFAULTS, ...options };
  const factor = Math.max(1, Math.ceil(Math.sqrt((width * height) / opts.maxAnalysisPixels)));
  const small = factor > 1 ? boxDownscale(grey, width, height, factor) : { data: grey, width, height };
  const { width: w, height: h } = small;
  const block = Math.max(6, Math.min(16, Math.round(Math.min(w, h) / 40)));
  const { cells, bw, bh } = blockTensors(small.data, w, h, block);
  const regions: BarRegion[] = [];
  for (const members of groupBlocks(cells, bw, bh)) {
    if (members.length < MIN_BLOCKS) continue;
    const blocks = members.map((i) => cells[i]!);
    const net =
      Math.hypot(
        sum(blocks, (b) => b.sx),
        sum(blocks, (b) => b.sy),
      ) /
      Math.max(
        sum(blocks, (b) => b.mag),
        1,
      );
    if (net > MAX_NET_GRADIENT) continue;
    const angle = meanAngle(blocks);
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    let u0 = Infinity;
    let u1 = -Infinity;
    let v0 = Infinity;
    let v1 = -Infinity;
    let energy = 0;
    for (const i of members) {
      // Block centre in analysis pixels; each block spans ±block/2 in both frame axes (roughly).
      const x = (i % bw) * block + block / 2;
      const y = Math.floor(i / bw) * block + block / 2;
      const u = x * ux + y * uy;
      const v = -x * uy + y * ux;
      u0 = Math.min(u0, u);
      u1 = Math.max(u1, u);
      v0 = Math.min(v0, v);
      v1 = Math.max(v1, v);
      energy += cells[i]!.energy;
    }
    const half = block / 2;
    const cu = (u0 + u1) / 2;
    const cv = (v0 + v1) / 2;
    regions.push({
      cx: (cu * ux - cv * uy) * factor,
      cy: (cu * uy + cv * ux) * factor,
      angle,
      halfAcross: ((u1 - u0) / 2 + half) * factor,
      halfAlong: ((v1 - v0) / 2 + half) * factor,
      energy: energy * factor * factor,
    });
  }
  // A barcode is at least a few blocks wide across its bars.
  return regions
    .filter((r) => r.halfAcross * 2 >= 2 * block * factor)
    .sort((a, b) => b.energy - a.energy)
    .slice(0, opts.maxRegions);
}
