import { useMemo } from 'react';
import { Chart } from '../components/Chart';
import { ActorLink, PostLink } from '../components/Links';
import { Empty, Load } from '../components/States';
import type { ChartSpec } from '../lib/chart-spec';
import { OVERVIEW } from '../lib/prefetch';
import { Link } from '../lib/router';
import { compact, when } from '../lib/text';
import type { Overview } from '../lib/types';
import { useApi } from '../lib/useApi';

export function OverviewPage() {
  const overview = useApi<Overview>(OVERVIEW);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <Load value={overview} what="overview">{(o) => <OverviewBody o={o} />}</Load>
    </section>
  );
}

function OverviewBody({ o }: { o: Overview }) {
  const volume = useMemo((): ChartSpec => ({
    kind: 'lines', x: o.perDay.days, xName: 'day', yName: 'posts', stacked: true, zoom: true,
    series: o.perDay.series.map((s) => ({ name: s.label, values: s.counts })),
  }), [o]);
  const categories = useMemo((): ChartSpec => ({
    kind: 'bars', horizontal: true, xName: 'board', x: o.categories.map((c) => `${c.site} / ${c.board}`),
    series: { name: 'posts', values: o.categories.map((c) => c.posts) },
  }), [o]);

  if (o.totals.posts === 0) {
    return <Empty title="The store is empty">Import a forum dump (<code>threatminer import</code>), run the simulator and crawler, or <code>make demo</code>; then run <code>threatminer analyze</code>.</Empty>;
  }
  return (
    <>
      <div className="kpis" aria-label="Totals">
        {([['posts', o.totals.posts], ['threads', o.totals.threads], ['authors', o.totals.authors], ['sites', o.totals.sites], ['indicators', o.totals.entities], ['exploit labels', o.totals.exploitLabels]] as const)
          .map(([label, n]) => <div className="kpi" key={label}><div className="n">{compact(n)}</div><div className="muted">{label}</div></div>)}
      </div>
      <div className="grid2">
        <div className="card">
          <h2>Posts per day and site</h2>
          {o.perDay.days.length === 0 ? <Empty title="No dated posts" /> : <><Chart spec={volume} label="Posts per day, stacked by site" /><p className="hint">Drag across the chart to zoom in, double-click to zoom out; click a site to hide it.</p></>}
        </div>
        <div className="card">
          <h2>Busiest categories</h2>
          {o.categories.length === 0 ? <Empty title="No posts in the window" /> : <Chart spec={categories} label="Posts per board" />}
        </div>
      </div>
      <div className="grid3">
        <div className="card">
          <h2>Exploits for CVEs{o.kevAvailable ? ' (KEV first)' : ''}</h2>
          {o.exploitsForKnownCves.length === 0
            ? <Empty title="No exploit posts naming a CVE yet">Exploit labels come from <code>threatminer analyze</code> with the exploits analyser.</Empty>
            : <ul className="items">{o.exploitsForKnownCves.map((e) => (
              <li key={e.postId}>
                <PostLink id={e.postId}>{e.title ?? '(untitled)'}</PostLink>
                <div className="meta">{e.cves.map((c) => <span key={c} className={`tag${e.kev ? ' kev' : ''}`}>{c}</span>)} <span className="tag">{e.label}</span> {e.site} · <ActorLink id={e.authorId} handle={e.author} /> · {when(e.postedAt)}</div>
              </li>))}</ul>}
          {!o.kevAvailable && <p className="hint">KEV matching is off: set <code>THREATMINER_KEV_FILE</code> to a CISA KEV JSON file.</p>}
        </div>
        <div className="card">
          <h2>New key actors</h2>
          {o.keyActors.length === 0
            ? <Empty title="Actors not ranked yet">Run <code>threatminer actors rank</code>.</Empty>
            : <ul className="items">{o.keyActors.map((a) => (
              <li key={a.authorId}><ActorLink id={a.authorId} handle={a.handle} /><div className="meta">#{a.rank} on {a.site} · score {a.score.toFixed(3)} · first seen {when(a.firstSeen)}</div></li>))}</ul>}
        </div>
        <div className="card">
          <h2>Leak announcements</h2>
          {o.leaks.length === 0 ? <Empty title="No leak threads" /> : <ul className="items">{o.leaks.map((l) => (
            <li key={l.postId}><PostLink id={l.postId}>{l.title ?? '(untitled)'}</PostLink><div className="meta">{l.site} · <ActorLink id={l.authorId} handle={l.author} /> · {when(l.postedAt)}</div></li>))}</ul>}
        </div>
      </div>
      <div className="card">
        <h2>Crawl health</h2>
        {o.crawl.sites.length === 0 && o.crawl.imports.length === 0
          ? <Empty title="No crawls or imports recorded" />
          : <table>
            <thead><tr><th scope="col">Source</th><th scope="col">Done</th><th scope="col">Pending</th><th scope="col">Failed</th><th scope="col">Last activity</th><th scope="col">Last error</th></tr></thead>
            <tbody>
              {o.crawl.sites.map((s) => <tr key={`c-${s.site}`}><td>crawl: {s.site}</td><td>{s.done}</td><td>{s.pending}</td><td className={s.failed > 0 ? 'warn' : ''}>{s.failed}</td><td>{when(s.lastFetched)}</td><td className="clip">{s.lastError ?? '—'}</td></tr>)}
              {o.crawl.imports.map((i) => <tr key={`i-${i.path}-${i.updatedAt}`}><td>import: {i.path}</td><td>{i.rowsOk}</td><td>{i.completed ? 0 : '…'}</td><td className={i.rowsBad > 0 ? 'warn' : ''}>{i.rowsBad}</td><td>{when(i.updatedAt)}</td><td>—</td></tr>)}
            </tbody>
          </table>}
        <p className="hint"><Link to="/search">Search all posts →</Link></p>
      </div>
    </>
  );
}
