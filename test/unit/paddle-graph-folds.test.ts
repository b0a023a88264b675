import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { foldModel } from '../../src/engines/health-code/paddle/graph-folds.js';
import { FOLD_VERSION, modelDir } from '../../src/engines/health-code/paddle/models.js';
import { REC_CHOICES } from '../../src/engines/health-code/paddle/recognize.js';
import { withTopChoices } from '../../src/engines/health-code/paddle/top-choices.js';
import { topClassesOf } from '../helpers/top-classes.js';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** Deterministic inputs in [-4, 4): hard-swish bends at -3 and 3. */
function inputOf(dims: number[], seed = 7): Float32Array {
  let s = seed;
  return Float32Array.from({ length: dims.reduce((a, b) => a * b) }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 8 - 4;
  });
}

/** Every output of `model` for the deterministic input of shape `dims`. */
async function outputs(model: Uint8Array, dims: number[]): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', inputOf(dims), dims) });
  await session.release();
  return out;
}

/** The first output's floats. */
async function run(model: Uint8Array, dims: number[]): Promise<Float32Array> {
  return Object.values(await outputs(model, dims))[0]!.data as Float32Array;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

const constant = (name: string, dims: number[], values: number[]) =>
  onnx.NodeProto.create({
    opType: 'Constant',
    output: [name],
    attribute: [
      onnx.AttributeProto.create({
        name: 'value',
        type: onnx.AttributeProto.AttributeType.TENSOR,
        t: onnx.TensorProto.create({ name, dims, dataType: FLOAT, floatData: values }),
      }),
    ],
  });
const op = (opType: string, input: string[], output: string, ints: Record<string, number[]> = {}) =>
  onnx.NodeProto.create({
    opType,
    input,
    output: [output],
    attribute: Object.entries(ints).map(([name, v]) =>
      onnx.AttributeProto.create({ name, ints: v, type: onnx.AttributeProto.AttributeType.INTS }),
    ),
  });
const valueInfo = (name: string, dims: number[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  });

/** A model of `nodes` from X (1×2×5×5) to Y, opset 11. */
function model(nodes: onnxProto.onnx.INodeProto[], outDims: number[]): Uint8Array {
  const weights = Array.from({ length: 3 * 2 * 9 }, (_, i) => ((i * 37) % 11) / 10 - 0.5);
  const graph = onnx.GraphProto.create({
    name: 'g',
    node: [
      constant('w3', [3, 2, 3, 3], weights),
      constant('w1', [3, 2, 1, 1], weights.slice(0, 6)),
      constant('b', [3], [0.1, -0.2, 0.3]),
      constant('two', [1], [2]),
      constant('half', [], [0.5]),
      constant('three', [1], [3]),
      constant('zero', [], [0]),
      constant('six', [], [6]),
      ...nodes,
    ],
    input: [valueInfo('X', [1, 2, 5, 5])],
    output: [valueInfo('Y', outDims)],
  });
  return onnx.ModelProto.encode({ irVersion: 7, opsetImport: [{ domain: '', version: 11 }], graph }).finish();
}

/** What the folds did to a model from X, and how far its outputs moved. */
async function folded(bytes: Uint8Array) {
  const { bytes: out, counts } = foldModel(bytes);
  const diff = maxDiff(await run(bytes, [1, 2, 5, 5]), await run(out, [1, 2, 5, 5]));
  return { counts, diff };
}

describe('PP-OCR graph folds (exact rewrites before loading)', () => {
  it('folds a scale and bias after a convolution into it', async () => {
    const { counts, diff } = await folded(
      model(
        [
          op('Conv', ['X', 'w3', 'b'], 'c', { pads: [1, 1, 1, 1] }),
          op('Mul', ['c', 'two'], 'm'),
          op('Add', ['half', 'm'], 'Y'),
        ],
        [1, 3, 5, 5],
      ),
    );
    expect(counts).toEqual({ afterConv: 2, beforeConv: 0, channelConv: 0, hardSwish: 0 });
    expect(diff).toBeLessThan(1e-5);
  });

  it('leaves a convolution whose output is read twice', async () => {
    const { counts, diff } = await folded(
      model(
        [
          op('Conv', ['X', 'w1'], 'c'),
          op('Relu', ['c'], 'r'),
          op('Mul', ['c', 'two'], 'm'),
          op('Add', ['m', 'r'], 'Y'),
        ],
        [1, 3, 5, 5],
      ),
    );
    expect(counts.afterConv).toBe(0);
    expect(diff).toBe(0);
  });

  it('leaves an initializer that is also a graph input (fed at run time) as it is', () => {
    const m = onnx.ModelProto.decode(model([op('Conv', ['X', 'w1'], 'c'), op('Mul', ['c', 'k'], 'Y')], [1, 3, 5, 5]));
    m.graph?.initializer?.push(onnx.TensorProto.create({ name: 'k', dims: [1], dataType: FLOAT, floatData: [2] }));
    m.graph?.input?.push(valueInfo('k', [1]));
    expect(foldModel(onnx.ModelProto.encode(m).finish()).counts.afterConv).toBe(0);
    m.graph!.input = m.graph?.input?.filter((i) => i.name !== 'k');
    expect(foldModel(onnx.ModelProto.encode(m).finish()).counts.afterConv).toBe(1);
  });

  it('folds a scale and bias into an unpadded convolution after them; before a padded one, makes them a per-channel convolution', async () => {
    const affineInto = (conv: onnxProto.onnx.INodeProto) => [
      op('Mul', ['X', 'two'], 'm'),
      op('Add', ['m', 'half'], 'a'),
      conv,
    ];
    const unpadded = await folded(model(affineInto(op('Conv', ['a', 'w1', 'b'], 'Y')), [1, 3, 5, 5]));
    expect(unpadded.counts).toMatchObject({ beforeConv: 2, channelConv: 0 });
    expect(unpadded.diff).toBeLessThan(1e-5);
    // Zero padding: folded in, the border taps would add the bias where they read zeros.
    const padded = await folded(
      model(affineInto(op('Conv', ['a', 'w3', 'b'], 'Y', { pads: [1, 1, 1, 1] })), [1, 3, 5, 5]),
    );
    expect(padded.counts).toMatchObject({ beforeConv: 0, channelConv: 2 });
    expect(padded.diff).toBeLessThan(1e-5);
  });

  it('writes hard-swish as x · HardSigmoid(x)', async () => {
    const { counts, diff } = await folded(
      model(
        [
          op('Add', ['X', 'three'], 'a'),
          op('Clip', ['a', 'zero', 'six'], 'c'),
          op('Mul', ['X', 'c'], 'm'),
          op('Div', ['m', 'six'], 'Y'),
        ],
        [1, 2, 5, 5],
      ),
    );
    expect(counts.hardSwish).toBe(1);
    expect(diff).toBeLessThan(1e-6);
  });

  // What FOLD_VERSION's folds write: a change to them must raise FOLD_VERSION (folded files
  // already in the temp directory are named by it), then these hashes are updated.
  const FOLDED = {
    version: 3,
    sha256: ['7aa28fc8b9411fc7', 'ee8380e9ecb69c21', '6254716a55743337'],
    /** The folded recogniser with its output cut to REC_CHOICES classes a step. */
    recCut: '5badadd20179d648',
  };

  it.each([
    ['ch_PP-OCRv4_det_infer.onnx', [1, 3, 320, 256], FOLDED.sha256[0]],
    ['ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 160], FOLDED.sha256[1]],
    ['ch_ppocr_mobile_v2.0_cls_infer.onnx', [1, 3, 48, 192], FOLDED.sha256[2]],
  ])('%s: folded, it reads as the original does', async (file, dims, sha256) => {
    const original = readFileSync(join(modelDir(), file));
    const { bytes, counts } = foldModel(original);
    expect(
      [FOLD_VERSION, createHash('sha256').update(bytes).digest('hex').slice(0, 16)],
      'the folds changed: raise FOLD_VERSION and update FOLDED',
    ).toEqual([FOLDED.version, sha256]);
    expect(counts.hardSwish).toBeGreaterThan(0);
    const nodes = (model: Uint8Array) => onnx.ModelProto.decode(model).graph?.node?.length ?? 0;
    expect(nodes(bytes)).toBeLessThan(nodes(original));
    expect(maxDiff(await run(original, dims), await run(bytes, dims))).toBeLessThan(1e-4);
  });

  it("cuts the recogniser's output to each step's likeliest classes, as the full output orders them", async () => {
    const folded = foldModel(readFileSync(join(modelDir(), 'ch_PP-OCRv4_rec_infer.onnx'))).bytes;
    const cut = withTopChoices(folded, REC_CHOICES);
    expect(
      [FOLD_VERSION, createHash('sha256').update(cut).digest('hex').slice(0, 16)],
      'the cut changed: raise FOLD_VERSION and update FOLDED',
    ).toEqual([FOLDED.version, FOLDED.recCut]);
    const dims = [1, 3, 48, 160];
    const full = await run(folded, dims);
    const out = await outputs(cut, dims);
    const classes = 6625;
    const steps = full.length / classes;
    expect(out.values!.dims).toEqual([1, steps, REC_CHOICES]);
    const expected = topClassesOf(full, classes, REC_CHOICES);
    expect([...(out.indices!.data as Int32Array)]).toEqual([...expected.indices]);
    expect([...(out.values!.data as Float32Array)]).toEqual([...expected.values]);
  });
});
