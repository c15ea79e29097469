/** Public API of the indicator extractor. See docs/iocs.md. */
export { createExtractor, extractIocs, type Extractor } from './extract.js';
export { extractStream, type StreamOptions } from './stream.js';
export { refang } from './refang.js';
export { BENIGN_DOMAINS } from './allowlist.js';
export { IocType, IocFlag, IOC_TYPES, ExtractOptions, type IocMatch, type ExtractOptionsInput } from './types.js';
export { PATTERNS, KEYWORD_PATTERNS } from './patterns.js';
export { toStixBundle } from './stix.js';
export { evaluate, parseCases, EvalCase, type EvalReport } from './evaluate.js';
