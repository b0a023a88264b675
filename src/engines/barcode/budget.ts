/**
 * A pixel budget for the retry passes of one decode. Every variant (resize, upscale, sharpen,
 * upright crop) asks before it is made; a pass that does not fit is skipped. Decode time grows with
 * the pixels handed to ZXing, so this bounds the work one image can cause, whatever its size.
 */
export class PixelBudget {
  private spent = 0;
  constructor(readonly limit: number) {}

  /** Reserves `pixels` if they fit in what is left; false (and nothing reserved) otherwise. */
  take(pixels: number): boolean {
    if (this.spent + pixels > this.limit) return false;
    this.spent += pixels;
    return true;
  }

  get used(): number {
    return this.spent;
  }
}
