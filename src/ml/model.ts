/**
 * A trainable model: the normalised spec plus a libtorch network inside the addon. Calls into the
 * addon are serialised (one at a time per model) and heavy ones run off the main thread.
 */
import { InputError, UserError } from '../core/errors.js';
import { loadAddon, type NativeModel, type NativeOptimizerConfig, type NativeParamState } from './native.js';
import { layerOfParameter, normaliseSpec, type ModelSpec, type NormalSpec } from './spec.js';
import { readSafetensors, writeSafetensors, type Tensor } from './safetensors.js';

export type Inputs = Int32Array | Float32Array;
export type Labels = Int32Array | Float32Array;

export interface Prediction {
  /** Row-major outputs: [N,K] logits, or [N,T,K] emissions for tagging. */
  output: Float32Array;
  /** [N,H,T] attention weights when the model has an attention_pool layer. */
  attention?: Float32Array;
}

/** Strips the fields the addon does not need and that zod added back as undefined. */
function forNative(spec: NormalSpec): object {
  return JSON.parse(JSON.stringify(spec)) as object;
}

export class Model {
  private queue: Promise<unknown> = Promise.resolve();
  private inFlight = 0;

  private constructor(
    readonly spec: NormalSpec,
    private readonly net: NativeModel,
  ) {}

  /** Builds a freshly initialised model. The seed fixes the initial weights (and dropout draws). */
  static create(spec: ModelSpec | NormalSpec, options: { seed?: number; source?: string } = {}): Model {
    const normal = 'perToken' in spec ? spec : normaliseSpec(spec, options.source);
    const addon = loadAddon();
    return new Model(normal, new addon.Model(forNative(normal), options.seed ?? 42));
  }

