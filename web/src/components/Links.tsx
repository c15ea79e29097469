import type { ReactNode } from 'react';
import { Link } from '../lib/router';
import { withQuery } from '../lib/api';

/** In-app links built from ids and values; always same-origin paths with encoded parts. */
export const postPath = (id: string) => `/posts/${encodeURIComponent(id)}`;
export const actorPath = (id: string) => `/actors/${encodeURIComponent(id)}`;
export const pivotPath = (value: string) => withQuery('/indicators/pivot', { value });

export function PostLink({ id, children }: { id: string; children: ReactNode }) {
  return <Link to={postPath(id)}>{children}</Link>;
}

export function ActorLink({ id, handle }: { id: string; handle: string }) {
  if (id === '') return <span className="handle">{handle}</span>;
  return <Link to={actorPath(id)} className="handle">{handle}</Link>;
}

export function IndicatorLink({ value, type }: { value: string; type?: string }) {
  return <Link to={pivotPath(value)} className={`ioc ioc-${(type ?? 'other').replace(/[^a-z0-9-]/gi, '')}`}>{value}</Link>;
}
