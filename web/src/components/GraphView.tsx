import { useEffect, useRef, useState } from 'react';
import Graph from 'graphology';
import { circular } from 'graphology-layout';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import Sigma from 'sigma';
import { actorPath } from './Links';
import { navigate } from '../lib/router';
import type { ActorGraph } from '../lib/types';

const PALETTE = ['#0f766e', '#b45309', '#7c3aed', '#be123c', '#1d4ed8', '#15803d', '#a16207', '#0e7490', '#c026d3', '#4d7c0f'];

/**
 * The actor network drawn by sigma.js (WebGL; labels on canvas, so handles stay text). Layout:
 * circular start, then a fixed number of ForceAtlas2 iterations in the page (≤ 1000 nodes).
 */
export default function GraphView({ graph }: { graph: ActorGraph }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const g = new Graph({ type: 'undirected', multi: false });
    const maxScore = Math.max(1e-9, ...graph.nodes.map((n) => n.score));
    for (const n of graph.nodes) {
      g.addNode(n.id, {
        label: `${n.handle} (${n.site})`, size: 3 + 12 * (n.score / maxScore),
        color: n.community === null ? '#64748b' : PALETTE[Math.abs(n.community) % PALETTE.length],
      });
    }
    const maxW = Math.max(1, ...graph.edges.map((e) => e.weight));
    for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target) && !g.hasEdge(e.source, e.target)) g.addEdge(e.source, e.target, { size: 0.5 + 3 * (e.weight / maxW), color: '#94a3b8' });
    circular.assign(g);
    if (g.order > 1) forceAtlas2.assign(g, { iterations: 150, settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 300 } });
    const renderer = new Sigma(g, el, { renderEdgeLabels: false, labelRenderedSizeThreshold: 8, allowInvalidContainer: true });
    renderer.on('clickNode', ({ node }) => navigate(actorPath(node)));
    renderer.on('enterNode', ({ node }) => setHovered(g.getNodeAttribute(node, 'label') as string));
    renderer.on('leaveNode', () => setHovered(null));
    return () => renderer.kill();
  }, [graph]);
  return (
    <div className="card">
      <div ref={ref} className="graph" data-testid="actor-graph" role="img" aria-label={`Network of ${graph.nodes.length} actors and ${graph.edges.length} interactions`} />
      <p className="muted" aria-live="polite">{hovered ?? `${graph.nodes.length} actors · ${graph.edges.length} links`}</p>
      <details><summary>Actors in the graph (list)</summary>
        <ul className="chips">{graph.nodes.map((n) => <li key={n.id}><a href={actorPath(n.id)} onClick={(e) => { e.preventDefault(); navigate(actorPath(n.id)); }}>{n.handle}</a></li>)}</ul>
      </details>
    </div>
  );
}
