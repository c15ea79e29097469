import { useState, type FormEvent } from 'react';
import { IndicatorLink, PostLink } from '../components/Links';
import { Empty, Load } from '../components/States';
import { withQuery } from '../lib/api';
import { download, toCsv } from '../lib/export';
import { navigate } from '../lib/router';
import { when } from '../lib/text';
import type { Pivot, TopIndicator } from '../lib/types';
import { useApi } from '../lib/useApi';

const TYPES = ['', 'cve', 'domain', 'url', 'ipv4', 'ipv6', 'email', 'md5', 'sha1', 'sha256', 'btc', 'xmr', 'onion', 'telegram', 'jabber', 'malware', 'attack_technique'];

export function IndicatorsPage({ query }: { query: URLSearchParams }) {
  const type = query.get('type') ?? '';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const list = useApi<{ indicators: TopIndicator[] }>(withQuery('/api/v1/indicators', { type, limit: 50, offset }));
  const [value, setValue] = useState('');
  const pivot = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim() !== '') navigate(withQuery('/indicators/pivot', { value: value.trim() }));
  };
  return (
    <section aria-labelledby="ind-title">
      <h1 id="ind-title">Indicators</h1>
      <form className="card row" onSubmit={pivot}>
        <label className="grow">Pivot on a value <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="CVE-2024-3400, evil.example, 203.0.113.5…" /></label>
        <button type="submit">Pivot</button>
        <label>Type
          <select value={type} onChange={(e) => navigate(withQuery('/indicators', { type: e.target.value }))}>
            {TYPES.map((t) => <option key={t} value={t}>{t === '' ? 'all' : t}</option>)}
          </select>
        </label>
      </form>
      <Load value={list} what="indicators">{(d) => d.indicators.length === 0
        ? <Empty title="No indicators stored">Run <code>threatminer analyze</code> with the iocs analyser.</Empty>
        : (
          <div className="card">
            <table>
              <thead><tr><th scope="col">Type</th><th scope="col">Value</th><th scope="col">Posts</th><th scope="col">Last seen</th></tr></thead>
              <tbody>{d.indicators.map((i) => <tr key={`${i.type}:${i.value}`}><td>{i.type}</td><td className="clip"><IndicatorLink value={i.value} type={i.type} /></td><td>{i.posts}</td><td>{when(i.lastSeen)}</td></tr>)}</tbody>
            </table>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => navigate(withQuery('/indicators', { type, offset: Math.max(0, offset - 50) }))}>← Previous</button>
              <button type="button" disabled={d.indicators.length < 50} onClick={() => navigate(withQuery('/indicators', { type, offset: offset + 50 }))}>Next →</button>
            </div>
          </div>)}
      </Load>
    </section>
  );
}

export function PivotPage({ value }: { value: string }) {
  const pivot = useApi<Pivot>(value === '' ? null : withQuery('/api/v1/indicators/pivot', { value }));
  if (value === '') return <Empty title="No indicator given" />;
  return (
    <section aria-labelledby="pivot-title">
      <h1 id="pivot-title" className="clip">Indicator: <span className="mono">{value}</span></h1>
      <Load value={pivot} what="sightings of this indicator">{(p) => <PivotBody p={p} />}</Load>
    </section>
  );
}

function PivotBody({ p }: { p: Pivot }) {
  const exportCsv = () => download(`indicator-sightings.csv`, 'text/csv', toCsv(p.sightings.map((s) => ({ indicator: p.value, post: s.postId, site: s.site, thread: s.thread, author: s.author, posted_at: s.postedAt, defanged: s.defanged }))));
  const exportJson = () => download(`indicator.json`, 'application/json', JSON.stringify(p, null, 2));
  return (
    <>
      <div className="kpis">
        <div className="kpi"><div className="n">{p.mentions}</div><div className="muted">mentions</div></div>
        <div className="kpi"><div className="n">{p.sightings.length}</div><div className="muted">posts</div></div>
        <div className="kpi"><div className="n small">{when(p.firstSeen)}</div><div className="muted">first seen</div></div>
        <div className="kpi"><div className="n small">{when(p.lastSeen)}</div><div className="muted">last seen</div></div>
      </div>
      <p>Types: {p.types.map((t) => <span key={t} className="tag">{t}</span>)} {p.flags.map((f) => <span key={f} className="tag warn">{f}</span>)}
        <span className="actions"><button type="button" onClick={exportCsv}>Export CSV</button> <button type="button" onClick={exportJson}>Export JSON</button></span></p>
      <div className="grid2">
        <div className="card">
          <h2>Where it was seen</h2>
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Site</th><th scope="col">Thread</th><th scope="col">Author</th></tr></thead>
            <tbody>{p.sightings.map((s) => (
              <tr key={s.postId}><td>{when(s.postedAt)}</td><td>{s.site}</td><td className="clip"><PostLink id={s.postId}>{s.thread ?? '(untitled)'}</PostLink></td><td>{s.author}</td></tr>))}</tbody>
          </table>
        </div>
        <div>
          <div className="card">
            <h2>By whom</h2>
            <ul className="items">{p.authors.map((a) => <li key={`${a.site}:${a.handle}`}><span className="handle">{a.handle}</span> <span className="muted">{a.site} · {a.mentions}×</span></li>)}</ul>
          </div>
          <div className="card">
            <h2>Seen with</h2>
            {p.coOccurring.length === 0 ? <Empty title="Nothing co-occurs" /> : <ul className="items">{p.coOccurring.map((c) => <li key={`${c.type}:${c.value}`}><span className="tag">{c.type}</span> <IndicatorLink value={c.value} type={c.type} /> <span className="muted">{c.posts} posts</span></li>)}</ul>}
          </div>
        </div>
      </div>
    </>
  );
}
