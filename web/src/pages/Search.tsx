import { useEffect, useState, type FormEvent } from 'react';
import { ActorLink, PostLink } from '../components/Links';
import { Marked } from '../components/Marked';
import { Empty, Load } from '../components/States';
import { api, withQuery } from '../lib/api';
import { navigate } from '../lib/router';
import { when } from '../lib/text';
import type { SavedSearch, SearchResult, Session, Stats } from '../lib/types';
import { useApi } from '../lib/useApi';

const FIELDS = ['q', 'site', 'board', 'author', 'since', 'until', 'label', 'has_indicator'] as const;
type Field = (typeof FIELDS)[number];
const PAGE = 20;

export function SearchPage({ query, session }: { query: URLSearchParams; session: Session }) {
  const current = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<Field, string>;
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const [form, setForm] = useState(current);
  const key = query.toString();
  // The URL is the source of truth: back/forward and saved links restore the form.
  useEffect(() => setForm(current), [key]);

  const hasQuery = FIELDS.some((f) => current[f] !== '');
  // A date picked as "until" means through the end of that day.
  const until = /^\d{4}-\d{2}-\d{2}$/.test(current.until) ? `${current.until}T23:59:59.999Z` : current.until;
  const result = useApi<SearchResult>(hasQuery ? withQuery('/api/v1/posts/search', { ...current, until, limit: PAGE, offset }) : null);
  const stats = useApi<Stats>('/api/v1/stats');
  const saved = useApi<{ searches: SavedSearch[] }>('/api/v1/saved-searches');
  const canSave = session.role !== 'read-only';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(withQuery('/search', form));
  };
  const [saveName, setSaveName] = useState('');
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const name = saveName.trim();
    if (name === '') return;
    setSaveName('');
    const params = Object.fromEntries(FIELDS.filter((f) => current[f] !== '').map((f) => [f, current[f]]));
    await api('/api/v1/saved-searches', { method: 'POST', body: { name, params } });
    saved.reload();
  };
  const remove = async (id: string) => {
    await api(`/api/v1/saved-searches/${encodeURIComponent(id)}`, { method: 'DELETE' });
    saved.reload();
  };
  const set = (f: Field) => (e: { target: { value: string } }) => setForm({ ...form, [f]: e.target.value });

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form className="card filters" role="search" onSubmit={submit}>
        <div className="row">
          <label className="grow">Words <input name="q" type="search" value={form.q} onChange={set('q')} placeholder='exploit "remote code execution" -poc' aria-label="Search words" /></label>
          <button type="submit">Search</button>
        </div>
        <div className="row">
          <label>Site
            <select name="site" value={form.site} onChange={set('site')}>
              <option value="">any</option>
              {stats.state === 'ready' && stats.data.sites.map((s) => <option key={s.id} value={s.name}>{s.name}</option>)}
            </select>
          </label>
          <label>Board <input name="board" value={form.board} onChange={set('board')} /></label>
          <label>Author <input name="author" value={form.author} onChange={set('author')} /></label>
          <label>Since <input name="since" type="date" value={form.since} onChange={set('since')} /></label>
          <label>Until <input name="until" type="date" value={form.until} onChange={set('until')} /></label>
          <label>Exploit label <input name="label" value={form.label} onChange={set('label')} placeholder="e.g. remote" /></label>
          <label>Indicators
            <select name="has_indicator" value={form.has_indicator} onChange={set('has_indicator')}>
              <option value="">any</option><option value="true">with</option><option value="false">without</option>
            </select>
          </label>
        </div>
      </form>

      <div className="card saved">
        <h2>Saved searches</h2>
        {saved.state === 'ready' && saved.data.searches.length === 0 && <p className="muted">None yet.{canSave ? ' Run a search and save it.' : ''}</p>}
        {saved.state === 'ready' && saved.data.searches.length > 0 && (
          <ul className="chips">{saved.data.searches.map((s) => (
            <li key={s.id}>
              <button type="button" className="link" onClick={() => navigate(withQuery('/search', s.params))}>{s.name}</button>
              {canSave && <button type="button" className="x" aria-label={`Delete saved search ${s.name}`} onClick={() => void remove(s.id)}>×</button>}
            </li>))}</ul>)}
        {canSave && hasQuery && (
          <form className="row" onSubmit={(e) => void save(e)}>
            <label>Name <input value={saveName} onChange={(e) => setSaveName(e.target.value)} maxLength={200} /></label>
            <button type="submit" disabled={saveName.trim() === ''}>Save this search</button>
          </form>)}
      </div>

      {!hasQuery ? <Empty title="Type words or pick a filter">Words must all match; use "quotes" for phrases, OR for either, -word to exclude.</Empty> : (
        <Load value={result} what="results">{(r) => r.hits.length === 0 ? <Empty title="No posts match" /> : (
          <>
            <p className="muted" aria-live="polite">{r.totalCapped ? `more than ${r.total}` : r.total} posts · showing {offset + 1}–{offset + r.hits.length}</p>
            <ol className="hits" start={offset + 1}>
              {r.hits.map((h) => (
                <li key={h.id} className="hit-row">
                  <div className="title"><PostLink id={h.id}>{h.threadTitle ?? '(untitled thread)'}</PostLink></div>
                  <div className="meta">{h.site} / {h.board} · <ActorLink id="" handle={h.author} /> · {when(h.postedAt)}</div>
                  <p className="snippet"><Marked text={h.snippet.text} ranges={h.snippet.highlights.map(([start, end]) => ({ start, end }))} /></p>
                </li>))}
            </ol>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => navigate(withQuery('/search', { ...current, offset: Math.max(0, offset - PAGE) }))}>← Previous</button>
              <button type="button" disabled={offset + PAGE >= r.total} onClick={() => navigate(withQuery('/search', { ...current, offset: offset + PAGE }))}>Next →</button>
            </div>
          </>)}
        </Load>)}
    </section>
  );
}
