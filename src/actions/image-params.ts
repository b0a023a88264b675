import { Type } from '@sinclair/typebox';

/** The image parameters both OCR actions share. */
export const imageParams = {
  ImageBase64: Type.Optional(Type.String()),
  ImageUrl: Type.Optional(Type.String()),
};

export const MB = 1024 * 1024;
