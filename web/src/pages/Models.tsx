import { Empty, Load } from '../components/States';
import type { ModelCard } from '../lib/types';
import { useApi } from '../lib/useApi';

export function ModelsPage() {
  const models = useApi<{ models: ModelCard[]; problems: string[] }>('/api/v1/models');
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <Load value={models} what="model cards">{(d) => (
        <>
          {d.models.length === 0 && <Empty title="No models shipped">Models appear here once trained and shipped to <code>models/&lt;name&gt;/card.json</code> (see docs/ml.md).</Empty>}
          <div className="grid2">{d.models.map((m) => (
            <article className="card" key={`${m.name}@${m.version}`} aria-label={`model ${m.name}`}>
              <h2>{m.name} <span className="muted small">v{m.version} · {m.task}</span></h2>
              {m.description !== '' && <p>{m.description}</p>}
              <table>
                <thead><tr><th scope="col">Metric</th><th scope="col">Value</th><th scope="col">Split</th><th scope="col">Dataset</th></tr></thead>
                <tbody>{m.metrics.map((x, i) => <tr key={i}><td>{x.name}</td><td>{x.value.toFixed(4)}</td><td>{x.split}</td><td>{x.dataset ?? '—'}</td></tr>)}</tbody>
              </table>
              <p className="muted small">Trained {m.date} · weights licence {m.licence} · code {m.code.gitSha.slice(0, 10)}{m.code.dirty ? ' (dirty)' : ''}</p>
              <p className="muted small">Data: {m.data.map((x) => `${x.name} (${x.licence}${x.rows !== undefined ? `, ${x.rows} rows` : ''})`).join('; ')}</p>
            </article>))}</div>
          {d.problems.length > 0 && <div className="card"><h2>Cards that failed validation</h2><ul>{d.problems.map((p) => <li key={p}>{p}</li>)}</ul></div>}
        </>)}
      </Load>
    </section>
  );
}
