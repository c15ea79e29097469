import { useMemo } from 'react';
import { Chart } from '../components/Chart';
import { ActorLink, IndicatorLink } from '../components/Links';
import { Empty, Load } from '../components/States';
import type { ChartSpec } from '../lib/chart-spec';
import { safeHref, when } from '../lib/text';
import type { Portrait } from '../lib/types';
import { useApi } from '../lib/useApi';

export function ActorPage({ id }: { id: string }) {
  const portrait = useApi<Portrait>(`/api/v1/actors/${encodeURIComponent(id)}`);
  return <Load value={portrait} what="actor">{(p) => <PortraitBody p={p} />}</Load>;
}

function PortraitBody({ p }: { p: Portrait }) {
  const hours = useMemo((): ChartSpec => ({
    kind: 'bars', xName: 'UTC hour', x: p.activity.hourUtc.map((_, h) => String(h)),
    series: { name: 'posts', values: p.activity.hourUtc },
  }), [p]);
  const monthly = useMemo((): ChartSpec => ({
    kind: 'bars', xName: 'month', x: p.activity.monthly.map((m) => m.month),
    series: { name: 'posts', values: p.activity.monthly.map((m) => m.posts) },
  }), [p]);
  const profile = safeHref(p.actor.profileUrl);
  const tz = p.activity.timezone;
  return (
    <article aria-labelledby="actor-title">
      <h1 id="actor-title"><span className="handle">{p.actor.handle}</span> <span className="muted small">on {p.actor.siteName}</span></h1>
      <div className="kpis">
        <div className="kpi"><div className="n">{p.network.score === null ? '—' : `#${p.network.score.rank}`}</div><div className="muted">rank{p.network.score !== null && ` · score ${p.network.score.score.toFixed(3)}`}</div></div>
        <div className="kpi"><div className="n">{p.posts}</div><div className="muted">posts</div></div>
        <div className="kpi"><div className="n">{p.threadsStarted}</div><div className="muted">threads started</div></div>
        <div className="kpi"><div className="n">{p.actor.reputation ?? '—'}</div><div className="muted">reputation</div></div>
        <div className="kpi"><div className="n small">{when(p.firstSeen)}</div><div className="muted">first seen</div></div>
        <div className="kpi"><div className="n small">{when(p.lastSeen)}</div><div className="muted">last seen</div></div>
      </div>
      {profile !== null && <p><a href={profile} target="_blank" rel="noopener noreferrer nofollow">Forum profile</a></p>}
      <div className="grid2">
        <div className="card"><h2>Activity by hour (UTC)</h2>
          {p.posts === 0 ? <Empty title="No posts" /> : <Chart spec={hours} height={200} label="Posts per UTC hour" />}
          <p className="muted small">Estimated time zone: {tz.utcOffsetHours === null ? 'not enough dated posts' : `UTC${tz.utcOffsetHours >= 0 ? '+' : ''}${tz.utcOffsetHours} (confidence ${Math.round(tz.confidence * 100)}%)`}</p>
        </div>
        <div className="card"><h2>Activity by month</h2>
          {p.activity.monthly.length === 0 ? <Empty title="No dated posts" /> : <Chart spec={monthly} height={200} label="Posts per month" />}
        </div>
      </div>
      <div className="grid3">
        <div className="card"><h2>Expertise</h2>
          <h3>Exploit categories</h3>{p.expertise.exploitCategories.length === 0 ? <p className="muted">none labelled</p> : <ul className="chips">{p.expertise.exploitCategories.map((e) => <li key={e.label} className="tag">{e.label} {e.posts}</li>)}</ul>}
          <h3>ATT&amp;CK</h3>{p.expertise.attack.length === 0 ? <p className="muted">none mentioned</p> : <ul className="chips">{p.expertise.attack.map((a) => <li key={a.id}><IndicatorLink value={a.id} type={a.type} /></li>)}</ul>}
          <h3>Boards</h3><ul className="chips">{p.expertise.boards.map((b) => <li key={b.board} className="tag">{b.board} {b.posts}</li>)}</ul>
          <p className="muted small">{p.expertise.codePosts} posts with code · languages: {p.languages.map((l) => `${l.language} ${Math.round(l.share * 100)}%`).join(', ') || '—'}</p>
        </div>
        <div className="card"><h2>Associated</h2>
          {([['CVEs', p.associated.cves], ['Malware and tools', p.associated.malwareTools], ['Indicators', p.associated.indicators], ['Contacts', p.associated.contacts]] as const).map(([title, list]) => (
            <div key={title}><h3>{title}</h3>{list.length === 0 ? <p className="muted">none</p> : <ul className="chips">{list.map((x) => <li key={x.value}><IndicatorLink value={x.value} /> <span className="muted">{x.mentions}</span></li>)}</ul>}</div>))}
        </div>
        <div className="card"><h2>Network</h2>
          <h3>Collaborators</h3>
          {p.network.collaborators.length === 0 ? <p className="muted">no interactions</p> : <ul className="items">{p.network.collaborators.map((c) => (
            <li key={c.authorId}><ActorLink id={c.authorId} handle={c.handle} /> <span className="muted">replies {c.replies}/{c.repliedBy} · quotes {c.quotes}/{c.quotedBy} · shared threads {c.sharedThreads}</span></li>))}</ul>}
          <h3>Community {p.network.community?.id ?? ''}</h3>
          {p.network.community === null ? <p className="muted">not ranked yet</p> : <ul className="chips">{p.network.community.members.slice(0, 20).map((m) => <li key={m.authorId}><ActorLink id={m.authorId} handle={m.handle} /></li>)}</ul>}
          <h3>Possible aliases</h3>
          {p.aliases.length === 0 ? <p className="muted">none found</p> : <ul className="items">{p.aliases.map((a) => <li key={a.authorId}><ActorLink id={a.authorId} handle={a.handle} /> <span className="muted">on {a.siteName} · {a.score.toFixed(2)}</span></li>)}</ul>}
        </div>
      </div>
    </article>
  );
}
