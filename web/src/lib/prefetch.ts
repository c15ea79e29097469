import { api } from './api';

/** The requests the first load starts before React is even evaluated (see main.ts). */
export const SESSION = '/api/v1/session';
export const OVERVIEW = '/api/v1/overview?days=60';

const prefetched = new Map<string, Promise<unknown>>();

/**
 * Starts a GET before the code that needs it runs; the first `takePrefetched` for the same path
 * gets the promise instead of fetching again. No React here: the entry module imports this.
 */
export function prefetch(path: string): void {
  const promise = api<unknown>(path);
  promise.catch(() => undefined);
  prefetched.set(path, promise);
}

/** The prefetched GET for `path`, once (a later call fetches anew), or undefined. */
export function takePrefetched<T>(path: string): Promise<T> | undefined {
  const promise = prefetched.get(path) as Promise<T> | undefined;
  prefetched.delete(path);
  return promise;
}
