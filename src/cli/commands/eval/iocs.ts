import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../../core/errors.js';
import { createExtractor } from '../../../analyse/iocs/index.js';
import { evaluate, parseCases, type TypeScore } from '../../../analyse/iocs/evaluate.js';

/**
 * `threatminer eval iocs --data cases.jsonl`: per-type precision, recall and F1 of the indicator
 * extractor, micro totals, unknown types, a few errors; the last line is a JSON summary.
 */
export function register(evalCommand: Command): void {
  evalCommand
    .command('iocs')
    .description('Evaluate indicator extraction against JSONL cases {"text", "expected": {type: [values]}, "exhaustive"?}')
    .requiredOption('--data <file>', 'JSONL case file')
    .option('--errors <n>', 'print up to n false positives / negatives', '20')
    .action(async (opts: { data: string; errors: string }) => {
      let raw: string;
      try {
        raw = await readFile(opts.data, 'utf8');
      } catch (err) {
        throw new InputError(opts.data, `cannot read (${err instanceof Error ? err.message : String(err)})`);
      }
      const maxErrors = Number(opts.errors);
      if (!Number.isInteger(maxErrors) || maxErrors < 0) throw new InputError('--errors', 'must be a non-negative integer');
      const cases = parseCases(raw, opts.data);
      const extractor = createExtractor();
      const started = performance.now();
      const report = evaluate(cases, (text) => extractor.extract(text), maxErrors);
      const seconds = (performance.now() - started) / 1000;
      const out = process.stdout;
      const row = (name: string, s: TypeScore): string =>
        `${name.padEnd(22)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(5)} ${String(s.fn).padStart(5)}  ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}  ${s.f1.toFixed(3)}${s.known ? '' : '  (unknown type)'}\n`;
      out.write(`cases: ${report.cases} (${opts.data}), ${seconds.toFixed(2)} s\n`);
      out.write(`${'type'.padEnd(22)} ${'tp'.padStart(5)} ${'fp'.padStart(5)} ${'fn'.padStart(5)}  prec.  recall  f1\n`);
      for (const [type, s] of Object.entries(report.perType)) out.write(row(type, s));
      out.write(row('micro', report.micro));
      for (const [type, lines] of Object.entries(report.unknownTypes)) {
        out.write(`unknown type "${type}" in ${lines.length} case(s): ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? ', …' : ''}\n`);
      }
      for (const e of report.errors) out.write(`${e.kind} case ${e.case} ${e.type}: ${e.value}\n`);
      out.write(`${JSON.stringify({
        micro_f1: round(report.micro.f1), precision: round(report.micro.precision), recall: round(report.micro.recall),
        tp: report.micro.tp, fp: report.micro.fp, fn: report.micro.fn, cases: report.cases,
        unknown_types: Object.keys(report.unknownTypes),
        per_type: Object.fromEntries(Object.entries(report.perType).map(([t, s]) => [t, { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1) }])),
      })}\n`);
    });
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
