/**
 * The detector's input tensor: the page resized to the detector's size as planar BGR floats with
 * the detector's normalisation (tensor.ts). A page reduced on both sides — a phone screenshot —
 * is shrunk by libvips (14 ms for 1080×2340 → 640×1376, against 50–110 ms sampled in the
 * worker's JavaScript), holding a libuv slot as a decode does (../../pool/libuv-slots.ts); any
 * other page (about the detector's size: enlarged, or rounded up to a multiple of 32 on a side)
 * is sampled in JavaScript, and so is a page libvips fails on.
 */
import sharp from 'sharp';
import { withLibuvSlot } from '../../pool/libuv-slots.js';
import { DET_NORM, type Rgb, planarInto, sampleInto } from './tensor.js';

export async function detectorInput(img: Rgb, width: number, height: number, out: Float32Array): Promise<void> {
  const shrunk = width < img.width && height < img.height ? await shrink(img, width, height) : undefined;
  if (shrunk) {
    planarInto(shrunk, width, height, out, DET_NORM);
    return;
  }
  sampleInto(
    img,
    { x: 0, y: 0 },
    { x: img.width, y: 0 },
    { x: 0, y: img.height },
    width,
    height,
    out,
    0,
    width,
    DET_NORM,
  );
}

/**
 * The page shrunk to exactly `width` × `height` RGB, or undefined. `fill`: the size rounded to
 * multiples of 32 changes the aspect a little, and the boxes are mapped back axis by axis. The
 * linear kernel (a triangle over each output pixel's footprint) is the closest to the JavaScript
 * sampler's averaged bilinear samples, with which the detection size was measured; the pixels
 * were admitted when the upload was decoded, so no second pixel limit applies.
 */
async function shrink(img: Rgb, width: number, height: number): Promise<Uint8Array | undefined> {
  try {
    const { data, info } = await withLibuvSlot(() =>
      sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 }, limitInputPixels: false })
        .resize(width, height, { fit: 'fill', kernel: 'linear' })
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    return info.width === width && info.height === height && info.channels === 3 ? data : undefined;
  } catch {
    return undefined;
  }
}
