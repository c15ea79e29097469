import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractIocs } from '../../src/analyse/iocs/index.js';
import { found, one } from './helpers.js';

test('network indicators: IPv4 with port and CIDR, IPv6 canonical form, domains, URLs, emails', () => {
  assert.deepEqual(found('C2 45.142.212.61:8443, range 91.215.85.0/24'), ['ipv4:45.142.212.61', 'ipv4:91.215.85.0/24']);
  assert.equal(one('ip 45.142.212.61:8443', 'ipv4').port, 8443);
  assert.equal(one('addr 2001:0DB8:0000:0000:0000:0000:0000:0001 here', 'ipv6').value, '2001:db8::1');
  assert.equal(one('listen [2a0e:fd87:9c41::1]:8443', 'ipv6').port, 8443);
  assert.deepEqual(found('see https://Panel-Gate.TOP:8080/login.php?id=1.'), ['domain:panel-gate.top', 'url:https://panel-gate.top:8080/login.php?id=1']);
  assert.deepEqual(found('mail drop+logs@OnionMail.org now'), ['email:drop+logs@onionmail.org']);
  assert.deepEqual(found('mirror: http://[2a0e:fd87:9c41::1]:8080/index.html'), ['ipv6:2a0e:fd87:9c41::1', 'url:http://[2a0e:fd87:9c41::1]:8080/index.html']);
});

test('IDN domains are normalised to punycode; onion v3 checksums and i2p names are recognised', () => {
  assert.equal(one('клон сайта пример-сайт.рф работает', 'domain').value, 'xn----8sbnliotidln.xn--p1ai');
  assert.deepEqual(found('mirror expyuzz4wqqyqhjn.onion and forum.i2p'), ['i2p:forum.i2p', 'onion:expyuzz4wqqyqhjn.onion']);
  const v3 = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';
  assert.deepEqual(found(`tor: ${v3}`), [`onion:${v3}`]);
  const broken = `${v3.slice(0, 10)}${v3[10] === 'a' ? 'b' : 'a'}${v3.slice(11)}`;
  assert.deepEqual(found(`tor: ${broken}`), [], 'a v3 name with a bad checksum is not an onion');
});