  /** Loads a checkpoint written by `save` (spec + weights in one safetensors file). */
  static async load(path: string, options: { seed?: number } = {}): Promise<Model> {
    const { tensors, metadata } = await readSafetensors(path);
    if (!metadata.spec) throw new InputError(path, 'checkpoint has no model spec in its metadata');
    const model = Model.create(JSON.parse(metadata.spec) as ModelSpec, { seed: options.seed ?? 0, source: path });
    model.setParameters(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.data])));
    return model;
  }

  async save(path: string, metadata: Record<string, string> = {}): Promise<void> {
    await writeSafetensors(path, this.parameters(), { ...metadata, spec: JSON.stringify(this.originalSpec()), format: 'threatminer-model' });
  }

  /** The spec as written by a user (no inferred fields), which is what checkpoints store. */
  originalSpec(): ModelSpec {
    return {
      version: this.spec.version,
      task: this.spec.task,
      labels: this.spec.labels,
      input: this.spec.input,
      layers: this.spec.layers.map(({ inDim: _i, outDim: _o, seqIn: _s, ...layer }) => layer),
    } as ModelSpec;
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    const next = this.queue.then(fn, fn).finally(() => this.inFlight--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Weights are read and written on the main thread: never while a step runs on the pool. */
  private idle(what: string): void {
    if (this.inFlight > 0) throw new UserError(`${what}: the model is busy (await trainStep/predict first)`);
  }

  /** Rows in `x`, checked against the input spec. */
  rows(x: Inputs): number {
    const input = this.spec.input;
    const width = input.kind === 'tokens' ? input.seqLen : input.dim;
    const wantInt = input.kind === 'tokens';
    if (wantInt !== x instanceof Int32Array) {
      throw new InputError('inputs', `expected ${wantInt ? 'an Int32Array of token ids' : 'a Float32Array of features'}`);
    }
    if (x.length === 0 || x.length % width !== 0) throw new InputError('inputs', `length ${x.length} is not a multiple of ${width}`);
    return x.length / width;
  }

  checkLabels(y: Labels, rows: number): void {
    const k = this.spec.labels.length;
    const want =
      this.spec.task === 'multilabel' ? rows * k : this.spec.task === 'tagging' && this.spec.input.kind === 'tokens' ? rows * this.spec.input.seqLen : rows;
    const wantFloat = this.spec.task === 'multilabel';
    if (wantFloat !== y instanceof Float32Array) throw new InputError('labels', `expected ${wantFloat ? 'a Float32Array' : 'an Int32Array'}`);
    if (y.length !== want) throw new InputError('labels', `length ${y.length}, expected ${want}`);
    if (!wantFloat) {
      for (const v of y) {
        if (this.spec.task === 'classification' ? v < 0 || v >= k : v >= k) {
          throw new InputError('labels', `label ${v} is outside 0..${k - 1}`);
        }
      }
    }
  }

  configureOptimizer(config: NativeOptimizerConfig): void {
    this.idle('configureOptimizer');
    this.net.configureOptimizer(config);
  }

  /** The configured optimizer's per-parameter state (moments, step counts, momentum buffers). */
  optimizerState(): Record<string, NativeParamState> {
    this.idle('optimizerState');
    return this.net.optimizerState();
  }

  /** Restores `optimizerState()` output into the optimizer configured now (it must be the same kind). */
  setOptimizerState(state: Record<string, NativeParamState>): void {
    this.idle('setOptimizerState');
    this.net.setOptimizerState(state);
  }

  setLearningRate(lr: number): void {
    this.net.setLearningRate(lr);
  }

  /** One forward/backward/optimizer step on a batch; resolves to the batch loss. */
  trainStep(x: Inputs, y: Labels): Promise<number> {
    this.checkLabels(y, this.rows(x));
    return this.run(() => this.net.trainStep(x, y));
  }

  predict(x: Inputs, batchSize = 256): Promise<Prediction> {
    this.rows(x);
    return this.run(() => this.net.predict(x, batchSize));
  }

  /**
   * Gradient of the loss w.r.t. the embedded input ([N,T,E] for token models) or the raw features
   * ([N,D]), for adversarial examples and saliency.
   */
  inputGradient(x: Inputs, y: Labels) {
    this.checkLabels(y, this.rows(x));
    return this.run(() => this.net.inputGradient(x, y));
  }

  parameters(): Record<string, Tensor & { trainable: boolean }> {
    this.idle('parameters');
    return this.net.parameters();
  }

  parameterNames(): string[] {
    return Object.keys(this.parameters());
  }

  /** Parameters of the named layers (all when omitted). */
  layerParameters(layers?: string[]): string[] {
    const known = new Set(this.spec.layers.map((l) => l.name));
    for (const l of layers ?? []) if (!known.has(l)) throw new InputError('layers', `no layer named '${l}' (have: ${[...known].join(', ')})`);
    const names = this.parameterNames();
    return layers ? names.filter((n) => layers.includes(layerOfParameter(n))) : names;
  }

  setParameters(values: Record<string, Float32Array>): void {
    this.idle('setParameters');
    this.net.setParameters(values);
  }

  freeze(layers: string[]): void {
    this.idle('freeze');
    this.net.setTrainable(this.layerParameters(layers), false);
  }

  unfreeze(layers: string[]): void {
    this.idle('unfreeze');
    this.net.setTrainable(this.layerParameters(layers), true);
  }

  /**
   * Pre-initialisation: copies the named layers' weights from another trained model. `layers` maps
   * this model's layer names to the source's (a plain list uses the same names). Shapes must match.
   */
  initFrom(source: Model, layers: string[] | Record<string, string>): string[] {
    const mapping = Array.isArray(layers) ? Object.fromEntries(layers.map((l) => [l, l])) : layers;
    const theirs = source.parameters();
    const mine = this.parameters();
    const values: Record<string, Float32Array> = {};
    for (const [to, from] of Object.entries(mapping)) {
      const names = this.layerParameters([to]);
      source.layerParameters([from]);
      for (const name of names) {
        const srcName = from + name.slice(to.length);
        const src = theirs[srcName];
        if (!src) throw new UserError(`initFrom: the source model has no parameter '${srcName}'`);
        const dst = mine[name]!;
        if (src.shape.join('x') !== dst.shape.join('x')) {
          throw new UserError(`initFrom: '${name}' has shape [${dst.shape}] but the source '${srcName}' has [${src.shape}]`);
        }
        values[name] = src.data;
      }
    }
    this.setParameters(values);
    return Object.keys(values);
  }
}
