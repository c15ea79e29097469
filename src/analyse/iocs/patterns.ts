/**
 * Every regular expression the extractor runs over forum text, in one registry so the ReDoS test
 * can check all of them. Rules that keep them linear-time: no nested unbounded quantifiers, every
 * repetition either bounded or over a class disjoint from what follows it, alternations that
 * start with distinct characters, and lookbehinds of one character class at the start so that
 * mid-token start positions fail immediately.
 */
import { DEFANG_RE } from './refang.js';

/** Letters allowed in domain labels: ASCII, Latin-1/Extended, Greek, Cyrillic. CJK is a boundary. */
const L = 'A-Za-z0-9\\u00C0-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF';
const LA = 'A-Za-z\\u00C0-\\u024F\\u0370-\\u03FF\\u0400-\\u04FF';

export const FILE_EXTENSIONS = [
  'exe', 'dll', 'sys', 'scr', 'cpl', 'ocx', 'msi', 'msp', 'lnk', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'vbe', 'js', 'jse',
  'wsf', 'hta', 'jar', 'apk', 'ipa', 'dmg', 'pkg', 'elf', 'bin', 'so', 'dylib', 'sh', 'py', 'pyc', 'pl', 'rb', 'php',
  'asp', 'aspx', 'jsp', 'cgi', 'zip', 'rar', '7z', 'gz', 'tgz', 'tar', 'bz2', 'xz', 'iso', 'img', 'vhd', 'vhdx', 'cab',
  'doc', 'docx', 'docm', 'dotm', 'xls', 'xlsx', 'xlsm', 'xlsb', 'ppt', 'pptx', 'pptm', 'rtf', 'pdf', 'one', 'txt', 'log',
  'csv', 'json', 'xml', 'yml', 'yaml', 'ini', 'cfg', 'conf', 'dat', 'db', 'sqlite', 'sql', 'bak', 'tmp', 'pem', 'crt',
  'ovpn', 'kdbx', 'wallet', 'mov', 'mp4', 'avi', 'mkv', 'mp3', 'png', 'jpg', 'jpeg', 'gif', 'html', 'htm', 'go', 'rs',
  'cpp', 'lua', 'torrent', 'eml', 'md', 'apk', 'deb', 'rpm', 'ko', 'efi', 'pfx', 'p12', 'key', 'lock', 'env',
];
// Longer extensions first so `docx` is not cut to `doc`.
const EXT = [...new Set(FILE_EXTENSIONS)].sort((a, b) => b.length - a.length).join('|');

/**
 * Scanners are anchored on something rare and literal-led where possible (`://`, a dot before a
 * letter, `.ext`, `:`), with the rest of the token found by a sticky (`y`) regex or a character
 * loop at the anchor. Leading look-behinds are avoided: they cost a backwards check at every
 * position of the text; boundaries are checked in code instead.
 */
