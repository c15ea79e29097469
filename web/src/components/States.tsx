import type { ReactNode } from 'react';
import type { Loadable } from '../lib/useApi';

export function Loading({ what }: { what: string }) {
  return <div className="state loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />Loading {what}…</div>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return <div className="state empty" data-testid="empty"><strong>{title}</strong>{children !== undefined && <div className="hint">{children}</div>}</div>;
}

export function ErrorBox({ message }: { message: string }) {
  return <div className="state error" role="alert">Could not load: {message}</div>;
}

/** Renders the loading / error state of a Loadable, or the content for its data. */
export function Load<T>({ value, what, children }: { value: Loadable<T>; what: string; children: (data: T) => ReactNode }) {
  if (value.state === 'loading') return <Loading what={what} />;
  if (value.state === 'error') return value.status === 404 ? <Empty title={`No ${what} found`}>{value.message}</Empty> : <ErrorBox message={value.message} />;
  return <>{children(value.data)}</>;
}
