import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { extractStream, IocFlag, IocType, toStixBundle, type IocMatch } from '../../analyse/iocs/index.js';

/**
 * `threatminer extract <file|->`: indicators in a text file or stdin, streamed (any size), as
 * JSON (an array, one match per line), CSV, or a STIX 2.1 bundle.
 */
const FORMATS = ['json', 'csv', 'stix'] as const;

export interface ExtractCliOptions {
  format: string;
  types?: string;
  context: string;
  allowDomain: string[];
  allowIp: string[];
  drop: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function register(program: Command): void {
  program
    .command('extract')
    .description('Extract indicators (IPs, domains, URLs, hashes, CVEs, ATT&CK ids, wallets, handles, …) from a file or stdin')
    .argument('<file>', 'text file to read, or - for stdin')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'json')
    .option('--types <list>', 'comma-separated types to report (default: all; see docs/iocs.md)')
    .option('--context <chars>', 'characters of context on each side', '60')
    .option('--allow-domain <domain>', 'flag this domain and its subdomains as allowlisted (repeatable)', collect, [])
    .option('--allow-ip <ip/cidr>', 'flag this IP or CIDR as allowlisted (repeatable)', collect, [])
    .option('--drop <flag>', 'drop matches carrying this flag, e.g. private, benign (repeatable)', collect, [])
    .action(async (file: string, opts: ExtractCliOptions) => runExtract(file, opts, process.stdout));
}

/** The command body, writing to `out` (tests pass their own sink). */
export async function runExtract(file: string, opts: ExtractCliOptions, out: { write(chunk: string): unknown }): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw new InputError('--format', `must be one of ${FORMATS.join(', ')}, got "${opts.format}"`);
  const types = opts.types === undefined ? undefined : opts.types.split(',').map((t) => t.trim()).filter((t) => t !== '');
  for (const t of types ?? []) if (!IocType.safeParse(t).success) throw new InputError('--types', `unknown type "${t}" (known: ${IocType.options.join(', ')})`);
  for (const f of opts.drop) if (!IocFlag.safeParse(f).success) throw new InputError('--drop', `unknown flag "${f}" (known: ${IocFlag.options.join(', ')})`);
  const contextChars = Number(opts.context);
  if (!Number.isInteger(contextChars) || contextChars < 0 || contextChars > 1000) throw new InputError('--context', 'must be an integer 0..1000');
  if (file !== '-') {
    const info = await stat(file).catch((err: unknown) => {
      throw new InputError(file, `cannot read (${err instanceof Error ? err.message : String(err)})`);
    });
    if (!info.isFile()) throw new InputError(file, 'is not a regular file');
  }
  const source = file === '-' ? process.stdin : createReadStream(file);
  const matches = extractStream(source as AsyncIterable<Uint8Array>, {
    ...(types === undefined ? {} : { types: types as IocType[] }),
    contextChars,
    allowDomains: opts.allowDomain,
    allowIps: opts.allowIp,
    dropFlags: opts.drop as IocFlag[],
  });
  if (opts.format === 'stix') {
    const all: IocMatch[] = [];
    for await (const m of matches) all.push(m);
    out.write(`${JSON.stringify(toStixBundle(all), null, 2)}\n`);
    return;
  }
  if (opts.format === 'csv') {
    out.write('type,value,start,end,defanged,flags,context\n');
    for await (const m of matches) {
      out.write(`${[m.type, m.value, String(m.start), String(m.end), String(m.defanged), m.flags.join('|'), m.context].map(csvField).join(',')}\n`);
    }
    return;
  }
  let first = true;
  out.write('[');
  for await (const m of matches) {
    out.write(`${first ? '\n' : ',\n'}${JSON.stringify(m)}`);
    first = false;
  }
  out.write(first ? ']\n' : '\n]\n');
}
