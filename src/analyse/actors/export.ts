import { DirectedGraph } from 'graphology';
import * as gexf from 'graphology-gexf';
import type { RankResult } from './rank.js';

/**
 * Gephi exports of the interaction graph with per-node metrics. GEXF goes through
 * graphology-gexf; graphology-graphml only parses, so GraphML has its own small writer. Handles
 * are forum content: XML-escaped, and characters XML 1.0 cannot carry are dropped.
 */
export interface ExportOptions {
  /** Only the top N actors by score (and edges among them); all when omitted. */
  readonly top?: number;
  readonly siteNames?: ReadonlyMap<string, string>;
}

interface NodeRow {
  id: string;
  attrs: { label: string; site: string; score: number; rank: number; pagerank: number; betweenness: number; coreness: number; community: number; authority: number; hub: number };
}

function rows(result: RankResult, options: ExportOptions): { nodes: NodeRow[]; edges: [string, string, number][] } {
  const chosen = options.top === undefined ? result.scores : result.scores.slice(0, options.top);
  const keep = new Set(chosen.map((s) => s.authorId));
  const m = result.metrics;
  const nodes = chosen.map((s): NodeRow => {
    const i = result.graph.nodeIndex.get(s.authorId) ?? -1;
    return {
      id: s.authorId,
      attrs: {
        label: xmlSafe(s.handle), site: xmlSafe(options.siteNames?.get(s.siteId) ?? s.siteId), score: s.score, rank: s.rank,
        pagerank: m.pagerank[i] ?? 0, betweenness: m.betweenness[i] ?? 0, coreness: m.coreness[i] ?? 0,
        community: m.community[i] ?? -1, authority: m.authorities[i] ?? 0, hub: m.hubs[i] ?? 0,
      },
    };
  });
  const edges: [string, string, number][] = [];
  for (const e of result.graph.edgeList()) if (keep.has(e[0]) && keep.has(e[1])) edges.push(e);
  return { nodes, edges };
}

export function toGexf(result: RankResult, options: ExportOptions = {}): string {
  const { nodes, edges } = rows(result, options);
  const graph = new DirectedGraph();
  for (const n of nodes) graph.addNode(n.id, n.attrs);
  for (const [s, t, w] of edges) graph.addDirectedEdge(s, t, { weight: w });
  return gexf.write(graph, { version: '1.3' });
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Removes code points XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F). */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

export function toGraphml(result: RankResult, options: ExportOptions = {}): string {
  const { nodes, edges } = rows(result, options);
  const keys: [string, 'string' | 'double' | 'int'][] = [
    ['label', 'string'], ['site', 'string'], ['score', 'double'], ['rank', 'int'], ['pagerank', 'double'], ['betweenness', 'double'],
    ['coreness', 'int'], ['community', 'int'], ['authority', 'double'], ['hub', 'double'],
  ];
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const [name, type] of keys) out.push(`  <key id="${name}" for="node" attr.name="${name}" attr.type="${type}"/>`);
  out.push('  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>');
  out.push('  <graph id="threatminer-actors" edgedefault="directed">');
  for (const n of nodes) {
    out.push(`    <node id="${escapeXml(n.id)}">`);
    for (const [name] of keys) out.push(`      <data key="${name}">${escapeXml(String(n.attrs[name as keyof NodeRow['attrs']]))}</data>`);
    out.push('    </node>');
  }
  edges.forEach(([s, t, w], k) => {
    out.push(`    <edge id="e${k}" source="${escapeXml(s)}" target="${escapeXml(t)}"><data key="weight">${w}</data></edge>`);
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
