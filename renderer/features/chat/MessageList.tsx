/**
 * The "Messages" list, oldest at the top, virtualized: only the messages in
 * view (and some overscan) are in the DOM; spacers stand in for the rest.
 * Row heights vary: each rendered row is measured (on render, and by a
 * ResizeObserver when it changes later) and unmeasured rows are estimated.
 *
 * Scrolling: new messages scroll into view only if the reader was already at
 * the bottom; anything else (an older page prepended, a row above the view
 * measured) keeps the topmost visible message where it was on screen.
 * Scrolling near the top loads older pages. On opening, "New messages" marks
 * the first unread message and the view starts there.
 *
 * Keyboard: the list is one Tab stop (a message); Up/Down/Home/End move between
 * messages, Tab reaches the focused message's actions.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { Message } from '../../../preload/contract.ts';
import { Icons, Spinner } from '../../app/ui.tsx';
import { useI18n } from '../../i18n/index.ts';
import { MessageItem, type MessageActions } from './MessageItem.tsx';
import { indexOfId } from './useMessages.ts';

const NEAR = 48; // px: "at the bottom" tolerance
const ESTIMATE = 72; // px: a row not measured yet
const OVERSCAN = 800; // px rendered above and below the view
const GROUP_MS = 5 * 60_000;
/** How much of a message must be in view for it to count as seen. */
const SEEN_PX = 40;

interface Props {
  /** The contact's display name. */
  peerName: string;
  messages: readonly Message[] | undefined;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Load older pages until this message is there. */
  onLoadUntil: (id: number) => Promise<boolean>;
  /** Bumped when the user sends: always scroll to the bottom then. */
  stickToken: number;
  /** The read mark as the conversation opened: "New messages" goes above the first message after it. */
  unreadAfter: number | null;
  /** Our newest message (the one "Edit" is offered on). */
  editableId: number | undefined;
  retrying: ReadonlySet<number>;
  /** The newest message at least partly in view, after every scroll and change. */
  onSeen: (id: number) => void;
  /** A quoted message could not be found. */
  onJumpFailed: () => void;
  /** Scroll to this message (loading older pages as needed) whenever `token` changes: a search result. */
  jumpRequest?: { id: number; token: number } | undefined;
  actions: Omit<MessageActions, 'jumpTo'>;
}

interface Layout {
  list: readonly Message[];
  /** Height of each row (measured or estimated). */
  sizes: Float64Array;
  /** offsets[i]: top of row i from the top of the first row; offsets[n]: the total. */
  offsets: Float64Array;
}

function sumFrom(layout: Layout, from: number): void {
  const { sizes, offsets } = layout;
  for (let i = from; i < sizes.length; i++) offsets[i + 1] = (offsets[i] ?? 0) + (sizes[i] ?? 0);
}

/** The first row whose bottom is below y. */
function rowAt(offsets: Float64Array, n: number, y: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) > y) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first message with an id above `id`. */
function firstAfter(list: readonly Message[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.id ?? 0) > id) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const sameRange = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  a[0] === b[0] && a[1] === b[1];

