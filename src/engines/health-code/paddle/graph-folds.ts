/**
 * Exact rewrites of a PP-OCR model's graph, made before onnxruntime loads it (the package's files
 * are left as they are). paddle2onnx wrote PP-LCNet's layers as chains of element-wise operators
 * that onnxruntime runs one at a time, each one more pass over a large feature map, and a scalar
 * `Mul` or `Add` also takes the map out of the blocked layout onnxruntime's convolutions use and
 * back (40 % of the models' time in onnxruntime's profiler):
 * - a learned scale and bias (`Mul`, `Add` by one number) after a convolution: folded into its
 *   weights and bias;
 * - a scale and bias read only by a convolution without padding (1×1): folded into it; before a
 *   padded one (whose border taps would add the bias where they read zeros): made one 1×1
 *   convolution per channel, which stays in the blocked layout;
 * - hard-swish written x · clip(x + 3, 0, 6) / 6: written x · HardSigmoid(x), which onnxruntime
 *   fuses into the convolution before it.
 * Each changes float rounding only: outputs agree with the original graph's within 1e-4 (unit test).
 */
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxProto;
type Node = Onnx.INodeProto;
type Tensor = Onnx.ITensorProto;

export interface FoldCounts {
  /** Scalar `Mul` / `Add` operators folded into the convolution before them. */
  afterConv: number;
  /** Scalar `Mul` / `Add` operators folded into the unpadded convolution after them. */
  beforeConv: number;
  /** Scalar `Mul` / `Add` operators before a padded convolution, made a per-channel convolution. */
  channelConv: number;
  /** Hard-swish chains (four operators) written as two. */
  hardSwish: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const { AttributeType } = onnx.AttributeProto;

/** A node attribute: one float, one integer, integers or a tensor. */
function attribute(name: string, value: number | number[] | Tensor, type: Onnx.AttributeProto.AttributeType) {
  const field =
    type === AttributeType.FLOAT ? 'f' : type === AttributeType.INT ? 'i' : type === AttributeType.INTS ? 'ints' : 't';
  return onnx.AttributeProto.create({ name, type, [field]: value });
}

function floats(t: Tensor): Float32Array | undefined {
  if (t.dataType !== FLOAT) return undefined;
  if (t.floatData?.length) return Float32Array.from(t.floatData);
  const raw = t.rawData;
  if (!raw?.length) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

function rawFloats(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    view.setFloat32(4 * i, v, true);
  });
  return bytes;
}

/** The graph's nodes, its constant tensors by name and who reads each value. */
class Graph {
  readonly tensors = new Map<string, Tensor>();
  private readers = new Map<string, number>();
  private consumer = new Map<string, Node>();
  private outputs: Set<string>;
  readonly removed = new Set<Node>();

  constructor(private readonly graph: Onnx.IGraphProto) {
    // An initializer that is also a graph input can be fed at run time: no constant.
    const inputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
    for (const t of graph.initializer ?? []) if (t.name && !inputs.has(t.name)) this.tensors.set(t.name, t);
    for (const n of graph.node ?? []) {
      const value = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
      if (value && n.output?.[0]) this.tensors.set(n.output[0], value);
    }
    this.outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
    this.index();
  }

  get nodes(): Node[] {
    return (this.graph.node ?? []).filter((n) => !this.removed.has(n));
  }

  index(): void {
    this.readers.clear();
    this.consumer.clear();
    for (const n of this.nodes) {
      for (const name of n.input ?? []) {
        this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
        this.consumer.set(name, n);
      }
    }
  }

  /** The one node reading `name`, when exactly one does and it is no graph output. */
  soleReader(name: string): Node | undefined {
    return this.readers.get(name) === 1 && !this.outputs.has(name) ? this.consumer.get(name) : undefined;
  }

  /** A constant holding one number (shaped [] or [1]: it broadcasts without changing a shape). */
  scalar(name: string | undefined): number | undefined {
    const t = name === undefined ? undefined : this.tensors.get(name);
    const v = t && (t.dims?.length ?? 0) <= 1 ? floats(t) : undefined;
    return v?.length === 1 ? v[0] : undefined;
  }

  /** A constant tensor only `node` reads (safe to change in place). */
  ownTensor(name: string | undefined, node: Node): Tensor | undefined {
    if (!name) return undefined;
    const t = this.tensors.get(name);
    return t && this.soleReader(name) === node ? t : undefined;
  }

  addConstant(name: string, values: Float32Array, dims = [values.length]): void {
    const t = onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: rawFloats(values) });
    this.graph.node = [
      onnx.NodeProto.create({
        opType: 'Constant',
        output: [name],
        attribute: [attribute('value', t, AttributeType.TENSOR)],
      }),
      ...(this.graph.node ?? []),
    ];
    this.tensors.set(name, t);
  }

  /** Removed nodes dropped, and the constants nothing reads any more. */
  prune(): void {
    this.index();
    const read = (name: string) => this.readers.has(name) || this.outputs.has(name);
    this.graph.node = this.nodes.filter((n) => n.opType !== 'Constant' || read(n.output?.[0] ?? ''));
    this.graph.initializer = (this.graph.initializer ?? []).filter((t) => read(t.name ?? ''));
    this.removed.clear();
  }
}

