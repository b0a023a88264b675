/** The benchmarks find the shared corpora beside the repository (`../shared/corpus/…`) unless told otherwise. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, photoCorpusDir } from '../../support/corpus.js';

const beside = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

describe('corpus folders', () => {
  it('default to ../shared/corpus next to the repository', () => {
    expect(corpusDir()).toBe(process.env.BARCODE_CORPUS ?? path.join(beside, 'barcodes'));
    expect(photoCorpusDir()).toBe(process.env.PHOTO_CORPUS ?? path.join(beside, 'photos'));
  });
});
