import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import { takePrefetched } from './prefetch';

export type Loadable<T> =
  | { state: 'loading' }
  | { state: 'error'; message: string; status: number | null }
  | { state: 'ready'; data: T };

/** GETs `path` (null: nothing to load yet), aborting on change; `reload` fetches again. */
export function useApi<T>(path: string | null): Loadable<T> & { reload: () => void } {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setResult({ state: 'loading' });
    const early = takePrefetched<T>(path);
    // A prefetch that failed (e.g. made before login) is retried by a normal fetch.
    const fresh = () => api<T>(path, { signal: controller.signal });
    (early === undefined ? fresh() : early.catch(fresh))
      .then((data) => setResult({ state: 'ready', data }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        const status = typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : null;
        setResult({ state: 'error', message: err instanceof Error ? err.message : String(err), status });
      });
    return () => controller.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...result, reload };
}
