import { francAll } from 'franc';
import type { Analyser, AnalysisRow, PostForAnalysis } from '../analyser.js';

/**
 * Per-post language (ISO 639-3) with franc's trigram model, 187 languages. The detection reads
 * the thread title and the prose body, not code blocks, and only the first few thousand
 * characters: enough for a stable answer at bounded cost on hostile megabyte posts.
 * Confidence is the margin between the best and second-best language scores, so a short or
 * mixed post gets a low confidence rather than a confident guess.
 */
const SAMPLE_CHARS = 4000;
/**
 * Languages of the forums we collect. Restricting franc to these removes near-duplicates that
 * trigram statistics cannot separate on short posts (Scots vs English, Bosnian vs Croatian),
 * which otherwise dominate its errors on forum text.
 */
export const FORUM_LANGUAGES = [
  'eng', 'rus', 'ukr', 'cmn', 'jpn', 'kor', 'deu', 'fra', 'spa', 'por', 'ita', 'nld', 'pol', 'ces',
  'ron', 'hun', 'swe', 'fin', 'tur', 'arb', 'pes', 'heb', 'vie', 'ind', 'tha', 'hin', 'bul', 'srp',
  'hrv', 'ell', 'bel', 'kaz', 'uzn', 'azj', 'kat', 'hye', 'lit', 'lav', 'est', 'slk', 'slv', 'dan', 'nob',
];
const MIN_CHARS = 12;
// URLs, emails and long hex/base64 runs are language-neutral noise for a trigram model.
const NOISE = /https?:\/\/\S+|\S+@\S+|\b[0-9a-fA-F]{16,}\b|[A-Za-z0-9+/=]{40,}/g;

export function detectLanguage(text: string): { language: string; confidence: number } {
  const sample = text.slice(0, SAMPLE_CHARS).replace(NOISE, ' ');
  if (sample.replace(/\s+/g, '').length < MIN_CHARS) return { language: 'und', confidence: 0 };
  const ranked = francAll(sample, { minLength: MIN_CHARS, only: FORUM_LANGUAGES });
  const [best, second] = ranked;
  if (best === undefined || best[0] === 'und') return { language: 'und', confidence: 0 };
  // franc scores are normalised so the best is 1; a margin of 0.25 to the runner-up is already
  // an unambiguous call on forum text, so the margin is scaled to reach 1 there.
  const confidence = second === undefined ? 1 : Math.max(0, Math.min(1, (best[1] - second[1]) / 0.25));
  return { language: best[0], confidence: Math.round(confidence * 1000) / 1000 };
}

export const languageAnalyser: Analyser = {
  name: 'lang',
  version: '1',
  modelVersion: 'franc-6',
  reads: ['title', 'body_text'],
  writes: ['post_languages'],
  async analyse(batch: readonly PostForAnalysis[]): Promise<readonly AnalysisRow[]> {
    return batch.map((post) => {
      const text = post.threadTitle ? `${post.threadTitle}\n${post.bodyText}` : post.bodyText;
      const { language, confidence } = detectLanguage(text);
      return { kind: 'language', postId: post.id, language, confidence };
    });
  },
};
