/** A small builder for ONNX graphs (nodes + float/int initializers), encoded with onnx-proto. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

type GraphProto = InstanceType<typeof onnx.GraphProto>;
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] } | { graph: GraphProto };
type Attr = InstanceType<typeof onnx.AttributeProto>;

export const OPSET = 17;

function attribute(name: string, value: AttrValue): ConstructorParameters<typeof onnx.AttributeProto>[0] {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('graph' in value) return { name, type: T.GRAPH, g: value.graph };
  return { name, type: T.FLOATS, floats: value.floats };
}

export class GraphBuilder {
  readonly nodes: Array<InstanceType<typeof onnx.NodeProto>> = [];
  readonly initializers: Array<InstanceType<typeof onnx.TensorProto>> = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  /** `scope` prefixes generated names, so a subgraph (a Loop body) and its outer graph never share one. */
  constructor(private readonly scope = '') {}

  fresh(prefix: string): string {
    return `${this.scope}${prefix}_${this.counter++}`;
  }

  /** Adds a node and returns its (first) output name. */
  op(type: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1): string {
    return this.opOutputs(type, inputs, attrs, outputs)[0]!;
  }

  /** Adds a node and returns all its output names. */
  opOutputs(type: string, inputs: string[], attrs: Record<string, AttrValue>, outputs: number): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(type.toLowerCase()));
    const attributes: Attr[] = Object.entries(attrs).map(([k, v]) => onnx.AttributeProto.create(attribute(k, v)));
    this.nodes.push(onnx.NodeProto.create({ opType: type, input: inputs, output: outs, name: this.fresh(`n_${type}`), attribute: attributes }));
    return outs;
  }

  /** Adds a node whose output gets a fixed name (graph outputs). */
  named(type: string, inputs: string[], output: string, attrs: Record<string, AttrValue> = {}): string {
    const attributes: Attr[] = Object.entries(attrs).map(([k, v]) => onnx.AttributeProto.create(attribute(k, v)));
    this.nodes.push(onnx.NodeProto.create({ opType: type, input: inputs, output: [output], name: this.fresh(`n_${type}`), attribute: attributes }));
    return output;
  }

  float(name: string, shape: number[], data: Float32Array | number[]): string {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    const expected = shape.reduce((a, b) => a * b, 1);
    if (arr.length !== expected) throw new Error(`initializer ${name}: ${arr.length} values for shape [${shape}]`);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: shape,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(arr.buffer.slice(arr.byteOffset, arr.byteOffset + arr.byteLength)),
      }),
    );
    return name;
  }

  /** A shared scalar/vector constant (deduplicated). */
  constFloat(values: number[], shape: number[] = values.length === 1 ? [] : [values.length]): string {
    const key = `f:${shape.join(',')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.float(this.fresh('const_f'), shape, values);
      this.constants.set(key, name);
    }
    return name;
  }

  constInt(values: number[], type: 'int64' | 'int32' = 'int64', shape: number[] = [values.length]): string {
    const key = `${type}:${shape.join(',')}:${values.join(',')}`;
    let name = this.constants.get(key);
    if (!name) {
      name = this.fresh(`const_${type}`);
      const D = onnx.TensorProto.DataType;
      this.initializers.push(
        type === 'int64'
          ? onnx.TensorProto.create({ name, dims: shape, dataType: D.INT64, int64Data: values })
          : onnx.TensorProto.create({ name, dims: shape, dataType: D.INT32, int32Data: values }),
      );
      this.constants.set(key, name);
    }
    return name;
  }
}

export type ElemType = 'float32' | 'int32' | 'int64' | 'bool';

export interface ValueSpec {
  name: string;
  type: ElemType;
  /** Dimension sizes; strings are symbolic (e.g. 'batch'). */
  shape: Array<number | string>;
}

function valueInfo(v: ValueSpec) {
  const D = onnx.TensorProto.DataType;
  const elemType = { float32: D.FLOAT, int32: D.INT32, int64: D.INT64, bool: D.BOOL }[v.type];
  return onnx.ValueInfoProto.create({
    name: v.name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

/** The graph as a GraphProto: a model's main graph, or a subgraph attribute (`{ graph }`) of a Loop. */
export function encodeGraph(g: GraphBuilder, inputs: ValueSpec[], outputs: ValueSpec[], graphName: string): GraphProto {
  return onnx.GraphProto.create({
    name: graphName,
    node: g.nodes,
    initializer: g.initializers,
    input: inputs.map(valueInfo),
    output: outputs.map(valueInfo),
  });
}

export function encodeModel(
  g: GraphBuilder,
  inputs: ValueSpec[],
  outputs: ValueSpec[],
  metadata: Record<string, string>,
  graphName: string,
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'threatminer',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: encodeGraph(g, inputs, outputs, graphName),
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
