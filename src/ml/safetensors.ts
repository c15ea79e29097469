/**
 * Weights on disk in the safetensors layout (8-byte little-endian header length, a JSON header of
 * name → {dtype, shape, data_offsets}, then raw little-endian float32), so other tools can read
 * them. The model spec travels in the header's `__metadata__.spec`.
 */
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

const Header = z.record(
  z.string(),
  z.union([
    z.object({ dtype: z.literal('F32'), shape: z.array(z.number().int().min(0)), data_offsets: z.tuple([z.number(), z.number()]) }),
    z.record(z.string(), z.string()),
  ]),
);

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keep the data 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + head.length + offset);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let at = 8 + head.length;
  for (const t of Object.values(tensors)) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, at);
    at += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(buf: Buffer, source: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new InputError(source, 'not a safetensors file (too short)');
  const len = Number(buf.readBigUInt64LE(0));
  if (len > buf.length - 8) throw new InputError(source, 'not a safetensors file (bad header length)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.subarray(8, 8 + len).toString('utf8'));
  } catch {
    throw new InputError(source, 'not a safetensors file (header is not JSON)');
  }
  const header = Header.safeParse(parsed);
  if (!header.success) throw new InputError(source, `bad safetensors header: ${header.error.issues[0]?.message}`);
  const base = 8 + len;
  const tensors: Record<string, Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header.data)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    if (!('dtype' in entry) || typeof entry.dtype !== 'string') throw new InputError(source, `tensor ${name}: unsupported entry`);
    const e = entry as { shape: number[]; data_offsets: [number, number] };
    const [from, to] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (to - from !== count * 4 || base + to > buf.length) throw new InputError(source, `tensor ${name}: bad offsets`);
    const data = new Float32Array(count);
    Buffer.from(data.buffer).set(buf.subarray(base + from, base + to));
    tensors[name] = { shape: e.shape, data };
  }
  return { tensors, metadata };
}

export async function writeSafetensors(path: string, tensors: Record<string, Tensor>, metadata: Record<string, string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, encodeSafetensors(tensors, metadata));
  await rename(tmp, path); // a crash mid-write never leaves a truncated checkpoint
}

export async function readSafetensors(path: string) {
  return decodeSafetensors(await readFile(path), path);
}
