/**
 * Scoring for `threatminer eval iocs`: set-based per-type precision / recall / F1 over a JSONL
 * case file. Values are compared after the same canonical case folding the extractor applies, so
 * a case author writing `EVIL.com` or an upper-case hash is not penalised.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { IocType, type IocMatch } from './types.js';

export const EvalCase = z.object({
  text: z.string(),
  expected: z.record(z.string(), z.array(z.string())),
  exhaustive: z.boolean().default(true),
  id: z.string().optional(),
  note: z.string().optional(),
});
export type EvalCase = z.infer<typeof EvalCase>;

const CASE_INSENSITIVE: ReadonlySet<string> = new Set([
  'domain', 'onion', 'i2p', 'email', 'xmpp', 'md5', 'sha1', 'sha256', 'sha512', 'tlsh', 'cve', 'cwe', 'eth', 'tox',
  'session', 'pgp-fingerprint', 'mac', 'asn', 'ipv6', 'bch', 'telegram',
]);

export function canonical(type: string, value: string): string {
  const v = value.trim();
  return CASE_INSENSITIVE.has(type) ? v.toLowerCase() : v;
}

export function parseCases(text: string, source: string): EvalCase[] {
  const cases: EvalCase[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${source}:${i + 1}`, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = EvalCase.safeParse(json);
    if (!parsed.success) throw new InputError(`${source}:${i + 1}`, `not a case: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    cases.push(parsed.data);
  }
  if (cases.length === 0) throw new InputError(source, 'contains no cases');
  return cases;
}

export interface Counts { tp: number; fp: number; fn: number }
export interface TypeScore extends Counts { precision: number; recall: number; f1: number; known: boolean }
export interface EvalReport {
  cases: number;
  perType: Record<string, TypeScore>;
  micro: TypeScore;
  /** Types named in cases that the extractor does not know, with the 1-based case numbers. */
  unknownTypes: Record<string, number[]>;
  /** Up to N example errors for inspection. */
  errors: { case: number; type: string; value: string; kind: 'fp' | 'fn' }[];
}

function score(c: Counts, known: boolean): TypeScore {
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1, known };
}

/**
 * Scores predictions against cases. With `exhaustive: false` a prediction that is not expected
 * is not a false positive (the case lists only some indicators); expected values still count
 * for recall. Expected values of unknown types count as false negatives and are reported.
 */
export function evaluate(
  cases: readonly EvalCase[],
  predict: (text: string) => readonly Pick<IocMatch, 'type' | 'value'>[],
  maxErrors = 50,
): EvalReport {
  const counts = new Map<string, Counts>();
  const unknownTypes: Record<string, number[]> = {};
  const errors: EvalReport['errors'] = [];
  const bump = (type: string, key: keyof Counts): void => {
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    counts.set(type, c);
  };
  cases.forEach((kase, index) => {
    const n = index + 1;
    const predicted = new Map<string, Set<string>>();
    for (const m of predict(kase.text)) {
      const set = predicted.get(m.type) ?? new Set<string>();
      set.add(canonical(m.type, m.value));
      predicted.set(m.type, set);
    }
    const expectedTypes = Object.keys(kase.expected);
    for (const type of expectedTypes) {
      if (!IocType.safeParse(type).success) (unknownTypes[type] ??= []).push(n);
      const want = new Set((kase.expected[type] ?? []).map((v) => canonical(type, v)));
      const got = predicted.get(type) ?? new Set<string>();
      for (const v of want) {
        if (got.has(v)) bump(type, 'tp');
        else {
          bump(type, 'fn');
          if (errors.length < maxErrors) errors.push({ case: n, type, value: v, kind: 'fn' });
        }
      }
      if (kase.exhaustive) {
        for (const v of got) {
          if (want.has(v)) continue;
          bump(type, 'fp');
          if (errors.length < maxErrors) errors.push({ case: n, type, value: v, kind: 'fp' });
        }
      }
    }
    if (kase.exhaustive) {
      for (const [type, got] of predicted) {
        if (expectedTypes.includes(type)) continue;
        for (const v of got) {
          bump(type, 'fp');
          if (errors.length < maxErrors) errors.push({ case: n, type, value: v, kind: 'fp' });
        }
      }
    }
  });
  const perType: Record<string, TypeScore> = {};
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const type of [...counts.keys()].sort()) {
    const c = counts.get(type) as Counts;
    perType[type] = score(c, IocType.safeParse(type).success);
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  return { cases: cases.length, perType, micro: score(total, true), unknownTypes, errors };
}
