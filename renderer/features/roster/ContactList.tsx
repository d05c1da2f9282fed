/**
 * The "Contacts" list, Spark-style: contacts in collapsible roster groups (a contact in
 * several groups is listed in each; "Ungrouped" last), by presence then name; a filter box
 * (name or address, as you type); "Show offline contacts" (remembered; contacts with unread
 * messages show anyway, and the filter finds everyone); unread counts; the contact's picture,
 * else initials on its XEP-0392 colour (ContactAvatar). Each group's contacts
 * are a role="group" named by the group, after its header (a heading with a button,
 * aria-expanded); with several accounts, each one's groups sit under a heading, in a
 * role="group" named by its address. So every list item is still a contact named by its
 * display name. Groups collapsed while filtering open again when the filter is cleared.
 *
 * Virtualized, for rosters of thousands: rows have fixed heights (roster-model.ts), only the
 * rows in view (plus a margin) are in the DOM, with spacers for the rest. The list stays one
 * Tab stop: arrows, Page Up/Down, Home and End move between group headers and contacts
 * (Right/Left open and close a group; Left on a contact goes to its group), scrolling the
 * row into view; the row holding the Tab stop is always rendered, even when scrolled away.
 * Click or Enter opens the conversation in the contact's account.
 *
 * A group heading (not "Ungrouped") has a context menu (right click, the Menu key or
 * Shift+F10; also its pencil button, shown on hover) with "Rename group…". Contacts drag
 * between the groups of their account: a drop moves, with Ctrl or Alt held it copies (the
 * contact menu's "Move to group…" and "Copy to group…" are the keyboard's way).
 */
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type DragEvent,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type UIEvent,
} from 'react';
import { flushSync } from 'react-dom';
import type { AccountState, Contact } from '../../../preload/contract.ts';
import { errorText } from '../../app/client.ts';
import { useClient } from '../../app/core.ts';
import { activateOnKey } from '../../app/useRoving.ts';
import { Avatar, presenceClass, presenceText } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { statusText, toneOf } from '../accounts/status.ts';
import { conversationKey } from '../chat/useConversations.ts';
import { ContactAvatar } from '../roster-actions/ContactAvatar.tsx';
import { ContactMenu, RenameGroupDialog } from '../roster-actions/ContactMenu.tsx';
import { splitKey } from '../chat/useTabs.ts';
import {
  createRosterBuilder,
  flattenRoster,
  groupKey,
  groupsAfterDrop,
  moveFocus,
  parseCollapsed,
  ROW_HEIGHT,
  scrollToShow,
  searchText,
  serializeCollapsed,
  toggled,
  visibleRange,
  type RosterEntry,
  type RosterGroupModel,
  type RosterRow,
  type RosterRows,
} from './roster-model.ts';
import { GroupMenu } from './GroupMenu.tsx';
import type { RosterGroup } from './useRoster.ts';

interface Props {
  groups: readonly RosterGroup[] | undefined;
  accounts: ReadonlyMap<string, AccountState>;
  /** Several accounts: a heading above each one's contacts. */
  headings: boolean;
  /** Unread messages per account (shown in the headings). */
  unread?: ReadonlyMap<string, number>;
  /** Conversations by `conversationKey`: their unread counts go on the contacts. */
  conversations?: ReadonlyMap<string, { readonly unread?: number | undefined }>;
  selected: string | null;
  onOpen: (accountId: string, jid: string) => void;
}

/** Rendered beyond the viewport, above and below (CSS pixels). */
const OVERSCAN = 400;
const SHOW_OFFLINE_KEY = 'parley.roster.showOffline';
const COLLAPSED_KEY = 'parley.roster.collapsed';

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * The list's settings, read once when the app loads (opening the storage takes a few
 * milliseconds: not while a roster that just arrived waits to be shown), then kept here.
 */
