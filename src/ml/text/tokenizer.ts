/**
 * Tokenisers for model input: a byte-level BPE learned from a corpus (default) and a character
 * vocabulary (for char-CNNs). Both share one interface, JSON persistence, and batch encoding to a
 * padded/truncated Int32Array ready for `Model.trainStep` / ONNX `input_ids`.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { BpeModel, SPECIAL_TOKENS, learnMerges } from './bpe.js';
import { normalise, pretokenize } from './pretokenize.js';

export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
export const MASK_ID = 4;

export interface EncodeOptions {
  /** Output length: sequences are truncated to it and padded with PAD_ID (id 0) up to it. */
  maxLength: number;
  /** Prepend <cls> (default false). */
  addCls?: boolean;
  /** Keep the tail instead of the head when truncating (default 'end' cuts the end). */
  truncate?: 'end' | 'start';
}

export interface EncodedBatch {
  /** [rows, maxLength] row-major token ids. */
  ids: Int32Array;
  /** Real (unpadded) length of each row. */
  lengths: Int32Array;
  rows: number;
  maxLength: number;
}

const TokenizerFile = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('bpe'),
    version: z.literal(1),
    lowercase: z.boolean(),
    merges: z.array(z.tuple([z.number().int(), z.number().int()])),
  }),
  z.object({
    kind: z.literal('char'),
    version: z.literal(1),
    lowercase: z.boolean(),
    chars: z.array(z.string()),
  }),
]);
export type TokenizerFile = z.infer<typeof TokenizerFile>;

export abstract class Tokenizer {
  abstract readonly kind: 'bpe' | 'char';
  abstract readonly vocabSize: number;
  readonly padId = PAD_ID;
  constructor(readonly lowercase: boolean) {}

  /** Token ids of one text, no special tokens, no padding. */
  abstract encode(text: string): number[];
  /** Text of token ids (special tokens dropped). */
  abstract decode(ids: ArrayLike<number>): string;
  /** A readable form of one token, for attention displays. */
  abstract token(id: number): string;
  abstract toJSON(): TokenizerFile;

  /** Encodes texts into one padded, truncated [rows, maxLength] matrix. */
  encodeBatch(texts: readonly string[], options: EncodeOptions): EncodedBatch {
    const { maxLength } = options;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new InputError('maxLength', `must be a positive integer, got ${maxLength}`);
    const ids = new Int32Array(texts.length * maxLength);
    const lengths = new Int32Array(texts.length);
    texts.forEach((text, row) => {
      let seq = this.encode(text);
      const room = maxLength - (options.addCls ? 1 : 0);
      if (seq.length > room) seq = options.truncate === 'start' ? seq.slice(seq.length - room) : seq.slice(0, room);
      if (options.addCls) seq = [CLS_ID, ...seq];
      ids.set(seq, row * maxLength);
      lengths[row] = seq.length;
    });
    return { ids, lengths, rows: texts.length, maxLength };
  }

  async save(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(this.toJSON()));
  }
}

export class BpeTokenizer extends Tokenizer {
  readonly kind = 'bpe' as const;
  private readonly model: BpeModel;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(merges: ReadonlyArray<readonly [number, number]>, lowercase = false) {
    super(lowercase);
    this.model = new BpeModel(merges);
  }

  get vocabSize(): number {
    return this.model.vocabSize;
  }

  encode(text: string): number[] {
    return this.model.encode(normalise(text, this.lowercase));
  }

  decode(ids: ArrayLike<number>): string {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < ids.length; i++) parts.push(this.model.piece(ids[i]!));
    const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return this.decoder.decode(bytes);
  }

  token(id: number): string {
    if (id < SPECIAL_TOKENS.length) return SPECIAL_TOKENS[id]!;
    return this.decoder.decode(this.model.piece(id));
  }

  toJSON(): TokenizerFile {
    return { kind: 'bpe', version: 1, lowercase: this.lowercase, merges: this.model.merges.map(([a, b]) => [a, b]) };
  }
}

export class CharTokenizer extends Tokenizer {
  readonly kind = 'char' as const;
  private readonly ids = new Map<string, number>();

  constructor(
    readonly chars: readonly string[],
    lowercase = false,
  ) {
    super(lowercase);
    chars.forEach((c, i) => this.ids.set(c, SPECIAL_TOKENS.length + i));
  }

  get vocabSize(): number {
    return SPECIAL_TOKENS.length + this.chars.length;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const ch of normalise(text, this.lowercase)) out.push(this.ids.get(ch) ?? UNK_ID);
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === UNK_ID) s += '\uFFFD';
      else if (id >= SPECIAL_TOKENS.length) s += this.chars[id - SPECIAL_TOKENS.length] ?? '';
    }
    return s;
  }

  token(id: number): string {
    return id < SPECIAL_TOKENS.length ? SPECIAL_TOKENS[id]! : (this.chars[id - SPECIAL_TOKENS.length] ?? SPECIAL_TOKENS[UNK_ID]);
  }

  toJSON(): TokenizerFile {
    return { kind: 'char', version: 1, lowercase: this.lowercase, chars: [...this.chars] };
  }
}

export interface TrainTokenizerOptions {
  kind?: 'bpe' | 'char';
  /** Total vocabulary including special tokens (and the 256 bytes for BPE). Default 8000 / 300. */
  vocabSize?: number;
  lowercase?: boolean;
  /** BPE: minimum pair frequency to merge; char: minimum character count to keep (default 2). */
  minFrequency?: number;
}

/** Learns a tokeniser from texts (any iterable or async iterable, e.g. a JSONL stream). */
export async function trainTokenizer(texts: Iterable<string> | AsyncIterable<string>, options: TrainTokenizerOptions = {}): Promise<Tokenizer> {
  const kind = options.kind ?? 'bpe';
  const lowercase = options.lowercase ?? false;
  const minFrequency = options.minFrequency ?? 2;
  const counts = new Map<string, number>();
  for await (const raw of texts) {
    const text = normalise(raw, lowercase);
    if (kind === 'char') for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    else for (const w of pretokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  if (kind === 'char') {
    const room = (options.vocabSize ?? 300) - SPECIAL_TOKENS.length;
    const chars = [...counts]
      .filter(([, c]) => c >= minFrequency)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, Math.max(0, room))
      .map(([ch]) => ch);
    return new CharTokenizer(chars, lowercase);
  }
  const vocabSize = options.vocabSize ?? 8000;
  if (vocabSize < SPECIAL_TOKENS.length + 256) throw new InputError('vocabSize', `a byte-level BPE needs at least ${SPECIAL_TOKENS.length + 256}`);
  return new BpeTokenizer(learnMerges(counts, { vocabSize, minFrequency }), lowercase);
}

export function tokenizerFromJSON(json: unknown, source = 'tokenizer'): Tokenizer {
  const parsed = TokenizerFile.safeParse(json);
  if (!parsed.success) throw new InputError(source, `not a threatminer tokenizer: ${parsed.error.issues[0]?.message}`);
  const f = parsed.data;
  return f.kind === 'bpe' ? new BpeTokenizer(f.merges, f.lowercase) : new CharTokenizer(f.chars, f.lowercase);
}

export async function loadTokenizer(path: string): Promise<Tokenizer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(path, `cannot read tokenizer: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(path, 'tokenizer file is not JSON');
  }
  return tokenizerFromJSON(json, path);
}