function setFloats(t: Tensor, values: Float32Array): void {
  t.floatData = [];
  t.rawData = rawFloats(values);
}

/** The other operand of a binary node, given one. */
function otherInput(n: Node, name: string): string | undefined {
  const [a, b] = n.input ?? [];
  return a === name ? b : b === name ? a : undefined;
}

/** A scalar `Mul` or `Add` applied to `name`: its factor or term. */
function scalarStep(g: Graph, n: Node | undefined, name: string): { mul: number; add: number } | undefined {
  if (!n || (n.opType !== 'Mul' && n.opType !== 'Add')) return undefined;
  const k = g.scalar(otherInput(n, name));
  if (k === undefined) return undefined;
  return n.opType === 'Mul' ? { mul: k, add: 0 } : { mul: 1, add: k };
}

/** A convolution's weights and bias, when only it reads them (the bias made when it has none). */
function convParams(g: Graph, conv: Node) {
  const [, wName, bName] = conv.input ?? [];
  const weight = g.ownTensor(wName, conv);
  const w = weight && floats(weight);
  const outChannels = Number(weight?.dims?.[0] ?? 0);
  if (!weight || !w || !outChannels) return undefined;
  const bias = bName ? g.ownTensor(bName, conv) : undefined;
  if (bName && !bias) return undefined;
  const b = bias ? floats(bias) : new Float32Array(outChannels);
  if (!b || b.length !== outChannels) return undefined;
  const write = (wNew: Float32Array, bNew: Float32Array) => {
    setFloats(weight, wNew);
    if (bias) setFloats(bias, bNew);
    else {
      const name = `${conv.output?.[0]}.folded_bias`;
      g.addConstant(name, bNew);
      conv.input = [...(conv.input ?? []).slice(0, 2), name];
    }
  };
  return { w, b, perOutput: w.length / outChannels, write };
}

/**
 * The scalar `Mul` / `Add` operators applied one after another to `value`, each the only reader
 * of the value before it, and the map x ↦ mul·x + add they make together.
 */
function scalarChain(g: Graph, value: string): { chain: Node[]; out: string; mul: number; add: number } {
  const chain: Node[] = [];
  let [out, mul, add] = [value, 1, 0];
  for (let next = g.soleReader(out), step = scalarStep(g, next, out); next && step; ) {
    [mul, add] = [mul * step.mul, add * step.mul + step.add];
    chain.push(next);
    out = next.output?.[0] ?? '';
    next = g.soleReader(out);
    step = scalarStep(g, next, out);
  }
  return { chain, out, mul, add };
}

/** conv → scalar Mul / Add … : the chain folded into the convolution. */
function foldAfterConv(g: Graph): number {
  let count = 0;
  for (const conv of g.nodes) {
    if (conv.opType !== 'Conv') continue;
    const { chain, out, mul, add } = scalarChain(g, conv.output?.[0] ?? '');
    const params = chain.length ? convParams(g, conv) : undefined;
    if (!params) continue;
    params.write(
      params.w.map((v) => v * mul),
      params.b.map((v) => v * mul + add),
    );
    conv.output = [out];
    for (const n of chain) g.removed.add(n);
    count += chain.length;
  }
  g.index();
  return count;
}

/** Is every tap of this convolution inside its input (no padding)? */
function unpadded(conv: Node): boolean {
  const pads = conv.attribute?.find((a) => a.name === 'pads');
  const autoPad = conv.attribute?.find((a) => a.name === 'auto_pad')?.s;
  const mode = autoPad?.length ? new TextDecoder().decode(autoPad) : 'NOTSET';
  return (mode === 'NOTSET' || mode === 'VALID') && !(pads?.ints ?? []).some((p) => Number(p) !== 0);
}

/**
 * scalar Mul / Add … → conv: the chain folded into the convolution when it has no padding, else
 * made one per-channel convolution.
 */
