/**
 * The uploaded images of the last requests, for the web console: kept within a byte budget
 * (TCOCR_JOURNAL_IMAGE_MB), the oldest dropped first; a request whose image was dropped (or never
 * kept: over the budget on its own) shows "image not kept".
 */
export class ImageStore {
  readonly #images = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  set(requestId: string, image: Uint8Array): void {
    if (image.length > this.maxBytes) return;
    this.delete(requestId);
    this.#images.set(requestId, image);
    this.#bytes += image.length;
    for (const [id, old] of this.#images) {
      if (this.#bytes <= this.maxBytes) break;
      this.#images.delete(id);
      this.#bytes -= old.length;
    }
  }

  get(requestId: string): Uint8Array | undefined {
    return this.#images.get(requestId);
  }

  delete(requestId: string): void {
    const old = this.#images.get(requestId);
    if (!old) return;
    this.#images.delete(requestId);
    this.#bytes -= old.length;
  }

  clear(): void {
    this.#images.clear();
    this.#bytes = 0;
  }
}
