/**
 * Full-text search over all conversations of all accounts (migration 0005's index): newest
 * first (by archive id, the order conversations are shown in), paged by id, optionally only
 * one account, one peer and a time range. See ../search-text.ts for the query syntax.
 */
import type { SearchHit } from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';
import { searchIndexer } from '../search-index.ts';
import { accountToken, conversationToken, parseQuery, peerToken, snippet, timeCover } from '../search-text.ts';

export interface SearchOptions {
  query: string;
  accountId?: string | undefined;
  peer?: string | undefined;
  /** Only messages with timestamp >= from (ms since the epoch). */
  from?: number | undefined;
  /** Only messages with timestamp <= to (ms since the epoch). */
  to?: number | undefined;
  /** 1..200, default 50. */
  limit?: number | undefined;
  /** Only messages with id < before: the last hit's id pages on. */
  before?: number | undefined;
}

/** Raw rows (arrays: no object per row, this runs as the user types). */
type Row = [id: number, account: string, peer: string, direction: 'in' | 'out', timestamp: number, body: string];

interface Params {
  match: string;
  before: number;
  limit: number;
  account?: string;
  peer?: string;
  from?: number;
  to?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;

export type SearchRepo = ReturnType<typeof createSearchRepo>;

export function createSearchRepo(db: Db) {
  const indexer = searchIndexer(db);
  // One statement per combination of filters, so that each gets the plan it needs: the index
  // drives (CROSS JOIN keeps it outside), walking its matches newest first and stopping at `limit`.
  const statements = new Map<string, ReturnType<typeof prepare>>();
  const prepare = (key: string) => {
    const filters = [
      key.includes('a') ? 'AND m.account = @account' : '',
      key.includes('p') ? 'AND m.peer = @peer' : '',
      key.includes('f') ? 'AND m.timestamp >= @from' : '',
      key.includes('t') ? 'AND m.timestamp <= @to' : '',
    ].join(' ');
    return db
      .prepare<Params, Row>(
        `
      SELECT m.id, m.account, m.peer, m.direction, m.timestamp, m.body
      FROM messages_fts AS f CROSS JOIN messages AS m ON m.id = f.rowid
      WHERE f.messages_fts MATCH @match AND f.rowid < @before ${filters}
      ORDER BY f.rowid DESC
      LIMIT @limit`,
      )
      .raw();
  };
  const statement = (key: string) => {
    let found = statements.get(key);
    if (!found) {
      found = prepare(key);
      statements.set(key, found);
    }
    return found;
  };

  return {
    /** Matching messages, newest first; none for an empty query. */
    search(options: SearchOptions): SearchHit[] {
      const query = parseQuery(options.query);
      if (query.match === undefined) return [];
      // Messages stored a moment ago may still wait for the index: they are found too.
      indexer.flush();
      const { accountId, peer, from, to } = options;
      // The scope tokens narrow the index itself; the columns are still compared (exactly).
      const scope: string[] = [];
      if (accountId !== undefined && peer !== undefined) scope.push(`"${conversationToken(accountId, peer)}"`);
      else if (accountId !== undefined) scope.push(`"${accountToken(accountId)}"`);
      else if (peer !== undefined) scope.push(`"${peerToken(peer)}"`);
      const months = timeCover(from, to);
      if (months?.length === 0) return [];
      if (months !== undefined) scope.push(`(${months.map((m) => `"${m}"`).join(' OR ')})`);
      const params: Params = {
        match: [...scope.map((s) => `scope : ${s}`), query.match].join(' AND '),
        before: options.before ?? Number.MAX_SAFE_INTEGER,
        limit: Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_SEARCH_LIMIT), 1), MAX_SEARCH_LIMIT),
      };
      let key = '';
      if (accountId !== undefined) {
        key += 'a';
        params.account = accountId;
      }
      if (peer !== undefined) {
        key += 'p';
        params.peer = peer;
      }
      if (from !== undefined) {
        key += 'f';
        params.from = from;
      }
      if (to !== undefined) {
        key += 't';
        params.to = to;
      }
      return statement(key)
        .all(params)
        .map(([id, account, rowPeer, direction, timestamp, body]) => ({
          messageId: id,
          accountId: account,
          peer: rowPeer,
          direction,
          timestamp,
          snippet: snippet(body, query.terms),
        }));
    },
  };
}