export const PATTERNS = {
  defang: DEFANG_RE,
  urlAnchor: /:\/\//g,
  urlScheme: /(?:https?|ftps?|sftp|wss?|smb|ssh|rdp|file)$/i,
  urlBody: /[^\s<>"'`[\]{}|\\^\u3000-\u303F\u3400-\u9FFF\uFF00-\uFFEF]{1,2048}/y,
  /** A label character, a dot and a letter: where a domain-shaped token might be. */
  domainAnchor: new RegExp(`[${L}\\-]\\.[${LA}]`, 'g'),
  /** `@` then either a host (email / XMPP; the local part is scanned backwards in code) or a handle. */
  /** `@`: an email / XMPP host follows (scanned in code) or a handle (matched stickily with `handle`). */
  at: /@/g,
  handle: /[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@]|\.[A-Za-z])/y,
  /** A dot between digits that could be the first of a dotted quad; the address is matched stickily. */
  ipv4Anchor: /\.\d{1,3}\.\d{1,3}\.\d/g,
  ipv4: /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2})|:(\d{1,5}))?(?![\w\-]|\.\d)/y,
  /** Long alphanumeric words: hashes, TLSH, crypto addresses, Tox and Session ids, classified in code. */
  word: /\b[0-9A-Za-z]{25,130}\b/g,
  ipv6Anchor: /:[0-9A-Fa-f]{0,4}:/g,
  /** `:chunk:` of an ssdeep digest; the block size before it is scanned backwards. */
  ssdeepAnchor: /:[A-Za-z0-9/+]{3,64}:[A-Za-z0-9/+]{3}/g,
  /** Greedy chunks; the end boundary is checked in code (a lookahead here would backtrack). */
  ssdeep: /(\d{1,10}):([A-Za-z0-9/+]{3,64}):([A-Za-z0-9/+]{3,64})/y,
  pgpAnchor: /[ \u00A0][0-9A-Fa-f]{4}[ \u00A0]{1,2}[0-9A-Fa-f]{4}[ \u00A0]/g,
  pgpSpaced: /[0-9A-Fa-f]{4}(?:[ \u00A0]{1,2}[0-9A-Fa-f]{4}){9}(?![0-9A-Za-z])/y,
  cve: /(?<![\w\-])CVE[\-\u2010-\u2015_ ]?(\d{4})[\-\u2010-\u2015_ ](\d{4,7})(?!\d)/gi,
  cwe: /(?<![\w\-])CWE[\-\u2010-\u2015 ]?(\d{1,4})(?![\d\-])/gi,
  attack: /(?<![\w.\-])(?:TA\d{4}|T\d{4}(?:\.\d{3})?|G\d{4}|S\d{4})(?![\w\-]|\.\d)/g,
  asn: /(?<![\w\-])AS(?:N[ :]?)?(\d{1,10})(?![\d\-]|\.\d)/g,
  macAnchor: /[:\-][0-9A-Fa-f]{2}[:\-]|\.[0-9A-Fa-f]{4}\./g,
  mac: /(?:(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4})(?![\w:\-]|\.\w)/y,
  /** `.me/<name>`; the `t` / `telegram` host and optional scheme before it are checked in code. */
  telegramLink: /\.me\/(\+[\w\-]{6,64}|joinchat\/[\w\-]{6,64}|[A-Za-z]\w{3,31})(?![\w\-])/gi,
  discord: /discord(?:\.gg|(?:app)?\.com\/invite)\/([A-Za-z0-9\-]{2,32})(?![\w\-])/gi,
  /** `.ext` at the end of a token; the stem is scanned backwards in code. */
  fileExtension: new RegExp(`\\.(?:${EXT})(?![\\w\\-]|\\.[A-Za-z0-9])`, 'gi'),
  /** Start of a Windows path (drive, %VAR%, UNC share); the rest is scanned in code. */
  windowsPath: /(?:[A-Za-z]:|%[A-Za-z_]{2,30}%|\\\\[\w.$\-]{1,64})\\/g,
  /** Start of a Unix path under a well-known root; the rest is scanned in code. */
  unixPath: /(?:~|\/(?:etc|tmp|var|usr|bin|sbin|home|root|opt|dev|proc|lib|lib64|boot|mnt|srv|run|sys|Library|Users|Applications|System|private|Volumes))\//g,
  /** A registry hive and the backslash after it; the key is scanned in code. */
  registry: /(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_CLASSES_ROOT|HKEY_USERS|HKEY_CURRENT_CONFIG|HKLM|HKCU|HKCR|HKU|HKCC):?\\/g,
} as const satisfies Record<string, RegExp>;

export type PatternName = keyof typeof PATTERNS;

/** Short regexes used on small windows of text (keywords before a match); listed for the ReDoS test. */
export const KEYWORD_PATTERNS = {
  version: /(?:\bv|version|versions?|ver\.?|build|release|firmware|версия|версии|сборка|прошивка|版本)\s{0,3}[:#=]?\s{0,3}$/i,
  userAgent: /[A-Za-z]\/$/,
  telegram: /(?:telegram|телеграм|телег|\btg\b|(?<![а-яё])тг(?![а-яё])|电报|飞机|tg:|contact|контакт|пиши|писать|联系|связь)/i,
  xmpp: /(?:jabber|xmpp|\bjid\b|жаба|жабб|жабер|джаббер|omemo|\botr\b)/i,
  pgp: /(?:fingerprint|\bfpr\b|отпечат|指纹|pgp|gpg)/i,
  tlsh: /tlsh/i,
  quoteTag: /\[quote=["']?$/i,
  /** A new Windows path or registry hive starting after whitespace inside a path match. */
  pathRestart: /\s(?:HK(?:EY_|LM|CU|CR|U\\|CC)|[A-Za-z]:\\|%\w{2,30}%\\)/,
  fileThenSpace: /\.[A-Za-z0-9]{1,5}(?=\s)/,
  spaceInLast: /\s/,
  schemeBefore: /https?:\/\/$/i,
  whitespace: /\s+/g,
} as const satisfies Record<string, RegExp>;
