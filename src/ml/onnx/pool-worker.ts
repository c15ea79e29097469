/** One inference worker: a single-threaded onnxruntime session answering batch requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { OnnxModel } from './session.js';

interface Request {
  id: number;
  input: ArrayBuffer;
  kind: 'int32' | 'float32';
  rows: number;
  width: number;
}

const { path } = workerData as { path: string };
const ready = OnnxModel.load(path, { threads: 1 });

parentPort!.on('message', (req: Request) => {
  void (async () => {
    try {
      const model = await ready;
      const input = req.kind === 'int32' ? new Int32Array(req.input) : new Float32Array(req.input);
      const out = await model.run(input, req.rows, req.width);
      const outputs: Record<string, { data: ArrayBuffer; dims: number[] }> = {};
      const transfer: ArrayBuffer[] = [];
      for (const [name, t] of Object.entries(out)) {
        const copy = t.data.slice().buffer as ArrayBuffer;
        outputs[name] = { data: copy, dims: t.dims };
        transfer.push(copy);
      }
      parentPort!.postMessage({ id: req.id, outputs }, transfer);
    } catch (err) {
      parentPort!.postMessage({ id: req.id, error: (err as Error).message });
    }
  })();
});
