/**
 * ATT&CK id cross-check against the compact list derived from the MITRE Enterprise bundle by
 * `scripts/derive-attack-ids.ts`. Unknown ids are flagged, never dropped: a post citing a
 * non-existent technique is itself a signal (typo, hallucinated report, newer ATT&CK release).
 */
import attackIds from './data/attack-ids.json' with { type: 'json' };
import type { IocFlag, IocType } from './types.js';

const known = new Set<string>([
  ...attackIds.techniques, ...attackIds.tactics, ...attackIds.groups, ...attackIds.software,
]);
const retired = new Set<string>(attackIds.retired);

export function attackType(id: string): IocType {
  if (id.startsWith('TA')) return 'attack-tactic';
  if (id.startsWith('T')) return id.includes('.') ? 'attack-subtechnique' : 'attack-technique';
  if (id.startsWith('G')) return 'attack-group';
  return 'attack-software';
}

export function attackFlags(id: string): IocFlag[] {
  if (!known.has(id)) return ['unknown-attack-id'];
  return retired.has(id) ? ['retired-attack-id'] : [];
}