const stored = new Map<string, string | null>(
  [SHOW_OFFLINE_KEY, COLLAPSED_KEY].map((key) => [key, readStored(key)] as const),
);

function writeStored(key: string, value: string): void {
  stored.set(key, value);
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage full or switched off: the setting lasts until the window closes.
  }
}

type ContactRowData = Extract<RosterRow, { kind: 'contact' }>;
type GroupRowData = Extract<RosterRow, { kind: 'group' }>;

/** The contact being dragged: its account, address, groups and the group it left from. */
interface Dragged {
  accountId: string;
  jid: string;
  groups: readonly string[];
  from: string;
}

/** Ctrl or Alt held while dropping: copy instead of move. */
const copying = (e: DragEvent): boolean => e.ctrlKey || e.altKey;

export function ContactList({ groups, accounts, headings, unread, conversations, selected, onOpen }: Props): ReactNode {
  const { t, compare } = useI18n();
  const client = useClient();
  const id = useId();
  const [query, setQuery] = useState('');
  const [showOffline, setShowOffline] = useState(() => stored.get(SHOW_OFFLINE_KEY) !== 'false');
  const [collapsed, setCollapsed] = useState(() => parseCollapsed(stored.get(COLLAPSED_KEY) ?? null));
  // While filtering, groups collapse on their own: clearing the filter brings back the usual ones.
  const [collapsedWhileFiltering, setCollapsedWhileFiltering] = useState<ReadonlySet<string>>(() => new Set());
  const [activeKey, setActiveKey] = useState<string | null>(null);
  // The list's height, once measured (after the first layout). Until then the window's, an
  // upper bound, so the first paint has no gap; and no margin: nothing has scrolled yet.
  const [measured, setHeight] = useState<number | null>(null);
  const height = measured ?? window.innerHeight;
  const overscan = measured === null ? 0 : OVERSCAN;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [groupMenu, setGroupMenu] = useState<{ group: RosterGroupModel; at: { x: number; y: number } } | null>(null);
  const [renaming, setRenaming] = useState<RosterGroupModel | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [dropError, setDropError] = useState<string | null>(null);
  const dragged = useRef<Dragged | null>(null);
  // The dragged row stays in the page while the list scrolls under the drag (or the drag ends).
  const [draggedKey, setDraggedKey] = useState<string | null>(null);

  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const topRef = useRef(0);
  const rangeRef = useRef({ start: 0, end: 0 });
  const rowsRef = useRef<RosterRows | null>(null);
  const pendingFocus = useRef<string | null>(null);
  const pendingScroll = useRef<number | null>(null);
  const focusedElement = useRef<HTMLElement | null>(null);

  const build = useMemo(() => createRosterBuilder(compare), [compare]);
  const model = useMemo(() => build(groups ?? []), [build, groups]);
  // While the page is idle, fold the text the filter looks in, so the first key typed is quick;
  // only after the next frame (the roster painted first: the wait for that frame is idle too).
  useEffect(() => {
    let pending: RosterEntry[] | null = null;
    let next = 0;
    let handle = 0;
    const work = (deadline: IdleDeadline): void => {
      pending ??= model.flatMap((a) => a.groups.flatMap((g) => g.members));
      while (next < pending.length && deadline.timeRemaining() > 1) {
        const entry = pending[next++];
        if (entry !== undefined) searchText(entry);
      }
      if (next < pending.length) handle = requestIdleCallback(work);
    };
    const frame = requestAnimationFrame(() => {
      handle = requestIdleCallback(work);
    });
    return () => {
      cancelAnimationFrame(frame);
      cancelIdleCallback(handle);
    };
  }, [model]);
  const unreadByAccount = useMemo(() => {
    const byAccount = new Map<string, Map<string, number>>();
    for (const [key, c] of conversations ?? []) {
      if (c.unread === undefined || c.unread <= 0) continue;
      const { accountId, peer } = splitKey(key);
      let peers = byAccount.get(accountId);
      if (peers === undefined) byAccount.set(accountId, (peers = new Map<string, number>()));
      peers.set(peer, c.unread);
    }
    return byAccount;
  }, [conversations]);
  const unreadOf = useCallback((c: Contact) => unreadByAccount.get(c.accountId)?.get(c.jid) ?? 0, [unreadByAccount]);
  const filtering = query.trim() !== '';
  const rows = useMemo(
    () =>
      flattenRoster(model, {
        query,
        showOffline,
        collapsed: filtering ? collapsedWhileFiltering : collapsed,
        headings,
        unreadOf,
      }),
    [model, query, showOffline, filtering, collapsedWhileFiltering, collapsed, headings, unreadOf],
  );
  rowsRef.current = rows;
  const total = model.reduce((n, a) => n + a.total, 0);

  // The Tab stop: the row last focused, else the open conversation's contact, else the first one.
  const tabStop = useMemo(() => {
    const active = activeKey === null ? -1 : rows.indexOfKey(activeKey);
    if (active >= 0) return active;
    if (selected !== null) {
      const { accountId, peer } = splitKey(selected);
      const at = rows.indexOfContact(accountId, peer);
      if (at >= 0) return at;
    }
    return moveFocus(rows, -1, 'Home') ?? -1;
  }, [rows, activeKey, selected]);

  const range = visibleRange(rows, topRef.current, height, overscan);
  rangeRef.current = range;

  useLayoutEffect(() => {
    const scroller = scrollRef.current;
    if (scroller === null) return undefined;
    // Measured after layout (no layout forced here, in the middle of the first render). The
    // first measurement is taken once the first frame is painted (the window's height serves
    // until then, and nothing has scrolled yet): its render is not the first paint's work.
    let first: number | undefined;
    const observer = new ResizeObserver(() => {
      if (first !== undefined) setHeight(scroller.clientHeight);
      else
        first = window.setTimeout(() => {
          setHeight(scroller.clientHeight);
        }, 0);
    });
    observer.observe(scroller);
    return () => {
      window.clearTimeout(first);
      observer.disconnect();
    };
  }, []);

  // After each render: scroll to and focus the row a key moved to; or, when a render took the
  // focused element away (its row left the list: filtered out, gone offline), put focus on
  // the Tab stop rather than losing it to the page.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list === null) return;
    const scroller = scrollRef.current;
    if (pendingScroll.current !== null && scroller !== null) scroller.scrollTop = pendingScroll.current;
    pendingScroll.current = null;
    const key = pendingFocus.current;
    const lost =
      focusedElement.current !== null &&
      !focusedElement.current.isConnected &&
      (document.activeElement === null || document.activeElement === document.body);
    if (key === null && !lost) return;
    pendingFocus.current = null;
    const found = key === null ? -1 : rows.indexOfKey(key);
    const index = found >= 0 ? found : tabStop;
    list.querySelector<HTMLElement>(`[data-index="${String(index)}"]`)?.focus({ preventScroll: true });
  });

  const onScroll = (e: UIEvent<HTMLDivElement>): void => {
    const top = e.currentTarget.scrollTop;
    topRef.current = top;
    const next = rowsRef.current === null ? rangeRef.current : visibleRange(rowsRef.current, top, height, overscan);
    // Render the new rows before this frame is painted, so fast scrolling shows no gaps.
    if (next.start !== rangeRef.current.start || next.end !== rangeRef.current.end) flushSync(rerender);
  };

  const scrollTo = (top: number): void => {
    const scroller = scrollRef.current;
    topRef.current = top;
    if (scroller !== null && scroller.scrollTop !== top) scroller.scrollTop = top;
  };

  const focusRow = (index: number): void => {
    if (index < 0 || index >= rows.count) return;
    const row = rows.row(index);
    // Rendered for the new position first, scrolled there once the rows are in (layout effect).
    topRef.current = scrollToShow(rows, index, scrollRef.current?.scrollTop ?? topRef.current, height);
    pendingScroll.current = topRef.current;
    pendingFocus.current = row.key;
    setActiveKey(row.key);
    rerender();
  };

  const toggleGroup = useCallback(
    (groupId: string) => {
      if (filtering) {
        setCollapsedWhileFiltering((set) => toggled(set, groupId));
        return;
      }
      setCollapsed((set) => {
        const next = toggled(set, groupId);
        writeStored(COLLAPSED_KEY, serializeCollapsed(next));
        return next;
      });
    },
    [filtering],
  );

  const onListKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const from = Number((e.target as HTMLElement).closest('[data-index]')?.getAttribute('data-index') ?? tabStop);
    const row = from >= 0 && from < rows.count ? rows.row(from) : undefined;
    if (row?.kind === 'group' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      if (row.expanded === (e.key === 'ArrowLeft')) toggleGroup(row.group.id);
      return;
    }
    if (row?.kind === 'contact' && e.key === 'ArrowLeft') {
      e.preventDefault();
      let header = from - 1;
      while (header >= 0 && rows.kind(header) !== 'group') header--;
      if (header >= 0) focusRow(header);
      return;
    }
    const to = moveFocus(rows, from, e.key, Math.max(1, Math.floor(height / ROW_HEIGHT.contact) - 1));
    if (to === null) return;
    e.preventDefault();
    focusRow(to);
  };

  const onFocusRow = useCallback((key: string) => {
    setActiveKey(key);
  }, []);

  const onGroupMenu = useCallback((group: RosterGroupModel, at: { x: number; y: number }) => {
    setGroupMenu({ group, at });
  }, []);
  const onRenameGroup = useCallback((group: RosterGroupModel) => {
    setGroupMenu(null);
    setRenaming(group);
  }, []);
  const dismissGroupMenu = (refocus: boolean): void => {
    const group = groupMenu?.group;
    setGroupMenu(null);
    if (refocus && group !== undefined) {
      const at = rows.indexOfKey(groupKey(group.id));
      if (at >= 0) focusRow(at);
    }
  };

  const onDragContact = useCallback((row: ContactRowData | null) => {
    dragged.current =
      row === null
        ? null
        : {
            accountId: row.entry.contact.accountId,
            jid: row.entry.contact.jid,
            groups: row.entry.contact.groups,
            from: row.group.name,
          };
    setDraggedKey(row?.key ?? null);
    if (row === null) setDropTarget(null);
    else setDropError(null);
  }, []);
  /** The groups the dragged contact would have if dropped on `g` now, or undefined: no drop here. */
  const dropResult = (g: RosterGroupModel, e: DragEvent): string[] | undefined => {
    const d = dragged.current;
    if (d?.accountId !== g.accountId) return undefined;
    return groupsAfterDrop(d.groups, d.from, g.name, copying(e));
  };
  const dropHandlers = (g: RosterGroupModel) => ({
    onDragOver: (e: DragEvent<HTMLLIElement>) => {
      if (dropResult(g, e) === undefined) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = copying(e) ? 'copy' : 'move';
      if (dropTarget !== g.id) setDropTarget(g.id);
    },
    onDragLeave: (e: DragEvent<HTMLLIElement>) => {
      if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
      setDropTarget((current) => (current === g.id ? null : current));
    },
    onDrop: (e: DragEvent<HTMLLIElement>) => {
      const next = dropResult(g, e);
      const d = dragged.current;
      setDropTarget(null);
      if (next === undefined || d === null) return;
      e.preventDefault();
      // (The dragged row may leave the page with the change: no dragend for it then.)
      dragged.current = null;
      setDraggedKey(null);
      client.call('roster.update', { accountId: d.accountId, jid: d.jid, groups: next }).then(
        () => undefined,
        (err: unknown) => {
          setDropError(errorText(err, t));
        },
      );
    },
  });

  const onListFocus = (e: FocusEvent<HTMLUListElement>): void => {
    focusedElement.current = e.target;
  };

  const onListBlur = (e: FocusEvent<HTMLUListElement>): void => {
    const target = e.target;
    if (e.relatedTarget !== null && !e.currentTarget.contains(e.relatedTarget)) {
      focusedElement.current = null;
      return;
    }
    // Focus went nowhere: a click elsewhere (the element stays), or the element was removed.
    queueMicrotask(() => {
      if (target.isConnected && focusedElement.current === target && document.activeElement !== target)
        focusedElement.current = null;
    });
  };

  const onFilterChange = (value: string): void => {
    if (!filtering && value.trim() !== '') setCollapsedWhileFiltering(new Set());
    setQuery(value);
    scrollTo(0);
  };

  const onFilterKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape' && query !== '') {
      e.preventDefault();
      onFilterChange('');
    } else if (e.key === 'ArrowDown') {
      // To the first result, as from a search field.
      const first = moveFocus(rows, -1, 'Home');
      if (first === null) return;
      e.preventDefault();
      focusRow(first);
    }
  };

  // The rows to render: the visible range, plus the Tab stop wherever it is (kept in the page
  // while scrolled away). Each account and each group has one wrapper, keyed by its id, holding
  // whichever of its rows are rendered (spacers between them): a row never changes parent while
  // the list scrolls, so the focused one is never taken out of the page and put back.
  const kept = [tabStop, draggedKey === null ? -1 : rows.indexOfKey(draggedKey)];
  const indices: number[] = [];
  for (const i of new Set(kept.filter((i) => i >= 0 && i < range.start).sort((a, b) => a - b))) indices.push(i);
  for (let i = range.start; i < range.end; i++) indices.push(i);
  for (const i of new Set(kept.filter((i) => i >= range.end).sort((a, b) => a - b))) indices.push(i);

  const body: ReactNode[] = [];
  let account: { id: string; heading: boolean; children: ReactNode[] } | null = null;
  let group: { model: RosterGroupModel; header: GroupRowData | null; index: number; contacts: ReactNode[] } | null =
    null;
  const closeGroup = (): void => {
    if (group === null) return;
    const { model: g, header, index, contacts } = group;
    (account?.children ?? body).push(
      <li
        key={g.id}
        role="none"
        className={dropTarget === g.id ? 'roster-group drop-target' : 'roster-group'}
        {...dropHandlers(g)}
      >
        {header !== null && (
          <GroupHeader
            row={header}
            index={index}
            level={headings ? 4 : 3}
            tabStop={index === tabStop}
            onToggle={toggleGroup}
            onFocusRow={onFocusRow}
            onMenu={onGroupMenu}
            onRename={onRenameGroup}
          />
        )}
        {contacts.length > 0 && (
          <ul role="group" aria-label={groupName(g, t.ungrouped)} className="items">
            {contacts}
          </ul>
        )}
      </li>,
    );
    group = null;
  };
  const closeAccount = (): void => {
    closeGroup();
    if (account === null) return;
    const { id: accountId, heading, children } = account;
    const state = accounts.get(accountId);
    const jid = state?.jid ?? accountId;
    const unreadCount = unread?.get(accountId) ?? 0;
    body.push(
      <li key={accountId} role="none" className="roster-account">
        {heading && (
          <h3 className="roster-account-heading">
            <span
              className={`status-dot status-${state === undefined ? 'offline' : toneOf(state)}`}
              title={state === undefined ? undefined : statusText(state, t, Date.now())}
              aria-hidden="true"
            />
            <span className="group-jid">{jid}</span>
            {unreadCount > 0 && (
              <span className="badge" title={t.unreadCount(unreadCount)}>
                <span aria-hidden="true">{unreadCount}</span>
                <span className="visually-hidden">{t.unreadCount(unreadCount)}</span>
              </span>
            )}
          </h3>
        )}
        <ul role="group" aria-label={jid} className="items">
          {children}
        </ul>
      </li>,
    );
    account = null;
  };

  let bottom = 0;
  for (const index of indices) {
    const row = rows.row(index);
    const accountId = row.kind === 'account' || row.kind === 'empty' ? row.accountId : row.group.accountId;
    const rowGroup = row.kind === 'contact' ? row.group : null;
    // Close what this row is not in; a gap before it goes in the innermost wrapper left open.
    if (headings && account !== null && account.id !== accountId) closeAccount();
    if (group !== null && group.model !== rowGroup) closeGroup();
    const gap = rows.top(index) - bottom;
    if (gap > 0) {
      const spacer = <Spacer key={`gap\u0000${row.key}`} height={gap} />;
      (group?.contacts ?? account?.children ?? body).push(spacer);
    }
    bottom = rows.top(index + 1);
    if (headings && account === null) account = { id: accountId, heading: row.kind === 'account', children: [] };
    if (row.kind === 'account') continue;
    if (row.kind === 'empty') {
      (account?.children ?? body).push(
        <li key={row.key} role="none" className="roster-empty">
          {t.noContacts}
        </li>,
      );
      continue;
    }
    if (row.kind === 'group') {
      group = { model: row.group, header: row, index, contacts: [] };
      continue;
    }
    group ??= { model: row.group, header: null, index: -1, contacts: [] };
    const c = row.entry.contact;
    group.contacts.push(
      <ContactItem
        key={row.key}
        row={row}
        index={index}
        accountJid={headings ? (accounts.get(c.accountId)?.jid ?? c.accountId) : undefined}
        current={conversationKey({ accountId: c.accountId, peer: c.jid }) === selected}
        tabStop={index === tabStop}
        onOpen={onOpen}
        onFocusRow={onFocusRow}
        onDrag={onDragContact}
      />,
    );
  }
  closeAccount();
  closeGroup();
  const rest = rows.height - bottom;
  if (rest > 0) body.push(<Spacer key="end" height={rest} />);

  const trimmed = query.trim();
  return (
    <section className="side-section roster">
      <h2 className="side-heading">
        {t.contacts}
        {total > 0 && <span className="count">{total}</span>}
      </h2>
      {groups !== undefined && total > 0 && (
        <div className="roster-tools">
          <label htmlFor={`${id}-filter`} className="visually-hidden">
            {t.filterContacts}
          </label>
          <input
            id={`${id}-filter`}
            className="roster-filter"
            type="search"
            value={query}
            placeholder={t.filterContactsPlaceholder}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              onFilterChange(e.target.value);
            }}
            onKeyDown={onFilterKeyDown}
          />
          <label className="switch roster-offline">
            <input
              type="checkbox"
              checked={showOffline}
              onChange={(e) => {
                setShowOffline(e.target.checked);
                writeStored(SHOW_OFFLINE_KEY, String(e.target.checked));
              }}
            />
            <span className="switch-track" aria-hidden="true" />
            <span>{t.showOfflineContacts}</span>
          </label>
        </div>
      )}
      <p role="status" className="visually-hidden">
        {filtering ? t.contactsFound(rows.matches) : ''}
      </p>
      {dropError !== null && (
        <p role="alert" className="form-error roster-error">
          {dropError}
        </p>
      )}
      <div ref={scrollRef} className="roster-scroll" onScroll={onScroll}>
        <ul
          ref={listRef}
          aria-label={t.contacts}
          className="items roster-list"
          onKeyDown={onListKeyDown}
          onFocus={onListFocus}
          onBlur={onListBlur}
        >
          {body}
        </ul>
        {groups === undefined && <p className="side-empty">{t.loading}</p>}
        {groups !== undefined && total === 0 && !headings && <p className="side-empty">{t.noContacts}</p>}
        {rows.count === 0 && filtering && <p className="side-empty">{t.noContactsMatch(trimmed)}</p>}
        {rows.count === 0 && !filtering && total > 0 && <p className="side-empty">{t.nobodyOnline}</p>}
      </div>
      {groupMenu !== null && (
        <GroupMenu
          name={groupMenu.group.name}
          at={groupMenu.at}
          onRename={() => {
            onRenameGroup(groupMenu.group);
          }}
          onDismiss={dismissGroupMenu}
        />
      )}
      {renaming !== null && (
        <RenameGroupDialog
          accountId={renaming.accountId}
          group={renaming.name}
          onClose={() => {
            setRenaming(null);
          }}
        />
      )}
    </section>
  );
}

