import { z } from 'zod';

/**
 * The one interface every post analyser implements. An analyser is pure with respect to the
 * store: it receives a batch of posts and returns rows; the pipeline owns reading, writing,
 * incrementality and versioning. That keeps analysers testable without a database and lets a
 * queue-backed runner ship batches to other processes unchanged.
 */

/** Post fields an analyser may declare that it reads. */
export const PostField = z.enum(['title', 'body_text', 'body_html', 'code_blocks', 'attachments', 'language']);
export type PostField = z.infer<typeof PostField>;

/** Analysis tables an analyser may declare that it writes. */
export const AnalysisTable = z.enum(['post_languages', 'entities', 'exploit_labels', 'events']);
export type AnalysisTable = z.infer<typeof AnalysisTable>;

export interface PostForAnalysis {
  readonly id: string;
  readonly siteId: string;
  readonly threadTitle: string | null;
  readonly bodyText: string;
  readonly bodyHtml: string | null;
  readonly codeBlocks: readonly { readonly language?: string | undefined; readonly code: string }[];
  readonly attachments: readonly { readonly name: string }[];
  /** ISO 639-3 code from the language analyser when it already ran, else null. */
  readonly language: string | null;
}

export const LanguageRow = z.object({
  kind: z.literal('language'),
  postId: z.string(),
  language: z.string().min(2).max(16),
  confidence: z.number().min(0).max(1),
});

export const EntityRow = z.object({
  kind: z.literal('entity'),
  postId: z.string(),
  type: z.string().min(1).max(64),
  value: z.string().min(1).max(4000),
  /** Character span [start, end) in the analysed text, see `field`. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  field: z.enum(['title', 'body_text', 'code']),
  defanged: z.boolean(),
  context: z.string().max(2000).optional(),
  flags: z.array(z.string().max(64)).max(16).optional(),
});

export const ExploitLabelRow = z.object({
  kind: z.literal('exploit_label'),
  postId: z.string(),
  label: z.string().min(1).max(64),
  confidence: z.number().min(0).max(1),
  /** Tokens that drove the label, with their attention weights. */
  evidence: z.array(z.object({ token: z.string(), weight: z.number() })).max(64).optional(),
});

export const EventRow = z.object({
  kind: z.literal('event'),
  postId: z.string(),
  type: z.string().min(1).max(64),
  confidence: z.number().min(0).max(1),
  trigger: z.string().max(400).optional(),
  arguments: z.record(z.string(), z.string().max(2000)).optional(),
});

export const AnalysisRow = z.discriminatedUnion('kind', [LanguageRow, EntityRow, ExploitLabelRow, EventRow]);
export type AnalysisRow = z.infer<typeof AnalysisRow>;
export type LanguageRow = z.infer<typeof LanguageRow>;
export type EntityRow = z.infer<typeof EntityRow>;
export type ExploitLabelRow = z.infer<typeof ExploitLabelRow>;
export type EventRow = z.infer<typeof EventRow>;

export const ROW_TABLE: Readonly<Record<AnalysisRow['kind'], AnalysisTable>> = {
  language: 'post_languages',
  entity: 'entities',
  exploit_label: 'exploit_labels',
  event: 'events',
};

export interface AnalyserContext {
  readonly signal?: AbortSignal;
}

export interface Analyser {
  /** Stable name, used as the key for incremental state: `lang`, `iocs`, `exploits`. */
  readonly name: string;
  /** Bump when output for the same input would change; the pipeline re-runs stale rows. */
  readonly version: string;
  /** Version of the trained model behind it, or null for rule-based analysers. */
  readonly modelVersion: string | null;
  readonly reads: readonly PostField[];
  readonly writes: readonly AnalysisTable[];
  /** Analysers whose output this one reads (e.g. exploit labels read `lang`). */
  readonly after?: readonly string[];
  analyse(batch: readonly PostForAnalysis[], context: AnalyserContext): Promise<readonly AnalysisRow[]>;
}
