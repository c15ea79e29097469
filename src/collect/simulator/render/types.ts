import type { Engine, SimAuthor, SimBoard, SimThread } from '../model.js';
import type { RenderContext } from './common.js';

export type Route =
  | { readonly kind: 'index' }
  | { readonly kind: 'board'; readonly boardId: number; readonly page: number }
  | { readonly kind: 'thread'; readonly threadId: number; readonly page: number }
  | { readonly kind: 'member'; readonly userId: number }
  | { readonly kind: 'memberHandle'; readonly handle: string }
  | { readonly kind: 'login' };

/** One engine's markup and URL scheme. Paths are relative to the forum's base path. */
export interface EngineRenderer {
  readonly engine: Engine;
  route(path: string, query: URLSearchParams): Route | undefined;
  /** Form field names the engine's login form posts. */
  readonly loginFields: { readonly username: string; readonly password: string; readonly csrf: string };
  /** Engines that answer a guest on a members-only board with 403 rather than a 200 login page. */
  readonly noPermissionStatus: number;
  index(ctx: RenderContext): string;
  board(ctx: RenderContext, board: SimBoard, page: number): string;
  thread(ctx: RenderContext, thread: SimThread, page: number): string;
  member(ctx: RenderContext, author: SimAuthor): string;
  login(ctx: RenderContext, error?: string): string;
  noPermission(ctx: RenderContext): string;
  threadUrl(ctx: RenderContext, thread: SimThread, page: number): string;
  boardUrl(ctx: RenderContext, board: SimBoard, page: number): string;
}
