import { eld } from 'eld/medium';
import type { Analyser, AnalysisRow, PostForAnalysis } from '../analyser.js';

/**
 * Per-post language (ISO 639-1) with eld, an n-gram detector for 60 languages whose database
 * ships inside the npm package. We chose it over franc after franc called short English posts
 * French or Scots; eld gets those right and says when a call is unreliable.
 * Detection reads the thread title and the prose body, not code blocks, and only the first few
 * thousand characters: enough for a stable answer at bounded cost on hostile megabyte posts.
 */
const SAMPLE_CHARS = 4000;
const MIN_LETTERS = 8;
const HEX_TOKEN = /^[0-9a-fA-F]+$/;
const BASE64_TOKEN = /^[A-Za-z0-9+/=]+$/;

/** URLs, emails and long hex/base64 runs are language-neutral noise for an n-gram model. The
 * check works per whitespace-separated token, which keeps it linear on hostile text. */
function isNoise(token: string): boolean {
  return token.includes('://') || token.includes('@') || (token.length >= 16 && HEX_TOKEN.test(token)) || (token.length >= 40 && BASE64_TOKEN.test(token));
}
const LETTER = /\p{L}/gu;

export interface DetectedLanguage {
  language: string;
  /** eld's normalised score of the best language, halved when eld marks the call unreliable. */
  confidence: number;
}

export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.slice(0, SAMPLE_CHARS).split(/\s+/).filter((token) => !isNoise(token)).join(' ');
  if ((sample.match(LETTER)?.length ?? 0) < MIN_LETTERS) return { language: 'und', confidence: 0 };
  const result = eld.detect(sample);
  if (!result.language) return { language: 'und', confidence: 0 };
  const best = result.getScores()[result.language] ?? 0;
  const confidence = Math.max(0, Math.min(1, result.isReliable() ? best : best / 2));
  return { language: result.language, confidence: Math.round(confidence * 1000) / 1000 };
}

export const languageAnalyser: Analyser = {
  name: 'lang',
  version: '2',
  modelVersion: 'eld-2-medium',
  reads: ['title', 'body_text'],
  writes: ['post_languages'],
  async analyse(batch: readonly PostForAnalysis[]): Promise<readonly AnalysisRow[]> {
    const rows: AnalysisRow[] = [];
    for (const post of batch) {
      const text = post.threadTitle ? `${post.threadTitle}\n${post.bodyText}` : post.bodyText;
      const { language, confidence } = detectLanguage(text);
      rows.push({ kind: 'language', postId: post.id, language, confidence });
    }
    return rows;
  },
};
