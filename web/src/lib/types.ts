/** Response shapes of the API routes the dashboard reads (see /openapi.json). */
export type Role = 'admin' | 'analyst' | 'read-only';
export interface Session { role: Role; name: string; keyId: string; csrfToken: string | null; expiresAt: string | null }

export interface Snippet { text: string; highlights: [number, number][] }
export interface SearchHit { id: string; site: string; board: string; threadId: string; threadTitle: string | null; author: string; postedAt: string | null; snippet: Snippet; score: number }
export interface SearchResult { total: number; totalCapped: boolean; hits: SearchHit[] }

export interface Entity { type: string; value: string; field: string; start: number; end: number; defanged: boolean; flags: string[] }
export interface ExploitLabel { label: string; confidence: number; evidence: { token: string; weight: number }[]; modelVersion: string | null }
export interface PostDetail {
  id: string; site: string; board: string;
  thread: { id: string; title: string | null; url: string | null };
  author: { id: string; handle: string; reputation: number | null };
  postedAt: string | null; postedAtRaw: string | null; bodyText: string;
  codeBlocks: { language?: string; code: string }[];
  attachments: { name: string; url?: string; size?: number }[];
  url: string | null;
  language: { code: string; confidence: number } | null;
  entities: Entity[]; exploitLabels: ExploitLabel[]; quotes: { kind: string; targetPostId: string }[];
}
export interface ThreadPosts { title: string | null; site: string; posts: { id: string; author: string; postedAt: string | null; bodyText: string }[] }

export interface Series { days: string[]; series: { label: string; counts: number[] }[] }
export interface OverviewItem { postId: string; title: string | null; site: string; author: string; authorId: string; postedAt: string | null }
export interface Overview {
  totals: { posts: number; authors: number; threads: number; sites: number; entities: number; exploitLabels: number };
  perDay: Series;
  categories: { board: string; site: string; posts: number }[];
  exploitsForKnownCves: (OverviewItem & { label: string; confidence: number; cves: string[]; kev: boolean })[];
  keyActors: { authorId: string; handle: string; site: string; rank: number; score: number; firstSeen: string | null }[];
  leaks: OverviewItem[];
  crawl: {
    sites: { site: string; pending: number; done: number; failed: number; other: number; lastFetched: string | null; lastError: string | null }[];
    imports: { path: string; rowsOk: number; rowsBad: number; updatedAt: string; completed: boolean }[];
  };
  kevAvailable: boolean;
}
export interface Stats { sites: { id: string; name: string; posts: number; authors: number; firstPost: string | null; lastPost: string | null }[] }

export interface Pivot {
  value: string; types: string[]; firstSeen: string | null; lastSeen: string | null; mentions: number; flags: string[];
  sightings: { postId: string; site: string; thread: string | null; author: string; postedAt: string | null; defanged: boolean }[];
  authors: { handle: string; site: string; mentions: number }[];
  coOccurring: { type: string; value: string; posts: number }[];
}
export interface TopIndicator { type: string; value: string; posts: number; lastSeen: string | null }

export interface ExploitRow { postId: string; site: string; board: string; threadTitle: string | null; author: string; authorId: string; postedAt: string | null; label: string; confidence: number; modelVersion: string | null; cves: { cve: string; kev: boolean }[] }
export interface Exploits { total: number; kevAvailable: boolean; labels: { label: string; posts: number }[]; rows: ExploitRow[] }

export interface Group { weight: number; value: number; contribution: number }
export interface RankedActor { authorId: string; handle: string; site: string; rank: number; globalRank: number | null; score: number; community: number | null; posts: number | null; reputation: number | null; computedAt: string; groups: Record<string, Group>; topTopics: { topic: string; normalised: number }[] }
export interface ActorGraph { nodes: { id: string; handle: string; site: string; score: number; rank: number; community: number | null }[]; edges: { source: string; target: string; weight: number }[] }
export interface Count { value: string; mentions: number }
export interface Portrait {
  actor: { id: string; siteId: string; siteName: string; handle: string; reputation: number | null; postCount: number | null; joinedAt: string | null; profileUrl: string | null };
  firstSeen: string | null; lastSeen: string | null; posts: number; threadsStarted: number;
  activity: { monthly: { month: string; posts: number }[]; hourUtc: number[]; weekdayUtc: number[]; timezone: { utcOffsetHours: number | null; confidence: number; troughShare: number | null; quietHoursUtc: number[] } };
  languages: { language: string; posts: number; share: number }[];
  expertise: { exploitCategories: { label: string; posts: number }[]; attack: { id: string; type: string; mentions: number }[]; boards: { board: string; posts: number }[]; codePosts: number };
  associated: { malwareTools: Count[]; cves: Count[]; indicators: (Count & { type: string })[]; contacts: (Count & { type: string })[] };
  network: {
    score: { score: number; rank: number; computedAt: string } | null;
    community: { id: number; members: { authorId: string; handle: string; score: number | null }[] } | null;
    collaborators: { authorId: string; handle: string; strength: number; replies: number; repliedBy: number; quotes: number; quotedBy: number; sharedThreads: number }[];
  };
  aliases: { authorId: string; siteName: string; handle: string; score: number }[];
}

export type WatchKind = 'domain' | 'cidr' | 'product' | 'brand' | 'cve';
export interface Watchlist { id: string; name: string; createdBy: string; createdAt: string; updatedAt: string; items: { kind: WatchKind; value: string }[] }
export interface WatchMatch { kind: string; item: string; matched: string; via: 'entity' | 'text'; postId: string; site: string; threadTitle: string | null; author: string; authorId: string; postedAt: string | null }

export interface SavedSearch { id: string; name: string; params: Record<string, string | undefined>; createdBy: string; createdAt: string }

export interface ModelCard {
  name: string; version: string; task: string; description: string; licence: string; date: string;
  data: { name: string; source: string; licence: string; rows?: number; notes?: string }[];
  metrics: { name: string; value: number; split: string; dataset?: string }[];
  code: { gitSha: string; dirty: boolean };
}
