import { sql, type Transaction } from 'kysely';
import { chunks } from '../core/chunks.js';
import { UserError } from '../core/errors.js';
import { describeZodError } from '../core/validate.js';
import type { Database, Store } from '../store/index.js';
import { AnalysisRow, ROW_TABLE, type Analyser, type AnalysisTable, type PostForAnalysis } from './analyser.js';

/**
 * Runs analysers over posts that are new, changed, or were analysed by an older analyser
 * version. Each batch's results and its bookkeeping (`analysis_state`) commit in one
 * transaction, so a crash loses at most the batch in flight and a re-run resumes exactly there.
 */

/** Executes one analyser on one batch. In-process by default; a queue-backed runner (BullMQ)
 * implements the same call by shipping the batch to a worker process. */
export interface BatchExecutor {
  execute(analyser: Analyser, batch: readonly PostForAnalysis[]): Promise<readonly AnalysisRow[]>;
  close?(): Promise<void>;
}

export const inProcessExecutor: BatchExecutor = {
  execute: (analyser, batch) => analyser.analyse(batch, {}),
};

export interface PipelineOptions {
  readonly analysers: readonly Analyser[];
  readonly batchSize?: number;
  /** Names of analysers to re-run on every post, regardless of state. */
  readonly rerun?: readonly string[];
  readonly executor?: BatchExecutor;
  readonly onBatch?: (progress: { analyser: string; posts: number; rows: number }) => void;
  readonly signal?: AbortSignal;
}

export interface AnalyserSummary {
  analyser: string;
  version: string;
  posts: number;
  rows: number;
  seconds: number;
}

const TABLE_ANALYSER_ORDER: readonly AnalysisTable[] = ['post_languages', 'entities', 'exploit_labels', 'events'];

export function orderAnalysers(analysers: readonly Analyser[]): Analyser[] {
  const byName = new Map(analysers.map((a) => [a.name, a]));
  if (byName.size !== analysers.length) throw new UserError('two analysers share a name');
  const ordered: Analyser[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (analyser: Analyser, path: string[]) => {
    const seen = state.get(analyser.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new UserError(`analysers depend on each other in a cycle: ${[...path, analyser.name].join(' → ')}`);
    state.set(analyser.name, 'visiting');
    for (const dependency of analyser.after ?? []) {
      const next = byName.get(dependency);
      if (next === undefined) throw new UserError(`analyser ${analyser.name} runs after "${dependency}", which is not enabled`);
      visit(next, [...path, analyser.name]);
    }
    state.set(analyser.name, 'done');
    ordered.push(analyser);
  };
  for (const analyser of analysers) visit(analyser, []);
  return ordered;
}

export async function runPipeline(store: Store, options: PipelineOptions): Promise<AnalyserSummary[]> {
  const batchSize = options.batchSize ?? 256;
  const executor = options.executor ?? inProcessExecutor;
  const summaries: AnalyserSummary[] = [];
  for (const analyser of orderAnalysers(options.analysers)) {
    if (options.rerun?.includes(analyser.name)) {
      await store.db.deleteFrom('analysis_state').where('analyser', '=', analyser.name).execute();
    }
    const started = process.hrtime.bigint();
    const summary: AnalyserSummary = { analyser: analyser.name, version: analyser.version, posts: 0, rows: 0, seconds: 0 };
    let afterId = '';
    for (;;) {
      options.signal?.throwIfAborted();
      const batch = await pendingPosts(store, analyser, afterId, batchSize);
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1]!.post.id;
      const rows = validateRows(analyser, await executor.execute(analyser, batch.map((b) => b.post)), batch);
      await store.db.transaction().execute((trx) => writeResults(trx, analyser, batch, rows));
      summary.posts += batch.length;
      summary.rows += rows.length;
      options.onBatch?.({ analyser: analyser.name, posts: summary.posts, rows: summary.rows });
    }
    summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    summaries.push(summary);
  }
  return summaries;
}

interface PendingPost {
  post: PostForAnalysis;
  contentHash: string;
}

async function pendingPosts(store: Store, analyser: Analyser, afterId: string, limit: number): Promise<PendingPost[]> {
  const rows = await store.db
    .selectFrom('posts')
    .leftJoin('analysis_state as st', (join) => join.onRef('st.post_id', '=', 'posts.id').on('st.analyser', '=', analyser.name))
    .select(['posts.id', 'posts.site_id', 'posts.title', 'posts.body_text', 'posts.body_html', 'posts.code_blocks', 'posts.attachments', 'posts.content_hash'])
    .select((eb) =>
      eb.selectFrom('post_languages as pl').select('pl.language').whereRef('pl.post_id', '=', 'posts.id').where('pl.analyser', '=', 'lang').limit(1).as('language'),
    )
    .where('posts.id', '>', afterId)
    .where((eb) =>
      eb.or([
        eb('st.post_id', 'is', null),
        eb('st.analyser_version', '!=', analyser.version),
        eb('st.content_hash', '!=', eb.ref('posts.content_hash')),
      ]),
    )
    .orderBy('posts.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    contentHash: row.content_hash,
    post: {
      id: row.id,
      siteId: row.site_id,
      threadTitle: row.title,
      bodyText: row.body_text,
      bodyHtml: row.body_html,
      codeBlocks: JSON.parse(row.code_blocks) as PostForAnalysis['codeBlocks'],
      attachments: JSON.parse(row.attachments) as PostForAnalysis['attachments'],
      language: row.language ?? null,
    },
  }));
}

