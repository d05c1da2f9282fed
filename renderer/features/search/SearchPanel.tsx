/**
 * Full-text search over every conversation of every account: the "Search messages" field
 * (results update as you type), filters (account, contact, date range) and the "Search
 * results" list. Each result shows who, when, and a snippet with the matches in <mark>s, built
 * from the core's ranges as React text (never HTML). Choosing one calls `onOpen`; the host
 * opens that conversation at that message (`messages.around`).
 */
import { useId, useState, type ReactNode } from 'react';
import type { AccountState, Contact, SearchHit } from '../../../preload/contract.ts';
import { activateOnKey, useRoving } from '../../app/useRoving.ts';
import { AccountChip, AccountSelect, Avatar, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { pieces } from './marks.ts';
import { useSearch, type SearchFilters } from './useSearch.ts';

export interface SearchPanelProps {
  /** The accounts (for the account filter, and to label results when there are several). */
  accounts: readonly AccountState[];
  /** Known contacts of every account: names for results, and the contact filter. */
  contacts?: readonly Contact[] | undefined;
  /** The user chose a result: open this conversation at this message. */
  onOpen: (accountId: string, peer: string, messageId: number) => void;
  /** Focus the search field when shown. */
  autoFocus?: boolean | undefined;
}

const hitKey = (h: SearchHit) => String(h.messageId);

/** The snippet's text with its matches marked. */
export function Marked({ snippet }: { snippet: SearchHit['snippet'] }): ReactNode {
  return pieces(snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>));
}

export function SearchPanel({ accounts, contacts = [], onOpen, autoFocus = false }: SearchPanelProps): ReactNode {
  const { t, stamp, dateTime } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<SearchFilters>({});
  const results = useSearch(query, filters);
  const hits = results.hits ?? [];
  const roving = useRoving(hits.map(hitKey), null);
  const labelled = accounts.length > 1;

  const nameOf = (accountId: string, peer: string): string =>
    contacts.find((c) => c.accountId === accountId && c.jid === peer)?.name ?? peer;
  const accountJid = (accountId: string): string => accounts.find((a) => a.id === accountId)?.jid ?? accountId;
  // One entry per address (a contact may be in several accounts' rosters), in name order.
  const people = [
    ...new Map(
      contacts
        .filter((c) => !filters.accountId || c.accountId === filters.accountId)
        .map((c) => [c.jid, c.name] as const),
    ),
  ].sort((a, b) => a[1].localeCompare(b[1]));
  const set = (patch: Partial<SearchFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
  };

  return (
    <section className="search-panel">
      <div className="search-field">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {t.searchMessages}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          value={query}
          placeholder={t.searchPlaceholder}
          maxLength={500}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          onChange={(e) => {
            setQuery(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && query !== '') {
              e.preventDefault();
              setQuery('');
            }
          }}
        />
        {results.searching && <Spinner label={t.searching} />}
      </div>

      <fieldset className="search-filters">
        <legend className="visually-hidden">{t.searchFilters}</legend>
        {labelled && (
          <label>
            <span>{t.searchAccount}</span>
            <AccountSelect
              accounts={accounts}
              value={filters.accountId ?? ''}
              all={t.searchAllAccounts}
              onChange={(accountId) => {
                set({ accountId: accountId || undefined, peer: undefined });
              }}
            />
          </label>
        )}
        <label>
          <span>{t.searchContact}</span>
          <select
            value={filters.peer ?? ''}
            onChange={(e) => {
              set({ peer: e.target.value || undefined });
            }}
          >
            <option value="">{t.searchAnyone}</option>
            {people.map(([jid, name]) => (
              <option key={jid} value={jid}>
                {name === jid ? jid : `${name} (${jid})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.searchFrom}</span>
          <input
            type="date"
            value={filters.from ?? ''}
            max={filters.to}
            onChange={(e) => {
              set({ from: e.target.value || undefined });
            }}
          />
        </label>
        <label>
          <span>{t.searchTo}</span>
          <input
            type="date"
            value={filters.to ?? ''}
            min={filters.from}
            onChange={(e) => {
              set({ to: e.target.value || undefined });
            }}
          />
        </label>
      </fieldset>

      {results.error !== null && (
        <p className="form-error" role="alert">
          {results.error}
        </p>
      )}
      <ul aria-label={t.searchResults} className="items search-results" onKeyDown={roving.onKeyDown}>
        {hits.map((hit) => {
          const key = hitKey(hit);
          const name = nameOf(hit.accountId, hit.peer);
          const open = () => {
            onOpen(hit.accountId, hit.peer, hit.messageId);
          };
          return (
            <li
              key={key}
              data-roving=""
              className="item search-hit"
              tabIndex={roving.tabIndex(key)}
              onFocus={() => {
                roving.onFocus(key);
              }}
              onClick={open}
              onKeyDown={activateOnKey(open)}
            >
              <Avatar name={name} jid={hit.peer} />
              <span className="item-text">
                <span className="item-row">
                  <span className="item-name">{name}</span>
                  <time
                    className="item-time"
                    dateTime={new Date(hit.timestamp).toISOString()}
                    title={dateTime(hit.timestamp)}
                  >
                    {stamp(hit.timestamp)}
                  </time>
                </span>
                <span className="item-sub search-snippet">
                  {hit.direction === 'out' && <span className="muted">{t.searchFromYou} </span>}
                  <Marked snippet={hit.snippet} />
                </span>
                {labelled && <AccountChip jid={accountJid(hit.accountId)} />}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="side-empty" role="status">
        {results.hits !== undefined && !results.searching && hits.length === 0 ? t.searchNoResults : ''}
      </p>
      {results.hasMore && (
        <button
          type="button"
          className="button secondary"
          disabled={results.searching}
          onClick={() => {
            results.loadMore();
          }}
        >
          {t.searchMore}
        </button>
      )}
    </section>
  );
}
