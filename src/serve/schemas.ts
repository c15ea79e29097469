import { z } from 'zod';

/** Response and query schemas shared by routes; they also define the OpenAPI document. */
export const ErrorBody = z.object({ error: z.string(), message: z.string() });

export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});

export const Snippet = z.object({
  text: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});

export const SearchHit = z.object({
  id: z.string(),
  site: z.string(),
  board: z.string(),
  threadId: z.string(),
  threadTitle: z.string().nullable(),
  author: z.string(),
  postedAt: z.string().nullable(),
  snippet: Snippet,
  score: z.number(),
});

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const SearchQuery = Pagination.extend({
  q: z.string().max(500).optional(),
  site: z.string().max(1000).optional(),
  board: z.string().max(1000).optional(),
  author: z.string().max(1000).optional(),
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  has_indicator: booleanFlag.optional(),
  label: z.string().max(64).optional(),
});

export const PostDetail = z.object({
  id: z.string(),
  site: z.string(),
  board: z.string(),
  thread: z.object({ id: z.string(), title: z.string().nullable(), url: z.string().nullable() }),
  author: z.object({ id: z.string(), handle: z.string(), reputation: z.number().nullable() }),
  postedAt: z.string().nullable(),
  postedAtRaw: z.string().nullable(),
  bodyText: z.string(),
  codeBlocks: z.array(z.object({ language: z.string().optional(), code: z.string() })),
  attachments: z.array(z.object({ name: z.string(), url: z.string().optional(), size: z.number().optional() })),
  url: z.string().nullable(),
  language: z.object({ code: z.string(), confidence: z.number() }).nullable(),
  entities: z.array(z.object({
    type: z.string(), value: z.string(), field: z.string(), start: z.number(), end: z.number(), defanged: z.boolean(), flags: z.array(z.string()),
  })),
  exploitLabels: z.array(z.object({
    label: z.string(), confidence: z.number(), evidence: z.array(z.object({ token: z.string(), weight: z.number() })), modelVersion: z.string().nullable(),
  })),
  quotes: z.array(z.object({ kind: z.string(), targetPostId: z.string() })),
});

export const IdParam = z.object({ id: z.string().min(1).max(200) });
