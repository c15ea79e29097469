export { crawlSite, type CrawlOptions, type CrawlProgress, type CrawlSummary } from './crawl.js';
export { SiteConfig, loadSiteConfig, parseSiteConfig, loadProfileFile, type ResolvedSite, type SiteConfigInput } from './config.js';
export { BUILTIN_PROFILES } from './profiles/builtin.js';
export { EngineProfile } from './profiles/types.js';
export { normaliseDate } from './dates.js';
export { ProfileMismatchError } from './extract.js';
export type { ErrorKind } from './http.js';
