/** Small images made on the fly for tests that need one symbol with known corners. */
import QRCode from 'qrcode';
import sharp from 'sharp';

export interface QrImage {
  png: Buffer;
  size: number;
  /** Outer corners of the symbol (modules only, no quiet zone), in pixels. */
  box: { left: number; top: number; right: number; bottom: number };
}

export async function qrPng(text: string, scale = 8, margin = 4): Promise<QrImage> {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
  const png = await QRCode.toBuffer(text, { scale, margin, errorCorrectionLevel: 'M' });
  const size = (modules + 2 * margin) * scale;
  return {
    png,
    size,
    box: {
      left: margin * scale,
      top: margin * scale,
      right: (margin + modules) * scale,
      bottom: (margin + modules) * scale,
    },
  };
}

export async function blankPng(width = 400, height = 300): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
}
