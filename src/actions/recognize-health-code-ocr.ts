/**
 * RecognizeHealthCodeOCR (PROTOCOL.md §6.2): the ten fields of a provincial health-code
 * screenshot, all strings, "" when the page does not show one. Retired by Tencent in 2026; the
 * TCOCR_HEALTHCODE_OFFLINE setting answers ActionOffline as the retired service would.
 */
import { Type } from '@sinclair/typebox';
import { intakeImage } from '../engines/image-input.js';
import { ApiError } from '../errors/api-error.js';
import { MB, imageParams } from './image-params.js';
import { defineAction } from './types.js';

export const recognizeHealthCodeOcr = defineAction({
  name: 'RecognizeHealthCodeOCR',
  params: Type.Object({ ...imageParams, Type: Type.Optional(Type.Integer()) }),
  regions: (config) => config.healthCodeRegions,
  offline: (config) => config.healthCodeOffline,
  async handle(params, { config, engines, seen }) {
    // 0 (or absent) is the only documented value: detect the province automatically.
    if (params.Type !== undefined && params.Type !== 0) {
      throw new ApiError('InvalidParameterValue.InvalidParameterValueLimit', ['Type must be 0 (automatic).']);
    }
    const image = await intakeImage(params, { maxBase64Length: 7 * MB, maxPixels: config.maxImagePixels }, engines.url);
    seen.image = image.bytes;
    const fields = await (await engines.healthCode()).recognize(image.bytes);
    return { ...fields };
  },
});
