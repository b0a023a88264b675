/**
 * Image intake shared by both actions (PROTOCOL.md §6): ImageUrl wins over ImageBase64; size,
 * base64 and format checks answer the documented business codes before any decoder runs.
 */
import { ApiError } from '../errors/api-error.js';
import { type FetchImageOptions, fetchImage } from './image-fetch/index.js';

export interface ImageSource {
  ImageBase64?: string | undefined;
  ImageUrl?: string | undefined;
}

export interface IntakeLimits {
  /** Largest accepted ImageBase64 length in characters; a download is held to the same size once encoded. */
  maxBase64Length: number;
  /** Largest image in pixels (width × height). */
  maxPixels: number;
}

export type ImageFormat = 'png' | 'jpeg';

export interface IntakeImage {
  bytes: Uint8Array;
  format: ImageFormat;
  width: number;
  height: number;
}

const DATA_URI = /^data:image\/[a-z+.-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** base64 → bytes. A `data:image/…;base64,` prefix and line breaks are tolerated. */
export function decodeBase64Image(value: string): Uint8Array {
  const body = value.replace(DATA_URI, '').replace(/[\r\n]/g, '');
  if (!BASE64.test(body) || body.length % 4 === 1) throw new ApiError('InvalidParameter.EngineImageDecodeFailed');
  return Buffer.from(body, 'base64');
}

/** Format by magic bytes: only PNG and JPEG are accepted. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG IHDR chunk or the first JPEG SOF marker; no pixel is decoded. */
export function readDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    if (buffer.length < 24 || buffer.toString('latin1', 12, 16) !== 'IHDR') return undefined;
    return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
  }
  let offset = 2;
  while (offset + 9 < buffer.length) {
    if (buffer[offset] !== 0xff) return undefined;
    const marker = buffer[offset + 1]!;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = buffer.readUInt16BE(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { width: buffer.readUInt16BE(offset + 7), height: buffer.readUInt16BE(offset + 5) };
    offset += 2 + length;
  }
  return undefined;
}

export function checkImage(bytes: Uint8Array, limits: IntakeLimits): IntakeImage {
  if (bytes.length === 0) throw new ApiError('FailedOperation.EmptyImageError');
  const format = sniffFormat(bytes);
  if (!format) throw new ApiError('FailedOperation.ImageDecodeFailed');
  const size = readDimensions(bytes, format);
  if (!size || size.width === 0 || size.height === 0) throw new ApiError('FailedOperation.ImageDecodeFailed');
  if (size.width * size.height > limits.maxPixels) throw new ApiError('FailedOperation.ImageSizeTooLarge');
  return { bytes, format, ...size };
}

export type UrlOptions = Omit<FetchImageOptions, 'maxBytes'>;

export async function intakeImage(
  source: ImageSource,
  limits: IntakeLimits,
  urlOptions: UrlOptions,
): Promise<IntakeImage> {
  if (source.ImageUrl !== undefined && source.ImageUrl !== '') {
    const maxBytes = Math.floor(limits.maxBase64Length / 4) * 3;
    return checkImage(await fetchImage(source.ImageUrl, { ...urlOptions, maxBytes }), limits);
  }
  if (source.ImageBase64 === undefined || (source.ImageBase64 === '' && source.ImageUrl !== undefined)) {
    throw new ApiError('InvalidParameterValue.InvalidParameterValueLimit', [
      'one of ImageBase64 or ImageUrl is required.',
    ]);
  }
  if (source.ImageBase64 === '') throw new ApiError('FailedOperation.EmptyImageError');
  if (source.ImageBase64.length > limits.maxBase64Length) throw new ApiError('LimitExceeded.TooLargeFileError');
  return checkImage(decodeBase64Image(source.ImageBase64), limits);
}
