import { useMemo } from 'react';
import { ActorLink, IndicatorLink, PostLink } from '../components/Links';
import { Marked } from '../components/Marked';
import { Empty, Load } from '../components/States';
import { attentionRanges, safeHref, when } from '../lib/text';
import type { PostDetail, ThreadPosts } from '../lib/types';
import { useApi } from '../lib/useApi';

export function PostPage({ id }: { id: string }) {
  const post = useApi<PostDetail>(`/api/v1/posts/${encodeURIComponent(id)}`);
  return <Load value={post} what="post">{(p) => <PostBody p={p} />}</Load>;
}

const typeClass = (type: string) => `ent ent-${type.replace(/[^a-z0-9-]/gi, '')}`;

function PostBody({ p }: { p: PostDetail }) {
  const thread = useApi<ThreadPosts>(`/api/v1/threads/${encodeURIComponent(p.thread.id)}/posts?limit=50`);
  const bodyEntities = useMemo(() => p.entities.filter((e) => e.field === 'body_text'), [p]);
  const titleEntities = useMemo(() => p.entities.filter((e) => e.field === 'title'), [p]);
  const top = p.exploitLabels[0];
  const attention = useMemo(() => (top === undefined ? [] : attentionRanges(p.bodyText, top.evidence)), [p, top]);
  const original = safeHref(p.url);
  const byType = useMemo(() => {
    const map = new Map<string, Set<string>>();
    for (const e of p.entities) map.set(e.type, (map.get(e.type) ?? new Set()).add(e.value));
    return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [p]);

  return (
    <article aria-labelledby="post-title" className="post">
      <h1 id="post-title"><Marked text={p.thread.title ?? '(untitled thread)'} ranges={titleEntities} classOf={(i) => typeClass(titleEntities[i]!.type)} /></h1>
      <div className="meta">
        {p.site} / {p.board} · <ActorLink id={p.author.id} handle={p.author.handle} />
        {p.author.reputation !== null && <> (reputation {p.author.reputation})</>} · {when(p.postedAt)}
        {p.language !== null && <> · language {p.language.code} ({Math.round(p.language.confidence * 100)}%)</>}
        {original !== null && <> · <a href={original} target="_blank" rel="noopener noreferrer nofollow">original</a></>}
      </div>

      {p.exploitLabels.length > 0 && (
        <div className="card labels" aria-label="Exploit labels">
          {p.exploitLabels.map((l) => (
            <span key={l.label} className="tag label" title={l.modelVersion ?? undefined}>{l.label} <meter min={0} max={1} value={l.confidence} aria-label={`${l.label} confidence`} /> {Math.round(l.confidence * 100)}%</span>))}
          {top !== undefined && top.evidence.length > 0 && (
            <div className="evidence">Attention: {[...top.evidence].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, 10).map((e) => <span key={e.token} className="tag">{e.token} {e.weight.toFixed(2)}</span>)}</div>)}
        </div>)}

      <div className="grid-post">
        <div className="card">
          <h2>Post <span className="muted small">(text; entities highlighted by type{attention.length > 0 ? ', model attention underlined' : ''})</span></h2>
          <div className="body" data-testid="post-body">
            <Marked text={p.bodyText} ranges={bodyEntities} classOf={(i) => typeClass(bodyEntities[i]!.type)} titleOf={(i) => bodyEntities[i]!.type} />
          </div>
          {attention.length > 0 && (
            <details><summary>Model attention</summary>
              <div className="body attention"><Marked text={p.bodyText} ranges={attention} classOf={(i) => `att att${Math.ceil(attention[i]!.weight * 4)}`} /></div>
            </details>)}
          {p.codeBlocks.map((c, i) => <pre key={i} className="code" aria-label={`code block ${i + 1}${c.language ? ` (${c.language})` : ''}`}><code>{c.code}</code></pre>)}
          {p.attachments.length > 0 && <ul className="attachments">{p.attachments.map((a, i) => <li key={i}>{a.name}{a.size !== undefined && ` (${a.size} bytes)`}</li>)}</ul>}
        </div>
        <aside className="card" aria-label="Indicators in this post">
          <h2>Indicators</h2>
          {byType.length === 0 ? <Empty title="No indicators extracted">Run <code>threatminer analyze</code> with the iocs analyser.</Empty> : byType.map(([type, values]) => (
            <div key={type} className="ent-group">
              <h3><span className={typeClass(type)}>{type}</span></h3>
              <ul>{[...values].map((v) => <li key={v}><IndicatorLink value={v} type={type} /></li>)}</ul>
            </div>))}
        </aside>
      </div>

      <div className="card">
        <h2>Thread</h2>
        <Load value={thread} what="thread">{(t) => t.posts.length === 0 ? <Empty title="No posts" /> : (
          <ol className="thread">{t.posts.map((tp) => (
            <li key={tp.id} className={tp.id === p.id ? 'current' : undefined} aria-current={tp.id === p.id ? 'true' : undefined}>
              <div className="meta">{tp.author} · {when(tp.postedAt)} {tp.id !== p.id && <PostLink id={tp.id}>open</PostLink>}</div>
              <p className="clip3">{tp.bodyText}</p>
            </li>))}</ol>)}
        </Load>
      </div>
    </article>
  );
}
