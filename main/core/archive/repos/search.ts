/**
 * Full-text search over all conversations of all accounts (migration 0005's index): newest
 * first (by archive id, the order conversations are shown in), paged by id, optionally only
 * one account, one peer and a time range. See ../search-text.ts for the query syntax.
 *
 * This runs as the user types, so everything beyond the FTS5 lookup itself is kept small
 * (the `search` benchmark compares it with a bare MATCH returning row ids): parsed queries (and
 * with them their compiled highlight patterns) are kept for the last few query strings (paging
 * and changing filters repeat one); the statement for each combination of filters and limit is
 * prepared once, with the limit written into it (a bound LIMIT made each search slower); rows
 * come back as arrays, the direction as a number.
 */
import type { Statement } from 'better-sqlite3';
import type { SearchHit } from '../../../../preload/contract.ts';
import type { Db } from '../open.ts';
import { searchIndexer } from '../search-index.ts';
import {
  accountToken,
  conversationToken,
  parseQuery,
  peerToken,
  snippet,
  timeCover,
  type SearchQuery,
} from '../search-text.ts';

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

/** Raw rows (arrays: no object per row). `out`: 1 for an outgoing message, else 0. */
type Row = [id: number, account: string, peer: string, out: number, timestamp: number, body: string];

/** Bound in this order, each only when its filter is used (see `prepare`). */
type Param = string | number;

export const DEFAULT_SEARCH_LIMIT = 50;
export const MAX_SEARCH_LIMIT = 200;
/** Parsed queries kept (most recently used). */
const PARSED_QUERIES = 32;
/** Prepared statements kept: a few filter combinations times the limits callers use. */
const STATEMENTS = 64;

export type SearchRepo = ReturnType<typeof createSearchRepo>;

export function createSearchRepo(db: Db) {
  const indexer = searchIndexer(db);
  // One statement per combination of filters (and limit), so that each gets the plan it needs:
  // the index drives (CROSS JOIN keeps it outside), walking its matches newest first and
  // stopping at `limit`.
  const statements = new Map<string, Statement<Param[], Row>>();
  const prepare = (key: string, limit: number) => {
    const filters = [
      key.includes('b') ? 'AND f.rowid < ?' : '',
      key.includes('a') ? 'AND m.account = ?' : '',
      key.includes('p') ? 'AND m.peer = ?' : '',
      key.includes('f') ? 'AND m.timestamp >= ?' : '',
      key.includes('t') ? 'AND m.timestamp <= ?' : '',
    ].join(' ');
    return db
      .prepare<Param[], Row>(
        `
      SELECT m.id, m.account, m.peer, m.direction = 'out', m.timestamp, m.body
      FROM messages_fts AS f CROSS JOIN messages AS m ON m.id = f.rowid
      WHERE f.messages_fts MATCH ? ${filters}
      ORDER BY f.rowid DESC
      LIMIT ${String(limit)}`,
      )
      .raw();
  };
  const statement = (key: string, limit: number) => {
    const id = `${key}${String(limit)}`;
    let found = statements.get(id);
    if (!found) {
      if (statements.size >= STATEMENTS) statements.clear();
      found = prepare(key, limit);
      statements.set(id, found);
    }
    return found;
  };

  // Rows wait for the index (messages_fts_pending) only after writes to `messages`, and every
  // write on this connection counts in total_changes() (openArchive holds the archive
  // exclusively: no other connection writes). Unchanged since the last flush: nothing waits, and
  // the search skips even the look at the queue.
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  let flushedAt = -1;
  const flush = () => {
    if (totalChanges.get() === flushedAt) return;
    indexer.flush();
    flushedAt = totalChanges.get() ?? -1;
  };

  const parsed = new Map<string, SearchQuery>();
  const parse = (input: string): SearchQuery => {
    let query = parsed.get(input);
    if (query) {
      // Most recently used last: the oldest goes first when the map is full.
      parsed.delete(input);
    } else {
      query = parseQuery(input);
      if (parsed.size >= PARSED_QUERIES) {
        const oldest = parsed.keys().next();
        if (oldest.done !== true) parsed.delete(oldest.value);
      }
    }
    parsed.set(input, query);
    return query;
  };

  return {
    /** Matching messages, newest first; none for an empty query. */
    search(options: SearchOptions): SearchHit[] {
      const query = parse(options.query);
      if (query.match === undefined) return [];
      // Messages stored a moment ago may still wait for the index: they are found too.
      flush();
      const { accountId, peer, from, to, before } = options;
      // The scope tokens narrow the index itself; the columns are still compared (exactly).
      let match = query.match;
      const months = timeCover(from, to);
      if (months?.length === 0) return [];
      if (months !== undefined) match = `scope : (${months.map((m) => `"${m}"`).join(' OR ')}) AND ${match}`;
      if (accountId !== undefined && peer !== undefined)
        match = `scope : "${conversationToken(accountId, peer)}" AND ${match}`;
      else if (accountId !== undefined) match = `scope : "${accountToken(accountId)}" AND ${match}`;
      else if (peer !== undefined) match = `scope : "${peerToken(peer)}" AND ${match}`;
      const params: Param[] = [match];
      let key = '';
      if (before !== undefined) {
        key += 'b';
        params.push(before);
      }
      if (accountId !== undefined) {
        key += 'a';
        params.push(accountId);
      }
      if (peer !== undefined) {
        key += 'p';
        params.push(peer);
      }
      if (from !== undefined) {
        key += 'f';
        params.push(from);
      }
      if (to !== undefined) {
        key += 't';
        params.push(to);
      }
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_SEARCH_LIMIT), 1), MAX_SEARCH_LIMIT);
      const rows = statement(key, Number.isFinite(limit) ? limit : DEFAULT_SEARCH_LIMIT).all(...params);
      const { terms } = query;
      const hits: SearchHit[] = [];
      for (const [id, account, rowPeer, out, timestamp, body] of rows) {
        hits.push({
          messageId: id,
          accountId: account,
          peer: rowPeer,
          direction: out === 1 ? 'out' : 'in',
          timestamp,
          snippet: snippet(body, terms),
        });
      }
      return hits;
    },
  };
}
