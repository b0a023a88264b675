/**
 * The recogniser's output cut to what the decoder reads: for each step, the `k` likeliest classes
 * and their probabilities (a `TopK` after the softmax, indices cast to int32), instead of the
 * probabilities of all 6 625. The greedy CTC decoder takes the first, the character choices the
 * first non-blank ones, so nothing it returns changes; a 320-px line's output shrinks from 1 MB
 * of floats (copied out of onnxruntime and scanned in JavaScript) to 3 KB.
 */
import onnxProto from 'onnx-proto';
import { REC_OUTPUTS } from './recognize.js';

const { onnx } = onnxProto;
const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;

/** The model with its one output [batch, steps, classes] replaced by `values` [batch, steps, k] (float) and `indices` (int32). */
export function withTopChoices(bytes: Uint8Array, k: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const probs = graph?.output?.length === 1 ? graph.output[0]?.name : undefined;
  if (!graph || !probs) throw new Error('the recogniser has no single output to cut');
  const indices64 = `${probs}.top_indices64`;
  const tensor = (name: string, elemType: number) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType } } });
  // TopK-1 (the recogniser's opset is 9): k and the axis as attributes, the largest first, sorted;
  // onnxruntime orders equal values by index, as the decoder's own scan did.
  graph.node = [
    ...(graph.node ?? []),
    onnx.NodeProto.create({
      opType: 'TopK',
      input: [probs],
      output: [REC_OUTPUTS.values, indices64],
      attribute: [
        onnx.AttributeProto.create({ name: 'k', type: AttributeType.INT, i: k }),
        onnx.AttributeProto.create({ name: 'axis', type: AttributeType.INT, i: -1 }),
      ],
    }),
    onnx.NodeProto.create({
      opType: 'Cast',
      input: [indices64],
      output: [REC_OUTPUTS.indices],
      attribute: [onnx.AttributeProto.create({ name: 'to', type: AttributeType.INT, i: DataType.INT32 })],
    }),
  ];
  graph.output = [tensor(REC_OUTPUTS.values, DataType.FLOAT), tensor(REC_OUTPUTS.indices, DataType.INT32)];
  return onnx.ModelProto.encode(model).finish();
}
