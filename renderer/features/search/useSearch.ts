/**
 * Search as you type: `search.messages` once the user pauses (debounced), newest first, more
 * pages on demand (`before` = the last hit's id). An answer to an older query is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandInput, SearchHit } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { useI18n } from '../../i18n/index.ts';
import { dayEnd, dayStart } from './marks.ts';

export const SEARCH_DEBOUNCE_MS = 200;
const PAGE = 50;
/** The contract's bound on a query. */
const MAX_QUERY = 500;

export interface SearchFilters {
  accountId?: string | undefined;
  peer?: string | undefined;
  /** <input type="date"> values ("2024-05-01"), inclusive; empty: no bound. */
  from?: string | undefined;
  to?: string | undefined;
}

export interface SearchResults {
  /** undefined: nothing searched (empty query). */
  hits: SearchHit[] | undefined;
  searching: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
}

type Input = CommandInput<'search.messages'>;

function inputOf(query: string, filters: SearchFilters): Input | undefined {
  const q = query.trim().slice(0, MAX_QUERY);
  if (q === '') return undefined;
  const from = dayStart(filters.from ?? '');
  const to = dayEnd(filters.to ?? '');
  return {
    query: q,
    ...(filters.accountId ? { accountId: filters.accountId } : {}),
    ...(filters.peer ? { peer: filters.peer } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    limit: PAGE,
  };
}

interface State {
  hits: SearchHit[] | undefined;
  hasMore: boolean;
  searching: boolean;
  error: string | null;
}

const IDLE: State = { hits: undefined, hasMore: false, searching: false, error: null };

export function useSearch(query: string, filters: SearchFilters): SearchResults {
  const client = useClient();
  const { t } = useI18n();
  const [state, setState] = useState<State>(IDLE);
  /** Bumped by every new query: answers carry the number they were asked under. */
  const generation = useRef(0);
  const input = inputOf(query, filters);
  /** The request as a value: a new search only when it changes. */
  const key = input === undefined ? '' : JSON.stringify(input);

  useEffect(() => {
    const asked = ++generation.current;
    const request = key === '' ? undefined : (JSON.parse(key) as Input);
    if (request === undefined) {
      setState(IDLE);
      return;
    }
    setState((s) => ({ ...s, searching: true, error: null }));
    const timer = setTimeout(() => {
      client.call('search.messages', request).then(
        ({ hits }) => {
          if (generation.current !== asked) return;
          setState({ hits, hasMore: hits.length === PAGE, searching: false, error: null });
        },
        (err: unknown) => {
          if (generation.current !== asked) return;
          setState((s) => ({ ...s, searching: false, error: errorText(err, t) }));
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [key, client, t]);

  const loadMore = useCallback(() => {
    const request = key === '' ? undefined : (JSON.parse(key) as Input);
    const last = state.hits?.at(-1);
    if (request === undefined || last === undefined || state.searching || !state.hasMore) return;
    const asked = generation.current;
    setState((s) => ({ ...s, searching: true }));
    client.call('search.messages', { ...request, before: last.messageId }).then(
      ({ hits }) => {
        if (generation.current !== asked) return;
        setState((s) => ({
          hits: [...(s.hits ?? []), ...hits],
          hasMore: hits.length === PAGE,
          searching: false,
          error: null,
        }));
      },
      (err: unknown) => {
        if (generation.current !== asked) return;
        setState((s) => ({ ...s, searching: false, error: errorText(err, t) }));
      },
    );
  }, [key, client, t, state]);

  return { ...state, loadMore };
}
