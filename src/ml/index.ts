/**
 * The deep-learning engine's public API. Training needs the libtorch addon (`make native`);
 * everything under "serving" needs only onnxruntime-node. See docs/ml-engine.md.
 */
// Specs and training
export { ModelSpec, LayerSpec, SPEC_VERSION, normaliseSpec, type NormalSpec, type NormalLayer } from './spec.js';
export { Model, type Inputs, type Labels, type Prediction } from './model.js';
export { Trainer, TrainerOptions, accuracy, type FitResult, type EpochLog, type ValidationMetric } from './trainer.js';
export { Schedule, learningRate } from './schedule.js';
export { saveTrainingState, loadTrainingState, trainerStatePath, TrainerPosition, type TrainingState } from './checkpoint.js';
export { loadAddon, tryLoadAddon, addonUnavailableReason, setThreads, defaultThreads } from './native.js';
// Data and text
export { readJsonl, chunks, makeDataset, split, gather, shuffled, seededRandom, textClassificationDataset, type TensorDataset } from './data.js';
export {
  Tokenizer,
  BpeTokenizer,
  CharTokenizer,
  trainTokenizer,
  loadTokenizer,
  tokenizerFromJSON,
  PAD_ID,
  UNK_ID,
  CLS_ID,
  SEP_ID,
  MASK_ID,
  type EncodeOptions,
  type EncodedBatch,
  type TrainTokenizerOptions,
} from './text/tokenizer.js';
// Export, registry and serving
export { exportOnnx, writeOnnx } from './onnx/export.js';
export { loadSession, clearSessionCache, OnnxModel } from './onnx/session.js';
export { InferencePool } from './onnx/pool.js';
export { pipeline, type PipelineOptions, type Classification, type TaggedToken } from './pipeline.js';
export { ModelCard, readModelCard, writeModelCard, listModels, resolveModelDir, codeVersion, PIPELINE_TASKS, type PipelineTask } from './registry.js';
export { shipModel, type ShipOptions } from './ship.js';
export { viterbi, argmaxTags } from './crf.js';
export { readSafetensors, writeSafetensors } from './safetensors.js';