const groupName = (group: RosterGroupModel, ungrouped: string): string => (group.ungrouped ? ungrouped : group.name);

function Spacer({ height }: { height: number }): ReactNode {
  // Heights go through the CSSOM (the CSP allows no style attributes).
  const set = useCallback(
    (el: HTMLLIElement | null) => {
      if (el !== null) el.style.height = `${String(height)}px`;
    },
    [height],
  );
  return <li ref={set} role="none" aria-hidden="true" className="roster-spacer" />;
}

interface GroupHeaderProps {
  row: GroupRowData;
  index: number;
  level: 3 | 4;
  tabStop: boolean;
  onToggle: (groupId: string) => void;
  onFocusRow: (key: string) => void;
  /** The group's context menu, at this point (not for "Ungrouped"). */
  onMenu: (group: RosterGroupModel, at: { x: number; y: number }) => void;
  onRename: (group: RosterGroupModel) => void;
}

const GroupHeader = memo(function GroupHeader({
  row,
  index,
  level,
  tabStop,
  onToggle,
  onFocusRow,
  onMenu,
  onRename,
}: GroupHeaderProps): ReactNode {
  const { t } = useI18n();
  const { group, expanded } = row;
  const name = groupName(group, t.ungrouped);
  const Heading = level === 3 ? 'h3' : 'h4';
  const renamable = !group.ungrouped;
  const onContextMenu = (e: MouseEvent<HTMLElement>): void => {
    if (!renamable) return;
    e.preventDefault();
    onMenu(group, { x: e.clientX, y: e.clientY });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>): void => {
    if (!renamable) return;
    if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
      e.preventDefault();
      e.stopPropagation();
      const box = e.currentTarget.getBoundingClientRect();
      onMenu(group, { x: box.left + 24, y: box.bottom });
    } else if (e.key === 'F2') {
      e.preventDefault();
      e.stopPropagation();
      onRename(group);
    }
  };
  return (
    <Heading className="roster-group-heading" onContextMenu={onContextMenu}>
      <button
        type="button"
        className="roster-group-toggle"
        data-index={index}
        tabIndex={tabStop ? 0 : -1}
        aria-expanded={expanded}
        aria-label={t.groupSummary(name, group.online, group.members.length)}
        onFocus={() => {
          onFocusRow(row.key);
        }}
        onClick={() => {
          onToggle(group.id);
        }}
        onKeyDown={onKeyDown}
      >
        <svg className="roster-chevron" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
          <path d="M6 3.5l4.5 4.5L6 12.5" />
        </svg>
        <span className="roster-group-name">{name}</span>
        <span className="roster-group-count">{t.groupCount(group.online, group.members.length)}</span>
      </button>
      {renamable && (
        // For the mouse (the keyboard has F2 and the context menu): the list stays one Tab stop.
        <button
          type="button"
          className="icon-button roster-group-rename"
          tabIndex={-1}
          aria-label={t.renameGroupOf(name)}
          title={t.renameGroupOf(name)}
          onClick={() => {
            onRename(group);
          }}
        >
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false">
            <path d="M10.5 2.5l3 3L6 13H3v-3z" />
          </svg>
        </button>
      )}
    </Heading>
  );
});

