import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseCases } from '../../src/analyse/iocs/index.js';
import { runExtract, type ExtractCliOptions } from '../../src/cli/commands/extract.js';
import { InputError } from '../../src/core/errors.js';

const predictFixed = (text: string): { type: string; value: string }[] =>
  text.split(' ').filter((w) => w.includes(':')).map((w) => {
    const [type = '', value = ''] = w.split(':');
    return { type, value } as { type: string; value: string };
  });

test('scoring: per-type counts, micro totals, exhaustive:false, unknown types', () => {
  const cases = parseCases([
    JSON.stringify({ text: 'domain:a.com domain:b.com ipv4:1.1.1.1', expected: { domain: ['A.com', 'c.com'], ipv4: ['1.1.1.1'] } }),
    JSON.stringify({ text: 'domain:x.com md5:ff', expected: { domain: ['x.com'] }, exhaustive: false }),
    JSON.stringify({ text: 'nothing', expected: { 'wallet-thing': ['zzz'] } }),
  ].join('\n'), 'inline');
  const report = evaluate(cases, predictFixed as never);
  // case 1: domain tp a.com, fn c.com, fp b.com; ipv4 tp. case 2: domain tp, md5 extra ignored.
  // case 3: unknown type, its value is a false negative.
  assert.deepEqual(report.perType.domain && { tp: report.perType.domain.tp, fp: report.perType.domain.fp, fn: report.perType.domain.fn }, { tp: 2, fp: 1, fn: 1 });
  assert.equal(report.perType.md5, undefined, 'extra finds in a non-exhaustive case are not false positives');
  assert.equal(report.perType['wallet-thing']?.fn, 1);
  assert.equal(report.perType['wallet-thing']?.known, false);
  assert.deepEqual(report.unknownTypes, { 'wallet-thing': [3] });
  assert.deepEqual({ tp: report.micro.tp, fp: report.micro.fp, fn: report.micro.fn }, { tp: 3, fp: 1, fn: 2 });
  assert.equal(report.micro.precision, 3 / 4);
  assert.equal(report.micro.recall, 3 / 5);
  assert.ok(Math.abs(report.micro.f1 - (2 * 0.75 * 0.6) / 1.35) < 1e-12);
});

test('case files are validated and errors name the line', () => {
  assert.throws(() => parseCases('{"text": "x"}\n', 'cases.jsonl'), /cases\.jsonl:1: not a case/);
  assert.throws(() => parseCases('{"text": "x", "expected": {}}\nnot json\n', 'cases.jsonl'), /cases\.jsonl:2: not valid JSON/);
  assert.throws(() => parseCases('\n\n', 'empty.jsonl'), /contains no cases/);
});

function cli(args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['bin/threatminer.js', ...args], { encoding: 'utf8', input, env: { ...process.env, THREATMINER_FROM_SOURCE: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('threatminer eval iocs prints per-type lines, reports unknown types, and ends with a JSON summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iocs-eval-'));
  const file = join(dir, 'cases.jsonl');
  writeFileSync(file, [
    JSON.stringify({ text: 'C2 hxxp://evil-panel[.]ru/gate.php and 45.142.212[.]61', expected: { url: ['http://evil-panel.ru/gate.php'], domain: ['evil-panel.ru'], ipv4: ['45.142.212.61'] } }),
    JSON.stringify({ text: 'wallet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', expected: { bitcoin: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'] } }),
  ].join('\n'));
  const r = cli(['eval', 'iocs', '--data', file]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const summary = JSON.parse(lines[lines.length - 1] as string) as { micro_f1: number; precision: number; recall: number; unknown_types: string[] };
  assert.deepEqual(summary.unknown_types, ['bitcoin']);
  // 3 tp; the btc find is a fp (type "btc" not expected, case exhaustive); "bitcoin" value is a fn.
  assert.equal(summary.precision, 0.75);
  assert.equal(summary.recall, 0.75);
  assert.ok(r.stdout.includes('unknown type "bitcoin"'));
  assert.ok(/^url\s+1\s+0\s+0/m.test(r.stdout));
});

/** Runs the `threatminer extract` command body in-process (spawning tsx per format is slow). */
async function extractCli(args: string[]): Promise<string> {
  const [file = '', ...rest] = args;
  const opts: ExtractCliOptions = { format: 'json', context: '60', allowDomain: [], allowIp: [], drop: [] };
  for (let i = 0; i < rest.length; i += 2) {
    const value = rest[i + 1] as string;
    if (rest[i] === '--format') opts.format = value;
    else if (rest[i] === '--types') opts.types = value;
  }
  let out = '';
  await runExtract(file, opts, { write: (chunk: string) => { out += chunk; } });
  return out;
}

test('threatminer extract prints JSON, CSV and a STIX bundle; bad options are user errors', async () => {
  const input = 'C2 hxxp://evil-panel[.]ru/gate.php, md5 d41d8cd98f00b204e9800998ecf8427e, CVE-2021-44228\n';
  const file = join(mkdtempSync(join(tmpdir(), 'iocs-extract-')), 'post.txt');
  writeFileSync(file, input);
  const matches = JSON.parse(await extractCli([file])) as { type: string; value: string; start: number; end: number; defanged: boolean }[];
  assert.deepEqual(matches.map((m) => m.type), ['url', 'domain', 'md5', 'cve']);
  assert.equal(input.slice(matches[0]!.start, matches[0]!.end), 'hxxp://evil-panel[.]ru/gate.php');
  const csv = await extractCli([file, '--format', 'csv', '--types', 'md5,cve']);
  assert.equal(csv.split('\n')[0], 'type,value,start,end,defanged,flags,context');
  assert.equal(csv.trim().split('\n').length, 3);
  const stix = JSON.parse(await extractCli([file, '--format', 'stix'])) as { type: string; objects: { type: string; pattern?: string }[] };
  assert.equal(stix.type, 'bundle');
  assert.ok(stix.objects.some((o) => o.type === 'indicator' && o.pattern === "[url:value = 'http://evil-panel.ru/gate.php']"));
  assert.ok(stix.objects.some((o) => o.type === 'vulnerability'));
  await assert.rejects(extractCli([file, '--format', 'xml']), (err: unknown) => err instanceof InputError && /--format: must be one of json, csv, stix/.test(err.message));
  await assert.rejects(extractCli([file, '--types', 'bitcoin']), /--types: unknown type "bitcoin"/);
  await assert.rejects(extractCli(['/nonexistent/file.txt']), /\/nonexistent\/file\.txt: cannot read/);
});
