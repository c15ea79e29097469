import { lazy, Suspense } from 'react';
import { ActorLink } from '../components/Links';
import { Empty, Load, Loading } from '../components/States';
import { withQuery } from '../lib/api';
import { Link, navigate } from '../lib/router';
import type { ActorGraph, RankedActor, Stats } from '../lib/types';
import { useApi } from '../lib/useApi';

const GraphView = lazy(() => import('../components/GraphView'));
const GROUPS = ['network', 'content', 'seniority', 'reputation'] as const;

export function ActorsPage({ query }: { query: URLSearchParams }) {
  const site = query.get('site') ?? '';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const actors = useApi<{ total: number; actors: RankedActor[] }>(withQuery('/api/v1/actors', { site, limit: 50, offset }));
  const stats = useApi<Stats>('/api/v1/stats');
  return (
    <section aria-labelledby="actors-title">
      <h1 id="actors-title">Key actors</h1>
      <div className="card row">
        <label>Site
          <select value={site} onChange={(e) => navigate(withQuery('/actors', { site: e.target.value }))}>
            <option value="">all</option>
            {stats.state === 'ready' && stats.data.sites.map((s) => <option key={s.id} value={s.name}>{s.name}</option>)}
          </select>
        </label>
        <Link to="/actors/graph" className="button">Network graph →</Link>
      </div>
      <Load value={actors} what="ranking">{(d) => d.actors.length === 0
        ? <Empty title="Actors not ranked yet">Run <code>threatminer actors rank</code> after importing and analysing posts.</Empty>
        : (
          <div className="card">
            <p className="muted">{d.total} ranked authors · ranking computed {d.actors[0]!.computedAt.slice(0, 16).replace('T', ' ')} UTC</p>
            <table>
              <thead><tr><th scope="col">#</th><th scope="col">Actor</th><th scope="col">Site</th><th scope="col">Score</th><th scope="col">Breakdown (contribution)</th><th scope="col">Community</th><th scope="col">Topics</th></tr></thead>
              <tbody>{d.actors.map((a, i) => (
                <tr key={a.authorId}>
                  <td>{offset + i + 1}</td>
                  <td><ActorLink id={a.authorId} handle={a.handle} /></td>
                  <td>{a.site} <span className="muted">#{a.rank}</span></td>
                  <td>{a.score.toFixed(3)}</td>
                  <td><Breakdown groups={a.groups} /></td>
                  <td>{a.community ?? '—'}</td>
                  <td className="clip">{a.topTopics.slice(0, 3).map((t) => <span key={t.topic} className="tag">{t.topic}</span>)}</td>
                </tr>))}</tbody>
            </table>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => navigate(withQuery('/actors', { site, offset: Math.max(0, offset - 50) }))}>← Previous</button>
              <button type="button" disabled={offset + 50 >= d.total} onClick={() => navigate(withQuery('/actors', { site, offset: offset + 50 }))}>Next →</button>
            </div>
          </div>)}
      </Load>
    </section>
  );
}

/** Stacked bar of group contributions; widths via <meter>-like spans sized in CSS classes. */
function Breakdown({ groups }: { groups: RankedActor['groups'] }) {
  const total = Math.max(1e-9, GROUPS.reduce((s, g) => s + (groups[g]?.contribution ?? 0), 0));
  return (
    <div className="breakdown" role="img" aria-label={GROUPS.map((g) => `${g} ${(groups[g]?.contribution ?? 0).toFixed(3)}`).join(', ')}>
      {GROUPS.map((g) => {
        const c = groups[g]?.contribution ?? 0;
        return c > 0 ? <span key={g} className={`seg seg-${g}`} style={{ flexGrow: c / total }} title={`${g}: ${c.toFixed(3)} (value ${(groups[g]?.value ?? 0).toFixed(2)}, weight ${(groups[g]?.weight ?? 0).toFixed(2)})`} /> : null;
      })}
    </div>
  );
}

export function ActorGraphPage() {
  const graph = useApi<ActorGraph>('/api/v1/actors/graph?limit=200');
  return (
    <section aria-labelledby="graph-title">
      <h1 id="graph-title">Actor network</h1>
      <p className="muted">The 200 top-scored actors; edges are replies and quotes between them; colours are communities. Click a node for the portrait.</p>
      <Load value={graph} what="graph">{(g) => g.nodes.length === 0
        ? <Empty title="Actors not ranked yet">Run <code>threatminer actors rank</code>.</Empty>
        : <Suspense fallback={<Loading what="graph view" />}><GraphView graph={g} /></Suspense>}
      </Load>
    </section>
  );
}
