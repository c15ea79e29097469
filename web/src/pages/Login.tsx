import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import type { Session } from '../lib/types';

/**
 * The key is pasted once, sent in a POST body and forgotten: the server answers with an HttpOnly
 * session cookie, so the key is never stored in the page, in web storage or in a URL.
 */
export function LoginPage({ onLogin }: { onLogin: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<Session>('/api/v1/session', { method: 'POST', body: { key } });
      setKey('');
      onLogin(session);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="centre">
      <form className="card login" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">threatminer</h1>
        <p className="muted">Paste your API key once. The browser keeps only a session cookie; the key is not stored.</p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="api-key" type="password" autoComplete="off" spellCheck={false} required value={key} onChange={(e) => setKey(e.target.value)} placeholder="tm_…" />
        {error !== null && <div className="state error" role="alert">{error}</div>}
        <button type="submit" disabled={busy || key.trim() === ''}>{busy ? 'Checking…' : 'Log in'}</button>
        <p className="hint">No key? <code>threatminer serve</code> prints an admin key on first start; <code>threatminer keys create</code> makes more.</p>
      </form>
    </main>
  );
}
