/**
 * A small pool of worker threads, each with its own single-threaded onnxruntime session. Batches
 * of one call are spread over the workers and reassembled in order; this keeps the main thread
 * (the HTTP server, the pipeline) free while models run.
 */
import type { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors.js';
import { startModuleWorker } from '../../core/worker.js';
import { concatOutputs, type OutputMap } from './session.js';

interface Job {
  id: number;
  input: Int32Array | Float32Array;
  rows: number;
  width: number;
  resolve: (out: OutputMap) => void;
  reject: (err: Error) => void;
}


type Reply = { id: number; outputs: Record<string, { data: ArrayBuffer; dims: number[] }> } | { id: number; error: string };

export class InferencePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, Job>();
  private nextId = 0;
  private closed = false;
  /** Set when a worker dies: the pool then answers every call with this error instead of hanging. */
  private broken: Error | undefined;

  constructor(
    readonly path: string,
    size: number,
  ) {
    // The worker is a sibling module; under tsx that is a .ts file, in dist a .js file.
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = startModuleWorker(import.meta.url, 'pool-worker', { workerData: { path } });
      w.on('message', (reply: Reply) => this.onReply(w, reply));
      w.on('error', (err) => this.fail(new Error(`inference worker for ${path} failed: ${err.message}`, { cause: err })));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`inference worker for ${path} exited unexpectedly (code ${code})`));
      });
      w.unref();
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private onReply(w: Worker, reply: Reply): void {
    const job = this.running.get(reply.id);
    this.running.delete(reply.id);
    this.idle.push(w);
    if (job) {
      if ('error' in reply) job.reject(new Error(reply.error));
      else {
        const out: OutputMap = {};
        for (const [name, t] of Object.entries(reply.outputs)) out[name] = { data: new Float32Array(t.data), dims: t.dims };
        job.resolve(out);
      }
    }
    this.pump();
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const job of [...this.running.values(), ...this.queue]) job.reject(err);
    this.running.clear();
    this.queue.length = 0;
    // The surviving workers would sit on their models and keep the process alive; a broken pool has no use for them.
    for (const w of this.workers) void w.terminate();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(job.id, job);
      const copy = job.input.slice();
      w.postMessage(
        { id: job.id, input: copy.buffer, kind: copy instanceof Int32Array ? 'int32' : 'float32', rows: job.rows, width: job.width },
        [copy.buffer as ArrayBuffer],
      );
    }
    // Idle pools must not keep the process alive.
    if (this.running.size === 0) for (const w of this.workers) w.unref();
    else for (const w of this.workers) w.ref();
  }

  private submit(input: Int32Array | Float32Array, rows: number, width: number): Promise<OutputMap> {
    if (this.closed) return Promise.reject(new Error('inference pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, rows, width, resolve, reject });
      this.pump();
    });
  }

  /**
   * Splits `input` into batches of at most `batchSize`, runs them on the workers in parallel and
   * concatenates in order. A call smaller than one batch per worker is split evenly, so that a single
   * batch still keeps every worker busy.
   */
  async run(input: Int32Array | Float32Array, width: number, batchSize = 256): Promise<OutputMap> {
    const rows = input.length / width;
    if (!Number.isInteger(rows)) throw new InputError('inputs', `length ${input.length} is not a multiple of ${width}`);
    const step = Math.max(1, Math.min(batchSize, Math.ceil(rows / this.workers.length)));
    const parts: Array<Promise<OutputMap>> = [];
    for (let i = 0; i < rows; i += step) {
      const n = Math.min(step, rows - i);
      parts.push(this.submit(input.subarray(i * width, (i + n) * width), n, width));
    }
    return concatOutputs(await Promise.all(parts), rows);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
