import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractIocs, extractStream, type IocMatch } from '../../src/analyse/iocs/index.js';

function forumText(): string {
  const lines = [
    'Selling access, test box 45.142.212.61:8443, contact TG @dark_logs_shop',
    'panel hxxps://evil-panel[.]ru/gate.php?id=1 and mirror http://cdn.mirror-files.net/a.zip',
    'hash d41d8cd98f00b204e9800998ecf8427e / e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'Платите на 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, почта seller(at)mail[.]ru',
    '服务器在91.215.85.17上面，域名evil-cdn.com，CVE-2021-44228 T1059.001',
    'persist HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run and C:\\Users\\Public\\svc.exe',
  ];
  let out = '';
  for (let i = 0; i < 120; i++) out += `${lines[i % lines.length]} #${i}\n`;
  return out;
}

async function collect(source: Iterable<string | Uint8Array>, chunkChars: number): Promise<IocMatch[]> {
  const out: IocMatch[] = [];
  for await (const m of extractStream(source, { chunkChars, overlap: 512 })) out.push(m);
  return out;
}

const key = (m: IocMatch): string => `${m.type}|${m.value}|${m.start}|${m.end}|${m.defanged}`;

test('streaming finds exactly the matches of whole-text extraction, for any chunking', async () => {
  const text = forumText();
  const expected = extractIocs(text).map(key);
  assert.ok(expected.length > 300);
  for (const piece of [1, 7, 64, 333, 1000, 5000]) {
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += piece) parts.push(text.slice(i, i + piece));
    for (const chunkChars of [600, 2048, 100_000]) {
      const got = (await collect(parts, chunkChars)).map(key);
      assert.deepEqual(got, expected, `pieces of ${piece}, chunkChars ${chunkChars}`);
    }
  }
});

test('indicators straddling a window boundary are found once, with the right span', async () => {
  const filler = 'x '.repeat(400); // 800 chars
  const text = `${filler}hxxp://straddle-evil[.]com/gate.php ${filler}45.142.212[.]61 ${filler}`;
  for (let shift = 0; shift < 60; shift += 3) {
    const padded = `${' '.repeat(shift)}${text}`;
    const got = await collect([padded], 700);
    assert.deepEqual(got.map(key), extractIocs(padded).map(key), `shift ${shift}`);
    assert.equal(got.filter((m) => m.type === 'url').length, 1);
  }
});

test('UTF-8 byte chunks may split multi-byte characters anywhere', async () => {
  const text = forumText();
  const bytes = new TextEncoder().encode(text);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 5) parts.push(bytes.subarray(i, i + 5));
  const got = (await collect(parts, 1500)).map(key);
  assert.deepEqual(got, extractIocs(text).map(key));
});
