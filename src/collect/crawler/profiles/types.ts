import { z } from 'zod';

/**
 * A declarative engine profile: CSS selectors (css-select dialect, incl. :has() and
 * :contains()) plus small value rules. Built-in profiles ship for five engines; a custom one can
 * be given in a site config (YAML/JSON) for anything else. `version` is bumped whenever a
 * selector changes so stored crawls can say which profile produced them.
 */
export const Field = z.union([
  z.string().min(1),
  z
    .object({
      /** Element to read, relative to the context element; omitted = the context itself. */
      selector: z.string().min(1).optional(),
      /** Attribute to read; omitted = the element's text. */
      attr: z.string().min(1).optional(),
      /** Elements removed (inside the matched one) before reading its text. */
      strip: z.array(z.string().min(1)).optional(),
      /** Regex applied to the value (≤ 1000 chars); group 1 (or the whole match) is kept. */
      regex: z.string().min(1).max(200).optional(),
      /** Output template: {1} = regex group 1, {thread} = thread id, {attr:name} = attribute. */
      template: z.string().min(1).optional(),
      /** Whether a missing value is a profile mismatch (default true for required fields). */
      optional: z.boolean().optional(),
    })
    .strict(),
]);
export type Field = z.infer<typeof Field>;

export const EngineProfile = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    /** Markers: any selector matching or any substring present in the HTML identifies the engine. */
    detect: z.object({ selectors: z.array(z.string()).default([]), substrings: z.array(z.string()).default([]) }).strict(),
    index: z
      .object({
        /** <a> elements linking to boards (sub-forums / categories). */
        boardLinks: z.string().min(1),
      })
      .strict(),
    board: z
      .object({
        /** One element per thread in a listing. */
        threadRow: z.string().min(1),
        /** The thread's <a> inside a row. */
        threadLink: z.string().min(1),
        /** A value in the row that changes when the thread gets new posts (reply count). */
        threadHint: Field.optional(),
        /** <a> to the next listing page. */
        nextPage: z.string().min(1),
        /** Sub-board links on a board page (nested forums). */
        subBoardLinks: z.string().optional(),
      })
      .strict(),
    thread: z
      .object({
        title: Field,
        /** Breadcrumb link texts, outermost first; the last is the thread's board. */
        breadcrumb: z.string().min(1),
        /** Regex on the thread URL giving the thread id (group 1). */
        threadIdFromUrl: z.string().min(1).max(200),
        post: z.string().min(1),
        postId: Field,
        author: Field,
        authorLink: Field.optional(),
        date: Field,
        body: z.string().min(1),
        /** Removed from the body text (quotes, code and signatures are reported separately). */
        bodyExclude: z.array(z.string()).default([]),
        quote: z.object({ selector: z.string().min(1), target: Field }).strict(),
        code: z.object({ selector: z.string().min(1), language: Field.optional() }).strict(),
        signature: z.string().optional(),
        authorPostCount: Field.optional(),
        nextPage: z.string().min(1),
      })
      .strict(),
    profile: z
      .object({
        handle: Field,
        joined: Field.optional(),
        postCount: Field.optional(),
        reputation: Field.optional(),
      })
      .strict(),
    login: z
      .object({
        /** Path (relative to the site URL) of a page that shows the login form. */
        page: z.string().min(1),
        form: z.string().min(1),
        username: z.string().min(1),
        password: z.string().min(1),
        /** A page showing one of these (or answering one of the statuses) needs a login. */
        requiredSelectors: z.array(z.string()).default([]),
        requiredStatuses: z.array(z.number().int()).default([]),
      })
      .strict(),
  })
  .strict();
export type EngineProfile = z.infer<typeof EngineProfile>;
export type EngineProfileInput = z.input<typeof EngineProfile>;
