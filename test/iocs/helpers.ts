import { extractIocs, type ExtractOptionsInput, type IocMatch } from '../../src/analyse/iocs/index.js';

/** `type:value` pairs found in `text`, sorted, for compact assertions. */
export function found(text: string, options?: ExtractOptionsInput): string[] {
  return [...new Set(extractIocs(text, options).map((m) => `${m.type}:${m.value}`))].sort();
}

export function one(text: string, type: string): IocMatch {
  const matches = extractIocs(text).filter((m) => m.type === type);
  if (matches.length !== 1) throw new Error(`expected one ${type} in ${JSON.stringify(text)}, got ${JSON.stringify(matches.map((m) => m.value))}`);
  return matches[0] as IocMatch;
}
