/**
 * The `iocs` analyser: indicator and entity extraction over a post's title, body text and code
 * blocks. Spans are relative to the field they were found in; for `code`, to the post's code
 * blocks joined with a blank line (CODE_BLOCK_SEPARATOR), in order.
 */
import type { Analyser, AnalyserContext, AnalysisRow, EntityRow, PostForAnalysis } from '../analyser.js';
import { createExtractor, type ExtractOptionsInput, type Extractor, type IocMatch } from '../iocs/index.js';

export const CODE_BLOCK_SEPARATOR = '\n\n';
const MAX_VALUE = 4000;
const MAX_CONTEXT = 2000;

function toRow(postId: string, field: EntityRow['field'], m: IocMatch): EntityRow | null {
  if (m.value.length > MAX_VALUE) return null;
  return {
    kind: 'entity',
    postId,
    type: m.type,
    value: m.value,
    start: m.start,
    end: m.end,
    field,
    defanged: m.defanged,
    context: m.context.slice(0, MAX_CONTEXT),
    ...(m.flags.length === 0 ? {} : { flags: [...m.flags].slice(0, 16) }),
  };
}

export class IocAnalyser implements Analyser {
  readonly name = 'iocs';
  /** Bump when extraction output for the same text changes. */
  readonly version = '1.0.0';
  readonly modelVersion = null;
  readonly reads = ['title', 'body_text', 'code_blocks'] as const;
  readonly writes = ['entities'] as const;
  private readonly extractor: Extractor;

  constructor(options: ExtractOptionsInput = {}) {
    this.extractor = createExtractor(options);
  }

  async analyse(batch: readonly PostForAnalysis[], context: AnalyserContext): Promise<readonly AnalysisRow[]> {
    const rows: AnalysisRow[] = [];
    for (const post of batch) {
      context.signal?.throwIfAborted();
      const fields: [EntityRow['field'], string | null][] = [
        ['title', post.threadTitle],
        ['body_text', post.bodyText],
        ['code', post.codeBlocks.length === 0 ? null : post.codeBlocks.map((b) => b.code).join(CODE_BLOCK_SEPARATOR)],
      ];
      for (const [field, text] of fields) {
        if (text === null || text.length === 0) continue;
        for (const m of this.extractor.extract(text)) {
          const row = toRow(post.id, field, m);
          if (row !== null) rows.push(row);
        }
      }
      // Yield between posts so a large batch does not starve the event loop.
      if (rows.length > 0 && rows.length % 5000 === 0) await new Promise((r) => setImmediate(r));
    }
    return rows;
  }
}

export function createIocAnalyser(options: ExtractOptionsInput = {}): Analyser {
  return new IocAnalyser(options);
}
