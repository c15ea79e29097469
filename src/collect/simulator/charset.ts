/**
 * windows-1251, the legacy charset many Russian-speaking forums still serve. Node's TextEncoder
 * only writes UTF-8, so the table is built by decoding every byte once. Characters the charset
 * lacks become numeric character references, as PHP forums emit them.
 */
let table: Map<string, number> | undefined;

function cp1251(): Map<string, number> {
  if (table === undefined) {
    table = new Map();
    const decoder = new TextDecoder('windows-1251');
    for (let b = 0x80; b <= 0xff; b++) {
      const ch = decoder.decode(new Uint8Array([b]));
      if (ch !== '\uFFFD' && !table.has(ch)) table.set(ch, b);
    }
  }
  return table;
}

export function encodeWindows1251(text: string): Buffer {
  const map = cp1251();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const b = map.get(ch);
      if (b !== undefined) out.push(b);
      else for (const c of `&#${code};`) out.push(c.charCodeAt(0));
    }
  }
  return Buffer.from(out);
}
