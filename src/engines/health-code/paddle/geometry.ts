/**
 * Plane geometry for the text detector's boxes: the convex hull of a component's row extremes,
 * its minimum-area rectangle (rotating calipers), the rectangle grown outwards (DB "unclip") and
 * a quad's axis-aligned bounds.
 */

export interface Point {
  x: number;
  y: number;
}

/** A rotated rectangle as four corners: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** The axis-aligned bounds of a quad. */
export function quadBounds(quad: Quad): { x0: number; y0: number; x1: number; y1: number } {
  const xs = quad.map((p) => p.x);
  const ys = quad.map((p) => p.y);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Andrew's monotone chain; returns the hull counter-clockwise without repeating the first point. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (pts.length < 3) return pts;
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

export interface RotatedRect {
  cx: number;
  cy: number;
  /** Along the rectangle's first axis (angle `angle`). */
  w: number;
  h: number;
  /** Radians of the first axis against the x axis. */
  angle: number;
}

/** The smallest-area enclosing rectangle of a convex polygon: one of its sides lies on a hull edge. */
export function minAreaRect(hull: readonly Point[]): RotatedRect {
  if (hull.length === 1) return { cx: hull[0]!.x, cy: hull[0]!.y, w: 0, h: 0, angle: 0 };
  let best: RotatedRect | undefined;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len === 0) continue;
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * ux + p.y * uy;
      const v = -p.x * uy + p.y * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea) {
      bestArea = area;
      const mu = (minU + maxU) / 2;
      const mv = (minV + maxV) / 2;
      best = {
        cx: mu * ux - mv * uy,
        cy: mu * uy + mv * ux,
        w: maxU - minU,
        h: maxV - minV,
        angle: Math.atan2(uy, ux),
      };
    }
  }
  return best ?? { cx: hull[0]!.x, cy: hull[0]!.y, w: 0, h: 0, angle: 0 };
}

/** The rectangle's corners ordered for reading: the long side is the text direction, left to right. */
export function rectCorners(r: RotatedRect): Quad {
  let { w, h, angle } = r;
  // Make the first axis the longer one and point it rightwards (text reads left to right).
  if (h > w) {
    [w, h] = [h, w];
    angle += Math.PI / 2;
  }
  let ux = Math.cos(angle);
  let uy = Math.sin(angle);
  if (ux < 0 || (ux === 0 && uy < 0)) {
    ux = -ux;
    uy = -uy;
  }
  // v points "down" the page (rotated +90° from u in image coordinates, y down).
  const vx = -uy;
  const vy = ux;
  const hw = w / 2;
  const hh = h / 2;
  const at = (su: number, sv: number): Point => ({
    x: r.cx + su * hw * ux + sv * hh * vx,
    y: r.cy + su * hw * uy + sv * hh * vy,
  });
  return [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
}

/**
 * DB's unclip: the detector predicts a shrunk text kernel; grow the rectangle on every side by
 * area × ratio / perimeter (the offset the model was trained to undo).
 */
export function unclip(r: RotatedRect, ratio: number): RotatedRect {
  const perimeter = 2 * (r.w + r.h);
  if (perimeter === 0) return r;
  const d = (r.w * r.h * ratio) / perimeter;
  return { ...r, w: r.w + 2 * d, h: r.h + 2 * d };
}
