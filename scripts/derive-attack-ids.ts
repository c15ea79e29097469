/**
 * Derives the compact ATT&CK id list the IOC extractor ships (`src/analyse/iocs/data/attack-ids.json`)
 * from the MITRE Enterprise ATT&CK STIX bundle. The bundle is ~40 MB; the extractor only needs to
 * know which ids exist, so we keep ids grouped by kind (plus which are revoked or deprecated).
 *
 *   node --import tsx scripts/derive-attack-ids.ts [bundle.json.gz] [out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const ExternalReference = z.object({ source_name: z.string(), external_id: z.string().optional() }).passthrough();
const StixObject = z
  .object({
    type: z.string(),
    revoked: z.boolean().optional(),
    x_mitre_deprecated: z.boolean().optional(),
    external_references: z.array(ExternalReference).optional(),
  })
  .passthrough();
const Bundle = z.object({ type: z.literal('bundle'), objects: z.array(StixObject) }).passthrough();

const KIND_BY_TYPE: Readonly<Record<string, 'techniques' | 'tactics' | 'groups' | 'software' | 'campaigns' | 'mitigations'>> = {
  'attack-pattern': 'techniques',
  'x-mitre-tactic': 'tactics',
  'intrusion-set': 'groups',
  malware: 'software',
  tool: 'software',
  campaign: 'campaigns',
  'course-of-action': 'mitigations',
};

const input = process.argv[2] ?? '../shared/datasets/attack/enterprise-attack.json.gz';
const output = process.argv[3] ?? 'src/analyse/iocs/data/attack-ids.json';
const raw = readFileSync(input);
const text = input.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
const bundle = Bundle.parse(JSON.parse(text));

const out = { techniques: new Set<string>(), tactics: new Set<string>(), groups: new Set<string>(), software: new Set<string>(), campaigns: new Set<string>(), mitigations: new Set<string>(), retired: new Set<string>() };
const active = new Set<string>();
for (const obj of bundle.objects) {
  const kind = KIND_BY_TYPE[obj.type];
  if (kind === undefined) continue;
  const ref = obj.external_references?.find((r) => r.source_name === 'mitre-attack');
  if (ref?.external_id === undefined) continue;
  out[kind].add(ref.external_id);
  // Several objects can share an id (a revoked one and its replacement): retired only if none is active.
  if (obj.revoked === true || obj.x_mitre_deprecated === true) out.retired.add(ref.external_id);
  else active.add(ref.external_id);
}
for (const id of active) out.retired.delete(id);
const sorted = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
writeFileSync(output, JSON.stringify({ source: 'MITRE ATT&CK Enterprise (STIX 2.1 bundle)', ...sorted }) + '\n');
console.log(Object.entries(sorted).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.length : v}`).join(', '));