/** Analysers are plugins: their output is checked like any other input crossing a boundary. */
function validateRows(analyser: Analyser, rows: readonly AnalysisRow[], batch: readonly PendingPost[]): AnalysisRow[] {
  const ids = new Set(batch.map((b) => b.post.id));
  return rows.map((row, index) => {
    const parsed = AnalysisRow.safeParse(row);
    if (!parsed.success) throw new UserError(`analyser ${analyser.name} returned a malformed row #${index}: ${describeZodError(parsed.error)}`);
    const table = ROW_TABLE[parsed.data.kind];
    if (!analyser.writes.includes(table)) throw new UserError(`analyser ${analyser.name} wrote to ${table}, which it does not declare in "writes"`);
    if (!ids.has(parsed.data.postId)) throw new UserError(`analyser ${analyser.name} returned a row for post ${parsed.data.postId}, which is not in its batch`);
    return parsed.data;
  });
}

async function writeResults(trx: Transaction<Database>, analyser: Analyser, batch: readonly PendingPost[], rows: readonly AnalysisRow[]): Promise<void> {
  const postIds = batch.map((b) => b.post.id);
  const now = new Date().toISOString();
  const provenance = { analyser: analyser.name, analyser_version: analyser.version, model_version: analyser.modelVersion, created_at: now };
  for (const table of TABLE_ANALYSER_ORDER) {
    if (!analyser.writes.includes(table)) continue;
    for (const ids of chunks(postIds, 500)) {
      await trx.deleteFrom(table).where('post_id', 'in', ids).where('analyser', '=', analyser.name).execute();
    }
  }
  const languages = [];
  const entities = [];
  const labels = [];
  const events = [];
  for (const row of rows) {
    switch (row.kind) {
      case 'language':
        languages.push({ post_id: row.postId, language: row.language, confidence: row.confidence, ...provenance });
        break;
      case 'entity':
        entities.push({
          post_id: row.postId, type: row.type, value: row.value, field: row.field, start: row.start, end: row.end,
          defanged: row.defanged ? 1 : 0, context: row.context ?? null, flags: JSON.stringify(row.flags ?? []), ...provenance,
        });
        break;
      case 'exploit_label':
        labels.push({ post_id: row.postId, label: row.label, confidence: row.confidence, evidence: JSON.stringify(row.evidence ?? []), ...provenance });
        break;
      case 'event':
        events.push({
          post_id: row.postId, type: row.type, confidence: row.confidence, trigger: row.trigger ?? null,
          arguments: JSON.stringify(row.arguments ?? {}), ...provenance,
        });
        break;
    }
  }
  for (const chunk of chunks(languages, 500)) await trx.insertInto('post_languages').values(chunk).execute();
  for (const chunk of chunks(entities, 300)) await trx.insertInto('entities').values(chunk).execute();
  for (const chunk of chunks(labels, 500)) await trx.insertInto('exploit_labels').values(chunk).execute();
  for (const chunk of chunks(events, 500)) await trx.insertInto('events').values(chunk).execute();
  const states = batch.map((b) => ({
    post_id: b.post.id, analyser: analyser.name, analyser_version: analyser.version, content_hash: b.contentHash, analysed_at: now,
  }));
  for (const chunk of chunks(states, 500)) {
    await trx
      .insertInto('analysis_state')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['analyser', 'post_id']).doUpdateSet({
          analyser_version: sql.ref('excluded.analyser_version'),
          content_hash: sql.ref('excluded.content_hash'),
          analysed_at: sql.ref('excluded.analysed_at'),
        }),
      )
      .execute();
  }
}
