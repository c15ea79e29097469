/**
 * Handle normalisation and similarity for alias linking. Forum users rename across sites with
 * leetspeak, separators, and trailing digits ("Dark_Z3r0", "darkzero1337"), so handles are
 * compared both as typed and after folding those away.
 */
const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/** Handles too generic to link on: many unrelated people use them. */
const GENERIC = new Set(['admin', 'administrator', 'moderator', 'mod', 'support', 'guest', 'user', 'anonymous', 'anon', 'test', 'root', 'staff', 'seller', 'vendor', 'escrow', 'bot']);

const TRAILING = new Set('0123456789_.- \t'.split(''));

export function foldHandle(handle: string): string {
  const lower = handle.normalize('NFKC').toLowerCase();
  // Trailing digits are usually a suffix added when the bare name was taken; strip them before
  // leet-folding so "zero1337" → "zero", but keep leading/inner digits ("z3r0" → "zero").
  let end = lower.length;
  while (end > 0 && TRAILING.has(lower[end - 1] as string)) end--;
  const trimmed = lower.slice(0, end);
  let out = '';
  for (const ch of trimmed.length > 0 ? trimmed : lower) {
    const mapped = LEET[ch] ?? ch;
    if (/[\p{L}\p{N}]/u.test(mapped)) out += mapped;
  }
  return out;
}

export function isGenericHandle(folded: string): boolean {
  return folded.length < 4 || GENERIC.has(folded);
}

/** Jaro–Winkler similarity in [0,1]. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Uint8Array(la);
  const mb = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (!mb[j] && a[i] === b[j]) {
        ma[i] = 1; mb[j] = 1; matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[j]) j++;
    if (a[i] !== b[j]) t++;
    j++;
  }
  const jaro = (matches / la + matches / lb + (matches - t / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

export interface HandleSimilarity {
  readonly similarity: number;
  readonly foldedA: string;
  readonly foldedB: string;
  readonly generic: boolean;
}

export function handleSimilarity(a: string, b: string): HandleSimilarity {
  const foldedA = foldHandle(a);
  const foldedB = foldHandle(b);
  const raw = jaroWinkler(a.toLowerCase(), b.toLowerCase());
  const folded = foldedA.length > 0 && foldedB.length > 0 ? jaroWinkler(foldedA, foldedB) : 0;
  // "name_pro" / "name": Jaro–Winkler punishes the length difference of an added affix, so the
  // handles are also compared without one trailing separator-delimited token.
  const coreA = foldHandle(handleCore(a) ?? a);
  const coreB = foldHandle(handleCore(b) ?? b);
  const core = (coreA !== foldedA || coreB !== foldedB) && coreA.length > 0 && coreB.length > 0 ? jaroWinkler(coreA, coreB) : 0;
  return { similarity: Math.max(raw, folded, core), foldedA, foldedB, generic: isGenericHandle(foldedA) || isGenericHandle(foldedB) };
}

/**
 * The handle without one trailing separator-delimited affix of at most 8 characters
 * ("Dark_Zero_pro" → "Dark_Zero", "name-x" → "name"), or null when there is none or the rest
 * would be shorter than 4 folded characters.
 */
export function handleCore(handle: string): string | null {
  const cut = Math.max(handle.lastIndexOf('_'), handle.lastIndexOf('-'), handle.lastIndexOf('.'));
  if (cut <= 0 || cut === handle.length - 1 || handle.length - cut - 1 > 8) return null;
  const core = handle.slice(0, cut);
  return foldHandle(core).length >= 4 ? core : null;
}

/**
 * Blocking keys of a folded handle: its first and its last three characters. Variants that pass
 * the Jaro–Winkler threshold almost always keep one end intact ("korvor" / "korvorpro",
 * "zeroday" / "xzeroday"), and two keys per handle keep the candidate pairs near-linear where
 * every shared trigram would pair most of a large forum with each other.
 */
export function handleBlockingKeys(folded: string): string[] {
  if (folded.length < 3) return folded.length > 0 ? [`=${folded}`] : [];
  return [`^${folded.slice(0, 3)}`, `${folded.slice(-3)}$`];
}
