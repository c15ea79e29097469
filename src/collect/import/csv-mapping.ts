import { InputError } from '../../core/errors.js';
import { ForumRecordFields } from '../../core/records.js';

/** Record fields a CSV column can feed; anything else in a mapping is a typo worth reporting. */
const RECORD_FIELDS = new Set(Object.keys(ForumRecordFields.shape));
const NUMBER_FIELDS = new Set(['author_post_count', 'author_reputation']);
const LIST_FIELDS = new Set(['quotes']);
const JSON_FIELDS = new Set(['code_blocks', 'attachments']);

/** `field=column` pairs: `post_id=id,author=user_name`. */
export function parseMapping(spec: string | undefined): Map<string, string> {
  const mapping = new Map<string, string>();
  if (spec === undefined || spec.trim() === '') return mapping;
  for (const pair of spec.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError('--map', `expected field=column, got "${pair}"`);
    const field = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (!RECORD_FIELDS.has(field)) throw new InputError('--map', `unknown record field "${field}" (see docs/import.md)`);
    mapping.set(field, column);
  }
  return mapping;
}

/**
 * A CSV row (header → string) as a record candidate: mapped columns first, then columns whose
 * header already is a record field. Empty cells are absent values. Validation happens later,
 * with the same schema as JSONL.
 */
export function csvRowToRecord(row: Record<string, string>, mapping: ReadonlyMap<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const mappedColumns = new Set(mapping.values());
  const assign = (field: string, raw: string | undefined) => {
    if (raw === undefined || raw === '') return;
    if (NUMBER_FIELDS.has(field)) record[field] = Number(raw);
    else if (LIST_FIELDS.has(field)) record[field] = raw.startsWith('[') ? safeJson(raw) : raw.split(';').map((s) => s.trim()).filter(Boolean);
    else if (JSON_FIELDS.has(field)) record[field] = safeJson(raw);
    else record[field] = raw;
  };
  for (const [field, column] of mapping) assign(field, row[column]);
  for (const [column, value] of Object.entries(row)) {
    if (RECORD_FIELDS.has(column) && !mapping.has(column) && !mappedColumns.has(column)) assign(column, value);
  }
  return record;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // the schema then reports the field as malformed, naming it
  }
}

export function missingRequiredColumns(headers: readonly string[], mapping: ReadonlyMap<string, string>): string[] {
  const available = new Set(headers);
  const problems: string[] = [];
  for (const [field, column] of mapping) if (!available.has(column)) problems.push(`column "${column}" (mapped to ${field}) is not in the header`);
  for (const field of ['site', 'author']) {
    const column = mapping.get(field) ?? field;
    if (!available.has(column)) problems.push(`no column for required field "${field}"`);
  }
  return problems;
}
