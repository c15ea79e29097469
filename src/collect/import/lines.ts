import type { Readable } from 'node:stream';

export type LineItem =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly error: string };

/**
 * Splits a byte stream into UTF-8 lines without ever holding more than one line (bounded by
 * `maxLineBytes`) in memory, so a multi-gigabyte file or a file with one giant line cannot
 * exhaust memory. Lines that are too long, contain NUL bytes (binary data) or are not valid
 * UTF-8 are yielded as errors with their line number instead of text.
 */
export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<LineItem> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let lineNumber = 0;

  const finish = (): LineItem => {
    lineNumber++;
    if (overflow) return { line: lineNumber, error: `line is longer than ${maxLineBytes} bytes` };
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    const view = bytes.subarray(0, end);
    if (view.includes(0)) return { line: lineNumber, error: 'binary data (NUL byte) in line' };
    try {
      return { line: lineNumber, text: decoder.decode(view) };
    } catch {
      return { line: lineNumber, error: 'line is not valid UTF-8' };
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!overflow) {
        if (pendingBytes + (end - start) > maxLineBytes) {
          overflow = true;
          pending = [];
          pendingBytes = 0;
        } else if (end > start) {
          pending.push(chunk.subarray(start, end));
          pendingBytes += end - start;
        }
      }
      if (newline === -1) break;
      yield finish();
      pending = [];
      pendingBytes = 0;
      overflow = false;
      start = newline + 1;
    }
  }
  if (pendingBytes > 0 || overflow) yield finish();
}
