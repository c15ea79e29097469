import { z } from 'zod';

/**
 * The import record: one forum post with its context, denormalised so that a JSONL line or a
 * CSV row is self-contained. Importers and the crawler both produce this shape; the store
 * normalises it into sites, boards, threads, authors and posts with stable hashed ids.
 */
const isoOrRawDate = z.string().min(1).max(200);
const shortText = z.string().min(1).max(1000);

export const CodeBlock = z.object({
  language: z.string().max(64).optional(),
  code: z.string().max(5_000_000),
});
export type CodeBlock = z.infer<typeof CodeBlock>;

export const Attachment = z.object({
  name: z.string().min(1).max(1000),
  url: z.string().max(4000).optional(),
  size: z.number().int().nonnegative().optional(),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const SiteNetwork = z.enum(['clear', 'onion', 'i2p']);
export const SiteKind = z.enum(['forum', 'market']);

export const ForumRecordFields = z
  .object({
    site: shortText,
    site_url: z.string().url().max(2000).optional(),
    site_engine: z.string().max(64).optional(),
    site_language: z.string().max(16).optional(),
    site_network: SiteNetwork.optional(),
    site_kind: SiteKind.optional(),
    board: shortText.optional(),
    board_parent: shortText.optional(),
    board_url: z.string().max(4000).optional(),
    thread_id: shortText.optional(),
    thread_title: z.string().max(2000).optional(),
    thread_url: z.string().max(4000).optional(),
    post_id: shortText.optional(),
    author: shortText,
    author_joined_at: isoOrRawDate.optional(),
    author_post_count: z.number().int().nonnegative().optional(),
    author_reputation: z.number().finite().optional(),
    author_profile_url: z.string().max(4000).optional(),
    posted_at: isoOrRawDate.optional(),
    posted_at_raw: isoOrRawDate.optional(),
    body_text: z.string().max(20_000_000).optional(),
    body_html: z.string().max(20_000_000).optional(),
    quotes: z.array(shortText).max(1000).optional(),
    reply_to: shortText.optional(),
    code_blocks: z.array(CodeBlock).max(1000).optional(),
    attachments: z.array(Attachment).max(1000).optional(),
    url: z.string().max(4000).optional(),
  })
  .strict();

export const ForumRecord = ForumRecordFields.refine((r) => r.body_text !== undefined || r.body_html !== undefined, {
    message: 'a post needs body_text or body_html',
    path: ['body_text'],
  });
export type ForumRecord = z.infer<typeof ForumRecord>;