export function MessageList({
  peerName,
  messages,
  hasMore,
  loadingOlder,
  onLoadOlder,
  onLoadUntil,
  stickToken,
  unreadAfter,
  editableId,
  retrying,
  onSeen,
  onJumpFailed,
  actions,
  jumpRequest,
}: Props): ReactNode {
  const { t, day } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const topSpacer = useRef<HTMLDivElement>(null);
  const bottomSpacer = useRef<HTMLDivElement>(null);
  const sizeById = useRef(new Map<number, number>());
  /** Rows whose height changed since they were measured (seen by the ResizeObserver). */
  const resized = useRef(new Set<number>());
  const elements = useRef(new Map<number, HTMLLIElement>());
  const [range, setRange] = useState<readonly [number, number]>([0, 0]);
  const [, setTick] = useState(0);
  const [showLatest, setShowLatest] = useState(false);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [flashId, setFlashId] = useState<number | null>(null);
  const atBottom = useRef(true);
  /** The topmost visible message and its distance below the top of the view. */
  const anchor = useRef<{ id: number; delta: number } | null>(null);
  /** A message to bring into view (the first unread, a quoted one), then maybe focus. */
  const jump = useRef<{ id: number; focus: boolean } | null>(null);
  const focusRequest = useRef<number | null>(null);
  const started = useRef(false);
  const seenReported = useRef(0);
  const passes = useRef(0);
  const olderFor = useRef<number | undefined>(undefined);

  const list = useMemo(() => messages ?? [], [messages]);
  const n = list.length;
  const layout = useMemo<Layout>(() => {
    const sizes = new Float64Array(n);
    const known = sizeById.current;
    let sum = 0;
    let count = 0;
    for (const size of known.values()) {
      sum += size;
      count += 1;
    }
    const estimate = count > 0 ? sum / count : ESTIMATE;
    for (let i = 0; i < n; i++) sizes[i] = known.get(list[i]?.id ?? 0) ?? estimate;
    const next = { list, sizes, offsets: new Float64Array(n + 1) };
    sumFrom(next, 0);
    return next;
  }, [list, n]);

  const unreadIndex = unreadAfter === null ? -1 : firstAfter(list, unreadAfter);
  const unreadId = unreadIndex >= 0 ? list[unreadIndex]?.id : undefined;
  const start = Math.min(range[0], n);
  const end = Math.min(Math.max(range[1], start), n);

  /** Where the list starts inside the scrolled content (below the "beginning" line). */
  const listTop = (): number => topSpacer.current?.offsetTop ?? 0;

  const rangeFor = (el: HTMLDivElement): readonly [number, number] => {
    const top = el.scrollTop - listTop();
    const from = rowAt(layout.offsets, n, top - OVERSCAN);
    const to = Math.min(n, rowAt(layout.offsets, n, top + el.clientHeight + OVERSCAN) + 1);
    return [from, Math.max(from, to)];
  };

  const record = (el: HTMLDivElement): void => {
    const top = el.scrollTop - listTop();
    const i = rowAt(layout.offsets, n, top);
    const m = list[i];
    anchor.current = m === undefined ? null : { id: m.id, delta: (layout.offsets[i] ?? 0) - top };
    // The newest message with enough of it in view.
    const bottom = top + el.clientHeight;
    let j = Math.min(n - 1, rowAt(layout.offsets, n, bottom));
    while (j >= 0 && (layout.offsets[j] ?? 0) + Math.min(layout.sizes[j] ?? 0, SEEN_PX) > bottom) j--;
    const seen = list[j]?.id;
    if (seen !== undefined && seen !== seenReported.current) {
      seenReported.current = seen;
      onSeen(seen);
    }
  };

  /** Near the top: the next older page (once per oldest message: a render may ask again before it lands). */
  const maybeLoadOlder = (el: HTMLDivElement): void => {
    const first = list[0]?.id;
    if (!hasMore || loadingOlder || first === undefined || olderFor.current === first) return;
    if (el.scrollTop - listTop() >= Math.max(el.clientHeight, 400)) return;
    olderFor.current = first;
    onLoadOlder();
  };

  const onScroll = (): void => {
    const el = scroller.current;
    if (el === null) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR;
    setShowLatest(!atBottom.current);
    record(el);
    const next = rangeFor(el);
    if (!sameRange(next, [start, end])) setRange(next);
    maybeLoadOlder(el);
  };

  // After every render: measure what is rendered, size the spacers, put the scroll
  // position where it belongs, and render another range if the view needs one.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || messages === undefined) return;
    let from = Infinity;
    // Only rows not measured yet, or that the ResizeObserver saw change: reading every
    // rendered row's height on every pass forces layout work that scrolling cannot afford.
    const dirty = resized.current;
    for (const [id, li] of elements.current) {
      if (sizeById.current.has(id) && !dirty.has(id)) continue;
      const h = li.offsetHeight;
      if (h === 0 || sizeById.current.get(id) === h) continue;
      sizeById.current.set(id, h);
      const i = indexOfId(list, id);
      if (i === -1) continue;
      layout.sizes[i] = h;
      from = Math.min(from, i);
    }
    dirty.clear();
    if (from !== Infinity) sumFrom(layout, from);
    const top = topSpacer.current;
    const bottom = bottomSpacer.current;
    if (top !== null) top.style.height = `${String(layout.offsets[start] ?? 0)}px`;
    if (bottom !== null) bottom.style.height = `${String((layout.offsets[n] ?? 0) - (layout.offsets[end] ?? 0))}px`;

    if (!started.current && n > 0) {
      started.current = true;
      if (unreadId !== undefined) jump.current = { id: unreadId, focus: false };
    }
    const base = listTop();
    const target = jump.current;
    const targetIndex = target === null ? -1 : indexOfId(list, target.id);
    if (target !== null && targetIndex !== -1) {
      // A quarter of the view above it, for context.
      const want = base + (layout.offsets[targetIndex] ?? 0) - Math.min(el.clientHeight / 4, 120);
      el.scrollTop = want;
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR;
      anchor.current = { id: target.id, delta: (layout.offsets[targetIndex] ?? 0) - (el.scrollTop - base) };
      if (target.focus) focusRequest.current = target.id;
      jump.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    } else if (anchor.current !== null) {
      const i = indexOfId(list, anchor.current.id);
      if (i !== -1) {
        const want = base + (layout.offsets[i] ?? 0) - anchor.current.delta;
        if (Math.abs(el.scrollTop - want) >= 1) el.scrollTop = want;
      }
    }

    const next = rangeFor(el);
    if (!sameRange(next, [start, end]) && passes.current < 20) {
      passes.current += 1;
      setRange(next); // renders again before the paint
      return;
    }
    passes.current = 0;
    const focus = focusRequest.current;
    const li = focus === null ? undefined : elements.current.get(focus);
    if (focus !== null && li !== undefined) {
      focusRequest.current = null;
      li.focus({ preventScroll: true });
      li.scrollIntoView({ block: 'nearest' });
    }
    record(el);
    maybeLoadOlder(el);
  });

  // Sending scrolls to the bottom.
  useLayoutEffect(() => {
    if (stickToken === 0) return;
    atBottom.current = true;
    setShowLatest(false);
    setTick((x) => x + 1);
  }, [stickToken]);

  // Rows and the view change size without a render (a narrower window, a font loaded).
  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const e of entries) {
          if (e.target === scroller.current) {
            changed = true;
            continue;
          }
          const id = Number((e.target as HTMLElement).dataset['id']);
          const h = (e.target as HTMLElement).offsetHeight;
          if (h > 0 && sizeById.current.get(id) !== h) {
            resized.current.add(id);
            changed = true;
          }
        }
        if (changed) setTick((x) => x + 1);
      }),
    [],
  );
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el !== null) observer.observe(el);
    // Rows registered before this runs (and again after StrictMode's rehearsal of an unmount).
    for (const li of elements.current.values()) observer.observe(li);
    return () => {
      observer.disconnect();
    };
  }, [observer]);

  const register = useCallback(
    (id: number, li: HTMLLIElement | null) => {
      const old = elements.current.get(id);
      if (old !== undefined && old !== li) observer.unobserve(old);
      if (li === null) elements.current.delete(id);
      else {
        elements.current.set(id, li);
        observer.observe(li);
      }
    },
    [observer],
  );

  const flashTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const listRef = useRef(list);
  listRef.current = list;
  const jumpTo = useCallback(
    (id: number) => {
      void (async () => {
        if (indexOfId(listRef.current, id) === -1 && !(await onLoadUntil(id).catch(() => false))) {
          onJumpFailed();
          return;
        }
        jump.current = { id, focus: true };
        setFlashId(id);
        clearTimeout(flashTimer.current);
        flashTimer.current = setTimeout(() => {
          setFlashId(null);
        }, 1600);
        setTick((x) => x + 1);
      })();
    },
    [onLoadUntil, onJumpFailed],
  );
  const allActions = useMemo<MessageActions>(() => ({ ...actions, jumpTo }), [actions, jumpTo]);
  const requested = jumpRequest?.token;
  const requestedId = jumpRequest?.id;
  const handled = useRef<number | undefined>(undefined);
  const loaded = list.length > 0;
  useEffect(() => {
    // Once per request (token), once the first page is here (jumpTo pages back from it).
    if (requestedId === undefined || !loaded || handled.current === requested) return;
    handled.current = requested;
    jumpTo(requestedId);
  }, [requested, requestedId, loaded, jumpTo]);

  const onFocusItem = useCallback((id: number) => {
    setActiveId(id);
  }, []);

  // One Tab stop: the message last focused, else the newest one in view.
  const seenIndex = seenReported.current === 0 ? n - 1 : indexOfId(list, seenReported.current);
  const activeIndex = activeId === null ? -1 : indexOfId(list, activeId);
  const tabIndexRow =
    activeIndex >= start && activeIndex < end ? activeIndex : Math.min(Math.max(seenIndex, start), end - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const li = e.target as HTMLElement;
    if (li.tagName !== 'LI' || li.dataset['id'] === undefined) return;
    const i = indexOfId(list, Number(li.dataset['id']));
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ESTIMATE));
    const moves: Record<string, number> = {
      ArrowUp: i - 1,
      ArrowDown: i + 1,
      PageUp: i - page,
      PageDown: i + page,
      Home: 0,
      End: n - 1,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const m = list[Math.max(0, Math.min(n - 1, to))];
    if (m === undefined) return;
    setActiveId(m.id);
    const el = elements.current.get(m.id);
    if (el !== undefined) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest' });
    } else {
      jump.current = { id: m.id, focus: true };
      atBottom.current = false;
      setTick((x) => x + 1);
    }
    if (to <= 0 && hasMore) onLoadOlder();
  };

  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const m = list[i];
    if (m === undefined) continue;
    const prev = list[i - 1];
    const sameDay =
      prev !== undefined && new Date(prev.timestamp).toDateString() === new Date(m.timestamp).toDateString();
    const dayLabel = sameDay ? null : day(m.timestamp);
    rows.push(
      <MessageItem
        key={m.id}
        message={m}
        peerName={peerName}
        grouped={prev?.direction === m.direction && m.timestamp - prev.timestamp < GROUP_MS}
        dayLabel={dayLabel}
        unreadMark={m.id === unreadId}
        canEdit={m.id === editableId}
        tabbable={i === tabIndexRow}
        flash={m.id === flashId}
        retrying={retrying.has(m.id)}
        position={i + 1}
        setSize={hasMore ? -1 : n}
        actions={allActions}
        register={register}
        onFocusItem={onFocusItem}
      />,
    );
  }

  return (
    <div className="messages-frame">
      <div className="messages" ref={scroller} onScroll={onScroll}>
        {n > 0 && (
          <p className="messages-edge">
            {loadingOlder ? (
              <>
                <Spinner /> {t.loadingOlder}
              </>
            ) : hasMore ? null : (
              t.beginningOfConversation
            )}
          </p>
        )}
        <div ref={topSpacer} className="spacer" aria-hidden="true" />
        <ul aria-label={t.messages} className="message-list" onKeyDown={onKeyDown}>
          {rows}
        </ul>
        <div ref={bottomSpacer} className="spacer" aria-hidden="true" />
        {messages === undefined && (
          <p className="messages-empty">
            <Spinner /> {t.loading}
          </p>
        )}
        {messages?.length === 0 && <p className="messages-empty">{t.noMessages}</p>}
      </div>
      {showLatest && n > 0 && (
        <button
          type="button"
          className="icon-button jump-latest"
          aria-label={t.jumpToLatest}
          title={t.jumpToLatest}
          onClick={() => {
            atBottom.current = true;
            setShowLatest(false);
            setTick((x) => x + 1);
          }}
        >
          <Icons.arrowDown />
        </button>
      )}
    </div>
  );
}