interface ItemProps {
  row: ContactRowData;
  index: number;
  /** Several accounts: the account it belongs to, for screen readers. */
  accountJid: string | undefined;
  current: boolean;
  tabStop: boolean;
  onOpen: (accountId: string, jid: string) => void;
  onFocusRow: (key: string) => void;
  /** A drag of this row starts (the row) or ends (null). */
  onDrag: (row: ContactRowData | null) => void;
}

const ContactItem = memo(function ContactItem({
  row,
  index,
  accountJid,
  current,
  tabStop,
  onOpen,
  onFocusRow,
  onDrag,
}: ItemProps): ReactNode {
  const { t } = useI18n();
  const c = row.entry.contact;
  const presence = presenceText(c.show, t);
  const hasStatus = c.status !== undefined && c.status !== '';
  const description = [
    row.unread > 0 ? t.unreadCount(row.unread) : '',
    c.jid,
    presence,
    c.status,
    accountJid === undefined ? '' : t.viaAccount(accountJid),
  ]
    .filter(Boolean)
    .join(', ');
  const open = (): void => {
    onOpen(c.accountId, c.jid);
  };
  // The context menu (right click, the Menu key or Shift+F10): Rename, Remove, Block, View profile, groups.
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  // Mounted from the first time it opens on (its dialogs outlive the menu): not for every row.
  const [menuUsed, setMenuUsed] = useState(false);
  const openMenu = (at: { x: number; y: number }): void => {
    setMenuUsed(true);
    setMenuAt(at);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>): void => {
    if (e.target === e.currentTarget && (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) {
      e.preventDefault();
      e.stopPropagation();
      const box = e.currentTarget.getBoundingClientRect();
      openMenu({ x: box.left + 24, y: box.top + box.height / 2 });
      return;
    }
    activateOnKey(open)(e);
  };
  return (
    <li
      data-index={index}
      aria-label={c.name}
      aria-description={description}
      aria-current={current ? 'true' : undefined}
      aria-posinset={row.position}
      aria-setsize={row.size}
      className={row.unread > 0 ? 'item roster-contact has-unread' : 'item roster-contact'}
      tabIndex={tabStop ? 0 : -1}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'copyMove';
        e.dataTransfer.setData('text/plain', c.jid);
        onDrag(row);
      }}
      onDragEnd={() => {
        onDrag(null);
      }}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onFocusRow(row.key);
      }}
      onClick={open}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => {
        e.preventDefault();
        openMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      {menuUsed && (
        // Its clicks and keys are its own, not the row's (which opens the conversation).
        <span
          className="contact-menu-host"
          onClick={(e) => {
            e.stopPropagation();
          }}
          onKeyDown={(e) => {
            e.stopPropagation();
          }}
          onContextMenu={(e) => {
            e.stopPropagation();
          }}
        >
          <ContactMenu
            contact={c}
            groups={c.groups}
            at={menuAt}
            onDismiss={() => {
              setMenuAt(null);
            }}
          />
        </span>
      )}
      {c.avatar === undefined ? (
        <Avatar name={c.name} jid={c.jid} show={c.show} />
      ) : (
        <ContactAvatar name={c.name} jid={c.jid} hash={c.avatar} show={c.show} />
      )}
      <span className="item-text">
        <span className="item-row">
          <span className="item-name">{c.name}</span>
          {row.unread > 0 && (
            <span className="badge" title={t.unreadCount(row.unread)}>
              <span aria-hidden="true">{row.unread}</span>
              <span className="visually-hidden">{t.unreadCount(row.unread)}</span>
            </span>
          )}
          <span className={`presence presence-${presenceClass(c.show)}`}>{presence}</span>
        </span>
        <span className="item-sub">{hasStatus ? `${c.jid} · ${c.status ?? ''}` : c.jid}</span>
      </span>
    </li>
  );
});
