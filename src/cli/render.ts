import type { Snippet } from '../store/highlight.js';

// C0/C1 controls and escape sequences in forum text could repaint or hijack a terminal.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '\uFFFD');
}

/** Snippet text with highlights in bold on a terminal, or in [brackets] otherwise. */
export function renderSnippet(snippet: Snippet, color: boolean): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    out += terminalSafe(snippet.text.slice(at, start));
    const word = terminalSafe(snippet.text.slice(start, end));
    out += color ? `\u001b[1;33m${word}\u001b[0m` : `[${word}]`;
    at = end;
  }
  return out + terminalSafe(snippet.text.slice(at));
}