function foldBeforeConv(g: Graph): Pick<FoldCounts, 'beforeConv' | 'channelConv'> {
  const counts = { beforeConv: 0, channelConv: 0 };
  for (const head of g.nodes) {
    if (g.removed.has(head)) continue;
    // The chain may start at a value other operators read as well (a residual branch's input).
    const input = (head.input ?? []).find((name) => g.scalar(name) === undefined);
    // (Met in a chain's middle, after its head's chain found no convolution: its end has none either.)
    const first = input === undefined ? undefined : scalarStep(g, head, input);
    if (input === undefined || !first) continue;
    const rest = scalarChain(g, head.output?.[0] ?? '');
    const chain = [head, ...rest.chain];
    const { out } = rest;
    const [mul, add] = [first.mul * rest.mul, first.add * rest.mul + rest.add];
    const conv = g.soleReader(out);
    if (conv?.opType !== 'Conv' || conv.input?.[0] !== out) continue;
    const params = unpadded(conv) ? convParams(g, conv) : undefined;
    if (params) {
      // conv(mul·x + add) = conv'(x): weights × mul, and each output's bias + add × its weights' sum.
      const { w, b, perOutput } = params;
      const bias = b.map((v, o) => v + add * w.subarray(o * perOutput, (o + 1) * perOutput).reduce((s, x) => s + x, 0));
      params.write(
        w.map((v) => v * mul),
        bias,
      );
      conv.input = [input, ...(conv.input ?? []).slice(1)];
      for (const n of chain) g.removed.add(n);
      counts.beforeConv += chain.length;
    } else {
      // Before a padded convolution: the chain as one 1×1 convolution per channel (weight mul,
      // bias add), which onnxruntime runs in its convolutions' blocked layout — scalar Mul and
      // Add made it convert the feature map out of that layout and back.
      const channels = inputChannels(g, conv);
      if (!channels) continue;
      const last = chain[chain.length - 1]!;
      const weight = `${out}.channel_weight`;
      const bias = `${out}.channel_bias`;
      g.addConstant(weight, new Float32Array(channels).fill(mul), [channels, 1, 1, 1]);
      g.addConstant(bias, new Float32Array(channels).fill(add));
      last.opType = 'Conv';
      last.input = [input, weight, bias];
      last.attribute = [
        attribute('group', channels, AttributeType.INT),
        attribute('kernel_shape', [1, 1], AttributeType.INTS),
      ];
      for (const n of chain.slice(0, -1)) g.removed.add(n);
      counts.channelConv += chain.length;
    }
    g.index();
  }
  return counts;
}

/** The channels a 2-D convolution reads: its weights' second dimension times its groups. */
function inputChannels(g: Graph, conv: Node): number | undefined {
  const dims = g.tensors.get(conv.input?.[1] ?? '')?.dims;
  const group = Number(conv.attribute?.find((a) => a.name === 'group')?.i ?? 1);
  return dims?.length === 4 ? Number(dims[1]) * group : undefined;
}

function clipRange(g: Graph, clip: Node): [number | undefined, number | undefined] {
  const [, lo, hi] = clip.input ?? [];
  const attr = (name: string) => clip.attribute?.find((a) => a.name === name)?.f ?? undefined;
  // Opset 11 and later: bounds as inputs; before: as attributes.
  return (clip.input?.length ?? 0) > 1
    ? [g.scalar(lo || undefined), g.scalar(hi || undefined)]
    : [attr('min'), attr('max')];
}

/** x · clip(x + 3, 0, 6) / 6 → x · HardSigmoid(x; 1/6, 1/2). */
function hardSwish(g: Graph): number {
  let count = 0;
  for (const add of g.nodes) {
    if (add.opType !== 'Add') continue;
    const x = (add.input ?? []).find((name) => g.scalar(name) !== 3);
    if (x === undefined || g.scalar(otherInput(add, x)) !== 3) continue;
    const clip = g.soleReader(add.output?.[0] ?? '');
    if (clip?.opType !== 'Clip' || clip.input?.[0] !== add.output?.[0]) continue;
    const [lo, hi] = clipRange(g, clip);
    if (lo !== 0 || hi !== 6) continue;
    const mul = g.soleReader(clip.output?.[0] ?? '');
    if (mul?.opType !== 'Mul' || otherInput(mul, clip.output?.[0] ?? '') !== x) continue;
    const div = g.soleReader(mul.output?.[0] ?? '');
    if (div?.opType !== 'Div' || div.input?.[0] !== mul.output?.[0] || g.scalar(div.input?.[1]) !== 6) continue;
    const gate = `${add.output?.[0]}.hard_sigmoid`;
    add.opType = 'HardSigmoid';
    add.input = [x];
    add.output = [gate];
    add.attribute = [attribute('alpha', 1 / 6, AttributeType.FLOAT), attribute('beta', 0.5, AttributeType.FLOAT)];
    mul.input = [x, gate];
    mul.output = [div.output?.[0] ?? ''];
    g.removed.add(clip);
    g.removed.add(div);
    count++;
  }
  g.index();
  return count;
}

/** The model with the folds above applied, and how many of each were made. */
export function foldModel(bytes: Uint8Array): { bytes: Uint8Array; counts: FoldCounts } {
  const counts: FoldCounts = { afterConv: 0, beforeConv: 0, channelConv: 0, hardSwish: 0 };
  const model = onnx.ModelProto.decode(bytes);
  // Left as it is: a model with subgraphs (If, Loop: their bodies read values this index does
  // not see), or newer than the schema `onnx-proto` knows (fields it does not know would be lost).
  const subgraphs = model.graph?.node?.some((n) => n.attribute?.some((a) => a.g || a.graphs?.length));
  if (!model.graph || subgraphs || Number(model.irVersion ?? 0) > onnx.Version.IR_VERSION) return { bytes, counts };
  const g = new Graph(model.graph);
  counts.afterConv = foldAfterConv(g);
  Object.assign(counts, foldBeforeConv(g));
  counts.hardSwish = hardSwish(g);
  g.prune();
  return { bytes: onnx.ModelProto.encode(model).finish(), counts };
}
