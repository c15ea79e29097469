import { useState, type FormEvent } from 'react';
import { ActorLink, PostLink } from '../components/Links';
import { Empty, Load } from '../components/States';
import { api } from '../lib/api';
import { download, toCsv } from '../lib/export';
import { when } from '../lib/text';
import type { Session, Watchlist, WatchKind, WatchMatch } from '../lib/types';
import { useApi } from '../lib/useApi';

const KINDS: WatchKind[] = ['domain', 'cidr', 'product', 'brand', 'cve'];

/** Parses the editor's "kind: value" lines. */
function parseItems(text: string): { items: { kind: WatchKind; value: string }[]; bad: string[] } {
  const items: { kind: WatchKind; value: string }[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const colon = line.indexOf(':');
    const kind = line.slice(0, colon).trim().toLowerCase() as WatchKind;
    if (colon <= 0 || !KINDS.includes(kind)) bad.push(line);
    else items.push({ kind, value: line.slice(colon + 1).trim() });
  }
  return { items, bad };
}

export function WatchlistsPage({ session }: { session: Session }) {
  const lists = useApi<{ watchlists: Watchlist[] }>('/api/v1/watchlists');
  const [selected, setSelected] = useState<string | null>(null);
  const canEdit = session.role !== 'read-only';
  return (
    <section aria-labelledby="wl-title">
      <h1 id="wl-title">Watchlists</h1>
      <p className="muted">Register your organisation's domains, IP ranges, products, brands and CVEs; every stored post or indicator that matches is listed.</p>
      <div className="grid-post">
        <div>
          <Load value={lists} what="watchlists">{(d) => d.watchlists.length === 0
            ? <Empty title="No watchlists yet">{canEdit ? 'Create one on the right.' : 'An analyst can create one.'}</Empty>
            : <ul className="items">{d.watchlists.map((w) => (
              <li key={w.id}>
                <button type="button" className="link" aria-pressed={selected === w.id} onClick={() => setSelected(w.id)}>{w.name}</button>
                <div className="meta">{w.items.length} items · by {w.createdBy}</div>
              </li>))}</ul>}
          </Load>
          {selected !== null && <Matches id={selected} />}
        </div>
        {canEdit && <Editor onSaved={(id) => { lists.reload(); setSelected(id); }} existing={lists.state === 'ready' ? lists.data.watchlists.find((w) => w.id === selected) ?? null : null} onDeleted={() => { setSelected(null); lists.reload(); }} />}
      </div>
    </section>
  );
}

function Editor({ existing, onSaved, onDeleted }: { existing: Watchlist | null; onSaved: (id: string) => void; onDeleted: () => void }) {
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  if (existing !== null && editing !== existing.id) {
    setEditing(existing.id);
    setName(existing.name);
    setText(existing.items.map((i) => `${i.kind}: ${i.value}`).join('\n'));
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { items, bad } = parseItems(text);
    if (bad.length > 0) {
      setError(`not "kind: value" with kind one of ${KINDS.join(', ')}: ${bad.slice(0, 3).join(' | ')}`);
      return;
    }
    try {
      const saved = editing === null
        ? await api<Watchlist>('/api/v1/watchlists', { method: 'POST', body: { name, items } })
        : await api<Watchlist>(`/api/v1/watchlists/${encodeURIComponent(editing)}`, { method: 'PUT', body: { name, items } });
      setError(null);
      onSaved(saved.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const remove = async () => {
    if (editing === null) return;
    await api(`/api/v1/watchlists/${encodeURIComponent(editing)}`, { method: 'DELETE' });
    setEditing(null);
    setName('');
    setText('');
    onDeleted();
  };
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-label="Watchlist editor">
      <h2>{editing === null ? 'New watchlist' : 'Edit watchlist'}</h2>
      <label>Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} /></label>
      <label>Items, one per line as <code>kind: value</code>
        <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} placeholder={'domain: example.com\ncidr: 203.0.113.0/24\nproduct: Confluence\nbrand: Example Bank\ncve: CVE-2024-3400'} />
      </label>
      {error !== null && <div className="state error" role="alert">{error}</div>}
      <div className="row">
        <button type="submit">{editing === null ? 'Create' : 'Save'}</button>
        {editing !== null && <button type="button" onClick={() => { setEditing(null); setName(''); setText(''); }}>New</button>}
        {editing !== null && <button type="button" className="danger" onClick={() => void remove()}>Delete</button>}
      </div>
    </form>
  );
}

function Matches({ id }: { id: string }) {
  const matches = useApi<{ watchlist: Watchlist; matches: WatchMatch[]; capped: boolean }>(`/api/v1/watchlists/${encodeURIComponent(id)}/matches`);
  return (
    <div className="card">
      <Load value={matches} what="matches">{(d) => (
        <>
          <h2>Matches for {d.watchlist.name} <span className="muted small">{d.matches.length}{d.capped ? '+' : ''}</span>
            {d.matches.length > 0 && <button type="button" className="small" onClick={() => download('watchlist-matches.csv', 'text/csv', toCsv(d.matches.map((m) => ({ ...m }))))}>Export CSV</button>}</h2>
          {d.matches.length === 0 ? <Empty title="Nothing matches yet" /> : (
            <table>
              <thead><tr><th scope="col">Item</th><th scope="col">Matched</th><th scope="col">Post</th><th scope="col">Author</th><th scope="col">When</th></tr></thead>
              <tbody>{d.matches.map((m, i) => (
                <tr key={`${m.postId}:${m.item}:${i}`}>
                  <td><span className="tag">{m.kind}</span> {m.item}</td>
                  <td className="clip">{m.matched} <span className="muted">({m.via})</span></td>
                  <td className="clip"><PostLink id={m.postId}>{m.threadTitle ?? '(untitled)'}</PostLink> <span className="muted">{m.site}</span></td>
                  <td><ActorLink id={m.authorId} handle={m.author} /></td>
                  <td>{when(m.postedAt)}</td>
                </tr>))}</tbody>
            </table>)}
        </>)}
      </Load>
    </div>
  );
}
