/**
 * Loads the libtorch addon (native/build/Release/threatminer_torch.node). Only training needs it;
 * serving goes through onnxruntime-node. A missing addon is a UserError that says how to build it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError, errorMessage } from '../core/errors.js';

export interface NativeParameter {
  shape: number[];
  data: Float32Array;
  trainable: boolean;
}

export interface NativeOptimizerConfig {
  name: 'adam' | 'adamw' | 'sgd';
  lr: number;
  weightDecay?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  clipNorm?: number;
  classWeights?: Float32Array;
  groups?: Array<{ params: string[]; scale: number }>;
}

/** Per-parameter optimizer state: Adam/AdamW moments and step, or the SGD momentum buffer. */
export interface NativeParamState {
  step?: number;
  exp_avg?: Float32Array;
  exp_avg_sq?: Float32Array;
  momentum_buffer?: Float32Array;
}

export interface NativeModel {
  configureOptimizer(config: NativeOptimizerConfig): void;
  setLearningRate(lr: number): void;
  trainStep(x: Int32Array | Float32Array, y: Int32Array | Float32Array): Promise<number>;
  predict(x: Int32Array | Float32Array, batchSize: number): Promise<{ output: Float32Array; attention?: Float32Array }>;
  inputGradient(
    x: Int32Array | Float32Array,
    y: Int32Array | Float32Array,
  ): Promise<{ loss: number; gradient: Float32Array; embedded: Float32Array; shape: number[] }>;
  parameters(): Record<string, NativeParameter>;
  setParameters(values: Record<string, Float32Array>): void;
  setTrainable(names: string[], trainable: boolean): void;
  optimizerState(): Record<string, NativeParamState>;
  setOptimizerState(state: Record<string, NativeParamState>): void;
}

export interface NativeAddon {
  Model: new (spec: object, seed: number) => NativeModel;
  setNumThreads(n: number): void;
  info(): { threads: number; torchVersion: string; parallel: string };
  /** torch's default CPU generator state (dropout draws), process-wide. */
  getRngState(): Uint8Array;
  setRngState(state: Uint8Array): void;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ADDON_PATH = process.env.THREATMINER_ADDON ?? join(repoRoot, 'native/build/Release/threatminer_torch.node');

let cached: NativeAddon | undefined;
let loadError: string | undefined;

/** The addon, or undefined when it is not built (see `addonUnavailableReason`). */
export function tryLoadAddon(): NativeAddon | undefined {
  if (cached || loadError) return cached;
  if (!existsSync(ADDON_PATH)) {
    loadError = `${ADDON_PATH} does not exist`;
    return undefined;
  }
  // OpenBLAS reads this when libtorch loads it: with torch running its own threads, BLAS threads
  // would oversubscribe the cores (the issue measured this); an explicit setting wins.
  if (process.env.OPENBLAS_NUM_THREADS === undefined && defaultThreads() > 1) process.env.OPENBLAS_NUM_THREADS = '1';
  try {
    cached = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    setThreads(defaultThreads());
  } catch (err) {
    loadError = errorMessage(err);
  }
  return cached;
}

export function addonUnavailableReason(): string | undefined {
  tryLoadAddon();
  return loadError;
}

/** The addon, or a UserError explaining how to build it. */
export function loadAddon(): NativeAddon {
  const addon = tryLoadAddon();
  if (addon) return addon;
  throw new UserError(
    `training needs the libtorch addon, which is not available (${loadError}).\n` +
      'Install it with: apt-get install libtorch-dev libopenblas0-pthread (or `make system`), then `make native`\n' +
      '(LIBTORCH=/path/to/libtorch make native for the official libtorch build). Serving ONNX models does not need it.',
  );
}

/** THREATMINER_THREADS, else OMP_NUM_THREADS, else all cores. */
export function defaultThreads(): number {
  const raw = process.env.THREATMINER_THREADS ?? process.env.OMP_NUM_THREADS;
  const n = raw ? Number.parseInt(raw, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : availableParallelism();
}

/**
 * Sets torch's intra-op threads. OpenBLAS threads are configured by OPENBLAS_NUM_THREADS before the
 * process starts (the Makefile sets it to 1 so BLAS does not oversubscribe torch's own threads).
 */
export function setThreads(n: number): void {
  cached?.setNumThreads(Math.max(1, Math.floor(n)));
}
