/**
 * Ctrl/Cmd+K "Go to conversation" and Ctrl/Cmd+N "New conversation": a dialog
 * with a combobox (the text field) and its listbox of matching conversations
 * and contacts across every account. Up/Down (and Home/End with Ctrl) move the
 * active option, Enter opens it, Escape closes the dialog (app/Dialog.tsx).
 * "New conversation" also offers the address typed, in the account chosen.
 * Focus stays in the field; the active option is aria-activedescendant.
 */
import { useId, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { AccountState, Contact, Conversation } from '../../../preload/contract.ts';
import { Dialog } from '../../app/Dialog.tsx';
import { AccountChip, AccountSelect, Avatar } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { conversationKey } from '../chat/useConversations.ts';
import { filterEntries, mergeEntries, typedAddress } from './entries.ts';

export type SwitcherMode = 'switch' | 'new';

interface Props {
  mode: SwitcherMode;
  /** Every account's conversations, most recent first. */
  conversations: readonly Conversation[] | undefined;
  /** Every account's contacts, by conversation key. */
  contacts: ReadonlyMap<string, Contact>;
  accounts: readonly AccountState[];
  onOpen: (accountId: string, peer: string) => void;
  onClose: () => void;
}

interface Option {
  id: string;
  accountId: string;
  peer: string;
  name: string;
  /** The typed address, not a known conversation or contact. */
  typed: boolean;
}

export function QuickSwitcher({ mode, conversations, contacts, accounts, onOpen, onClose }: Props): ReactNode {
  const { t } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const usable = accounts.filter((a) => a.enabled);
  const choices = usable.length > 0 ? usable : accounts;
  const [accountId, setAccountId] = useState(choices[0]?.id ?? '');
  const labelled = accounts.length > 1;
  const jidOf = (account: string): string => accounts.find((a) => a.id === account)?.jid ?? account;

  const entries = useMemo(
    () =>
      mergeEntries(
        conversationKey,
        (conversations ?? []).map((c) => ({
          accountId: c.accountId,
          peer: c.peer,
          name: contacts.get(conversationKey(c))?.name ?? c.name,
        })),
        [...contacts.values()].map((c) => ({ accountId: c.accountId, peer: c.jid, name: c.name })),
      ),
    [conversations, contacts],
  );

  const options = useMemo((): Option[] => {
    const found = filterEntries(entries, query).map((e, i) => ({
      id: `${id}-o${String(i)}`,
      accountId: e.accountId,
      peer: e.peer,
      name: e.name,
      typed: false,
    }));
    const address = mode === 'new' ? typedAddress(query) : undefined;
    if (address === undefined || accountId === '') return found;
    const key = conversationKey({ accountId, peer: address });
    if (found.some((o) => conversationKey(o) === key)) return found;
    return [{ id: `${id}-typed`, accountId, peer: address, name: address, typed: true }, ...found];
  }, [entries, query, mode, accountId, id]);

  const current = options.length === 0 ? -1 : Math.min(active, options.length - 1);
  const choose = (o: Option | undefined): void => {
    if (o === undefined) return;
    onOpen(o.accountId, o.peer);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const last = options.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: current >= last ? 0 : current + 1,
      ArrowUp: current <= 0 ? last : current - 1,
    };
    if (e.ctrlKey || e.metaKey) {
      moves['Home'] = 0;
      moves['End'] = last;
    }
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      if (last >= 0) setActive(to);
      const el = document.getElementById(options[to]?.id ?? '');
      el?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(options[current]);
    }
  };

  const title = mode === 'new' ? t.newConversation : t.quickSwitcher;
  const label = mode === 'new' ? t.newConversationLabel : t.quickSwitcherLabel;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;

  return (
    <Dialog title={title} size="md" className="quick-switcher" onClose={onClose}>
      <div className="form">
        {mode === 'new' && labelled && (
          <div className="quick-switcher-account">
            <label htmlFor={`${id}-account`}>{t.newConversationAccount}</label>
            <AccountSelect id={`${id}-account`} accounts={choices} value={accountId} onChange={setAccountId} />
          </div>
        )}
        <label htmlFor={`${id}-q`}>{label}</label>
        <input
          id={`${id}-q`}
          type="text"
          role="combobox"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current >= 0 ? options[current]?.id : undefined}
          aria-describedby={hintId}
          placeholder={mode === 'new' ? t.addressPlaceholder : t.quickSwitcherPlaceholder}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={2047}
          value={query}
          data-autofocus
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <p id={hintId} className="hint">
          {mode === 'new' ? t.newConversationHint : t.quickSwitcherHint}
        </p>
        <ul id={listId} role="listbox" aria-label={t.quickSwitcherResults} className="quick-switcher-list">
          {options.map((o, i) => (
            <li
              key={o.id}
              id={o.id}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'quick-switcher-option active' : 'quick-switcher-option'}
              onMouseMove={() => {
                if (i !== current) setActive(i);
              }}
              onClick={() => {
                choose(o);
              }}
            >
              {o.typed ? (
                <span className="quick-switcher-name">{t.newConversationWith(o.peer)}</span>
              ) : (
                <>
                  <Avatar name={o.name} jid={o.peer} size="sm" />
                  <span className="quick-switcher-text">
                    <span className="quick-switcher-name">{o.name}</span>
                    {o.name !== o.peer && <span className="quick-switcher-address muted small">{o.peer}</span>}
                  </span>
                  {labelled && <AccountChip jid={jidOf(o.accountId)} />}
                </>
              )}
            </li>
          ))}
        </ul>
        <p className="muted small" role="status">
          {options.length === 0 ? t.quickSwitcherNone : t.matchCount(options.length)}
        </p>
      </div>
    </Dialog>
  );
}
