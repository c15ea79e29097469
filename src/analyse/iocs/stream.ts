/**
 * Streaming extraction for inputs too large to hold as one string (dumps, pastes, logs). Text is
 * processed in windows that overlap the previous one by `overlap` characters on the left (so
 * look-behind rules and defanging markers see their context) and keep `overlap` characters of
 * look-ahead on the right; a match is emitted by the window in whose "owned" region it starts.
 * As long as no indicator is longer than `overlap` (URLs are capped at 2 KiB, paths at ~3 KiB),
 * every match is found exactly once, with the same value and span as on the whole text.
 */
import { createExtractor } from './extract.js';
import type { ExtractOptionsInput, IocMatch } from './types.js';

export interface StreamOptions extends ExtractOptionsInput {
  /** Characters of new text per window (default 1 Mi). */
  chunkChars?: number;
  /** Characters of left context and right look-ahead around each window (default 8 Ki). */
  overlap?: number;
}

export const DEFAULT_OVERLAP = 8192;

/**
 * Extracts from an iterable of text or UTF-8 byte chunks; yields matches in order with spans in
 * the concatenated input. Byte chunks may split multi-byte characters anywhere.
 */
export async function* extractStream(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: StreamOptions = {},
): AsyncGenerator<IocMatch> {
  const { chunkChars = 1 << 20, overlap = DEFAULT_OVERLAP, ...extractOptions } = options;
  if (!(chunkChars > 0) || !(overlap >= 0)) throw new RangeError('chunkChars must be > 0 and overlap >= 0');
  const extractor = createExtractor(extractOptions);
  const decoder = new TextDecoder('utf-8');
  let buffer = ''; // text from `bufferStart` on
  let bufferStart = 0;
  let emittedUpTo = 0; // every match starting before this offset has been yielded

  function* flush(final: boolean): Generator<IocMatch> {
    const safeEnd = final ? bufferStart + buffer.length : bufferStart + buffer.length - overlap;
    if (safeEnd <= emittedUpTo) return;
    for (const m of extractor.extract(buffer)) {
      const start = m.start + bufferStart;
      if (start < emittedUpTo || start >= safeEnd) continue;
      yield { ...m, start, end: m.end + bufferStart };
    }
    emittedUpTo = safeEnd;
    // Keep `overlap` characters of left context before the next owned region.
    const keepFrom = Math.max(bufferStart, safeEnd - overlap);
    buffer = buffer.slice(keepFrom - bufferStart);
    bufferStart = keepFrom;
  }

  for await (const chunk of source) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    while (buffer.length - (emittedUpTo - bufferStart) >= chunkChars + overlap) yield* flush(false);
  }
  buffer += decoder.decode();
  yield* flush(true);
}
