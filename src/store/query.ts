import { UserError } from '../core/errors.js';
import { segmentCjk } from './search-text.js';

/**
 * The search syntax analysts type, parsed once and rendered for each engine, so a query never
 * reaches FTS5 or tsquery as raw text (no syntax errors, no injection):
 *   words          all must match           exploit rce
 *   "a phrase"     adjacent words           "remote code execution"
 *   a OR b         either                   lockbit OR conti
 *   -word          must not match           rce -poc
 * Words are split like the index splits text: runs of letters, digits and marks; every CJK
 * character is its own word, so a Chinese word becomes a phrase of characters.
 */
export type Phrase = readonly string[];
export interface ParsedQuery {
  /** AND of clauses; each clause is an OR of phrases. */
  readonly must: readonly (readonly Phrase[])[];
  readonly mustNot: readonly Phrase[];
}

const MAX_QUERY_LENGTH = 500;
const MAX_PHRASES = 32;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function wordsOf(text: string): string[] {
  return (segmentCjk(text).toLowerCase().match(WORD) ?? []);
}

export function parseQuery(input: string): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) throw new UserError(`search query is longer than ${MAX_QUERY_LENGTH} characters`);
  const tokens: { text: string; negated: boolean; quoted: boolean }[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    let negated = false;
    if (ch === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) { negated = true; i++; }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const stop = end === -1 ? input.length : end;
      tokens.push({ text: input.slice(i + 1, stop), negated, quoted: true });
      i = stop + 1;
    } else {
      let j = i;
      while (j < input.length && !/\s/.test(input[j]!)) j++;
      tokens.push({ text: input.slice(i, j), negated, quoted: false });
      i = j;
    }
  }
  const must: Phrase[][] = [];
  const mustNot: Phrase[] = [];
  let joinNext = false;
  let count = 0;
  for (const token of tokens) {
    if (!token.quoted && !token.negated && token.text === 'OR') { joinNext = must.length > 0; continue; }
    const phrase = wordsOf(token.text);
    if (phrase.length === 0) { joinNext = false; continue; }
    if (++count > MAX_PHRASES) throw new UserError(`search query has more than ${MAX_PHRASES} terms`);
    if (token.negated) mustNot.push(phrase);
    else if (joinNext) must[must.length - 1]!.push(phrase);
    else must.push([phrase]);
    joinNext = false;
  }
  if (must.length === 0 && mustNot.length > 0) throw new UserError('search query needs at least one word that must match, not only exclusions');
  return { must, mustNot };
}

export function isEmptyQuery(query: ParsedQuery): boolean {
  return query.must.length === 0;
}

function fts5Phrase(phrase: Phrase): string {
  return `"${phrase.join(' ').replaceAll('"', '""')}"`;
}

export function toFts5(query: ParsedQuery): string {
  const clauses = query.must.map((clause) => (clause.length === 1 ? fts5Phrase(clause[0]!) : `(${clause.map(fts5Phrase).join(' OR ')})`));
  let expression = clauses.join(' AND ');
  for (const phrase of query.mustNot) expression = `(${expression}) NOT ${fts5Phrase(phrase)}`;
  return expression;
}

function tsLexeme(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
function tsPhrase(phrase: Phrase): string {
  return phrase.length === 1 ? tsLexeme(phrase[0]!) : `(${phrase.map(tsLexeme).join(' <-> ')})`;
}

export function toTsquery(query: ParsedQuery): string {
  const parts = query.must.map((clause) => (clause.length === 1 ? tsPhrase(clause[0]!) : `(${clause.map(tsPhrase).join(' | ')})`));
  for (const phrase of query.mustNot) parts.push(`!${tsPhrase(phrase)}`);
  return parts.join(' & ');
}

/** Words to highlight in results: every positive word. */
export function highlightWords(query: ParsedQuery): Set<string> {
  return new Set(query.must.flat(2));
}