test('hashes by length, ssdeep with a valid block size, TLSH with its T1 prefix', () => {
  assert.deepEqual(found('md5 D41D8CD98F00B204E9800998ECF8427E'), ['md5:d41d8cd98f00b204e9800998ecf8427e']);
  assert.deepEqual(found('sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709'), ['sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709']);
  assert.deepEqual(found('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), ['sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']);
  const sha512 = 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
  assert.deepEqual(found(`sha512: ${sha512}`), [`sha512:${sha512}`]);
  const ssdeep = '96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrwciQmAl1I5sO/we';
  assert.deepEqual(found(`ssdeep ${ssdeep}`), [`ssdeep:${ssdeep}`]);
  assert.deepEqual(found('100:s4Ud1Lj96tHHlZDrwciQmA:sF1LjEtHHlZDrwciQmAl1I5sO'), [], 'block size 100 is not 3·2^k');
  const tlsh = `T1${'A1B2C3D4E5'.repeat(7)}`;
  assert.deepEqual(found(`tlsh ${tlsh}`), [`tlsh:${tlsh}`]);
});

test('CVE, CWE and ATT&CK ids; unknown and retired ATT&CK ids are flagged, not dropped', () => {
  assert.deepEqual(found('cve-2021-44228 and CVE‑2023‑4966, CWE-079'), ['cve:CVE-2021-44228', 'cve:CVE-2023-4966', 'cwe:CWE-79']);
  assert.deepEqual(found('T1059.001 under TA0002 by G0007 with S0154 (T1566)'),
    ['attack-group:G0007', 'attack-software:S0154', 'attack-subtechnique:T1059.001', 'attack-tactic:TA0002', 'attack-technique:T1566']);
  assert.deepEqual(one('cites T1999 as proof', 'attack-technique').flags, ['unknown-attack-id']);
  assert.deepEqual(one('uses T1086 (PowerShell, old id)', 'attack-technique').flags, ['retired-attack-id']);
  assert.deepEqual(one('T1059 only', 'attack-technique').flags, []);
});

test('messenger handles: Telegram needs a Telegram context or a t.me link; XMPP by context or server', () => {
  assert.deepEqual(found('пиши в тг @Dark_Logs_Shop'), ['telegram:@dark_logs_shop']);
  assert.deepEqual(found('Продаю доступ, тг @Access_Broker_RU'), ['telegram:@access_broker_ru'], 'Cyrillic keyword without \\b');
  assert.deepEqual(found('thanks @moderator_team'), []);
  assert.deepEqual(found('https://t.me/+AbCdEf12345 and t.me/logs_cloud'), ['telegram:@logs_cloud', 'telegram:t.me/+AbCdEf12345']);
  assert.deepEqual(found('Jabber - darkseller@exploit.im, почта - seller@protonmail.com'), ['email:seller@protonmail.com', 'xmpp:darkseller@exploit.im']);
  assert.deepEqual(found('join discord.gg/r4tGang or https://discord.com/invite/Xp9Qz2Lm'), ['discord:discord.gg/Xp9Qz2Lm', 'discord:discord.gg/r4tGang']);
});

test('Tox ids are checksum-verified; Session ids; PGP fingerprints spaced or after a keyword', () => {
  const tox = `3F${'A1'.repeat(35)}`;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < 72; i += 4) {
    d0 ^= parseInt(tox.slice(i, i + 2), 16);
    d1 ^= parseInt(tox.slice(i + 2, i + 4), 16);
  }
  const valid = `${tox}${d0.toString(16).padStart(2, '0')}${d1.toString(16).padStart(2, '0')}`.toUpperCase();
  assert.deepEqual(found(`tox ${valid}`), [`tox:${valid.toLowerCase()}`]);
  const broken = `${valid.slice(0, 74)}${valid.endsWith('11') ? '22' : '11'}`;
  assert.deepEqual(found(`tox ${broken}`).filter((f) => f.startsWith('tox')), [], 'bad Tox checksum');
  const session = `05${'ab12'.repeat(16)}`;
  assert.deepEqual(found(`session ${session}`), [`session:${session}`]);
  assert.deepEqual(found('Key fingerprint = 4A1B 2C3D 4E5F 6A7B 8C9D  0E1F 2A3B 4C5D 6E7F 8A9B'), ['pgp-fingerprint:4A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B']);
  assert.deepEqual(found('gpg fingerprint 4a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b'), ['pgp-fingerprint:4A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B']);
});

test('files, paths, registry keys, MAC addresses and ASNs', () => {
  assert.deepEqual(found('dropped invoice_2024.pdf.exe and Документы.docm'), ['filename:invoice_2024.pdf.exe', 'filename:Документы.docm']);
  assert.deepEqual(found('writes C:\\Program Files\\Common Files\\svc.exe then runs'), ['filepath:C:\\Program Files\\Common Files\\svc.exe']);
  assert.deepEqual(found('reads %APPDATA%\\Telegram Desktop\\tdata, then /tmp/.X11-unix/.rsync/c'), ['filepath:%APPDATA%\\Telegram Desktop\\tdata', 'filepath:/tmp/.X11-unix/.rsync/c']);
  assert.deepEqual(found('reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x /d C:\\x\\a.exe'),
    ['filepath:C:\\x\\a.exe', 'registry-key:HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run']);
  assert.deepEqual(found('installed to C:\\Program Files (x86) and HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender'),
    ['filepath:C:\\Program Files (x86)', 'registry-key:HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender']);
  assert.deepEqual(found('MAC 00:1A:2B:3C:4D:5E / f4-5c-89-a1-0b-7e / 0050.56c0.0001'), ['mac:00:1a:2b:3c:4d:5e', 'mac:00:50:56:c0:00:01', 'mac:f4:5c:89:a1:0b:7e']);
  assert.deepEqual(found('hosted in AS9009, ASN 205090 and AS64512'), ['asn:AS205090', 'asn:AS64512', 'asn:AS9009']);
  assert.deepEqual(one('AS64512', 'asn').flags, ['private']);
});

test('spans point into the original text, with the defanged flag and a context snippet', () => {
  const text = 'Привет! Панель тут: hxxps://evil-panel[.]ru/gate.php — пиши';
  const url = one(text, 'url');
  assert.equal(url.value, 'https://evil-panel.ru/gate.php');
  assert.equal(text.slice(url.start, url.end), 'hxxps://evil-panel[.]ru/gate.php');
  assert.equal(url.defanged, true);
  assert.ok(url.context.includes('Панель тут'));
  const domain = one(text, 'domain');
  assert.equal(text.slice(domain.start, domain.end), 'evil-panel[.]ru');
  const plain = one('plain 45.142.212.61 here', 'ipv4');
  assert.equal(plain.defanged, false);
});

test('private and reserved IPs and benign domains are flagged, not dropped; allowlists are configurable', () => {
  assert.deepEqual(one('lab 192.168.56.101', 'ipv4').flags, ['private']);
  assert.deepEqual(one('lo 127.0.0.1', 'ipv4').flags, ['loopback']);
  assert.deepEqual(one('doc 198.51.100.7', 'ipv4').flags, ['reserved']);
  assert.deepEqual(one('get it from github.com', 'domain').flags, ['benign']);
  assert.deepEqual(one('see example.com', 'domain').flags, ['benign', 'reserved']);
  assert.deepEqual(one('evil-panel.ru is bad', 'domain').flags, []);
  const custom = extractIocs('corp.example-bank.com and 203.0.114.5', { allowDomains: ['example-bank.com'], allowIps: ['203.0.114.0/24'] });
  assert.deepEqual(custom.map((m) => [m.type, m.flags]), [['domain', ['allowlisted']], ['ipv4', ['allowlisted']]]);
  assert.deepEqual(extractIocs('10.0.0.1 and 45.142.212.61', { dropFlags: ['private'] }).map((m) => m.value), ['45.142.212.61']);
  assert.deepEqual(one('get it from github.com', 'domain').flags, ['benign']);
  assert.deepEqual(extractIocs('github.com', { replaceBenignDomains: ['gitlab.com'] })[0]?.flags, []);
  assert.deepEqual(extractIocs('a 45.142.212.61 b evil.ru', { types: ['domain'] }).map((m) => m.type), ['domain']);
});

test('cryptocurrency addresses validated by checksum, across coins', () => {
  assert.deepEqual(found('BTC 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa / 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'), ['btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy']);
  assert.deepEqual(found('segwit bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'), ['btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']);
  assert.deepEqual(found('ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'), ['eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed']);
  assert.deepEqual(found('ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), [], 'EIP-55 checksum mismatch');
  assert.deepEqual(found('bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a'), ['bch:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a']);
  const xmr = '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  assert.deepEqual(found(`XMR ${xmr}`), [`xmr:${xmr}`]);
  assert.deepEqual(found('LTC LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz DOGE DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L'), ['doge:DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L', 'ltc:LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz']);
  assert.deepEqual(found('TRX TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL DASH XpESxaUmonkq8RaLLp46Brx2K39ggQe226'), ['dash:XpESxaUmonkq8RaLLp46Brx2K39ggQe226', 'trx:TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL']);
});
