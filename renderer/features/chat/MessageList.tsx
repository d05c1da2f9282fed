/**
 * The "Messages" list, oldest at the top, virtualized: only the messages in
 * view (and some overscan) are in the DOM; spacers stand in for the rest.
 * Row heights vary: each rendered row is measured (on render, and by a
 * ResizeObserver when it changes later) and unmeasured rows are estimated.
 *
 * Scrolling: new messages scroll into view only if the reader was already at
 * the bottom; anything else (an older page prepended, a row above the view
 * measured) keeps the topmost visible message where it was on screen.
 * Scrolling near the top loads older pages; near the bottom, newer ones when
 * the conversation opened at the first of more unread messages than a page
 * (useMessages.ts). On opening, "New messages" marks the first unread message
 * and the view starts there.
 *
 * The rendered range is kept by message ids, and renewed only when the rows
 * rendered no longer cover the view with some overscan; rows are measured once
 * (reads first, then writes), and their place in the list (aria-posinset) is
 * set on the elements, so that a prepended page re-renders no row. Opening, the
 * first paint has only the rows in view (with a little margin), when they cover
 * it; the overscan follows in a task after that paint.
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
/** Opening: px rendered beyond the view for the first paint; the overscan follows once it is painted. */
const OPEN_OVERSCAN = 100;
/** A new range only once the rendered rows reach less than this beyond the view (fewer renders while scrolling). */
const MIN_OVERSCAN = 200;
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
  /** Newer messages are stored than the newest held (opened at the first unread message of many). */
  hasNewer?: boolean;
  /** The next newer page, near the bottom while `hasNewer`. */
  onLoadNewer?: () => void;
  /** Replace what is held with the newest page ("Jump to the latest message", sending, while `hasNewer`). */
  onShowLatest?: () => void;
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

/** The first message with an id at or above `id`. */
function firstFrom(list: readonly Message[], id: number): number {
  return firstAfter(list, id - 1);
}

/**
 * The rendered rows, by the ids of the first and last one: an older page prepended shifts every
 * index, not the rows in view (kept by index, the next render would mount other rows and then
 * take them down again).
 */
type Range = readonly [first: number, last: number] | null;

const sameRange = (a: Range, b: Range): boolean =>
  a === b || (a !== null && b !== null && a[0] === b[0] && a[1] === b[1]);

/** Indexes [from, to) as a Range of ids. */
function rangeOfIndexes(list: readonly Message[], from: number, to: number): Range {
  const a = list[from];
  const b = list[to - 1];
  return a === undefined || b === undefined || to <= from ? null : [a.id, b.id];
}

/** A local calendar day, cheaper to compare than toDateString(). */
function dayOf(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 512 + d.getMonth() * 32 + d.getDate();
}

export function MessageList({
  peerName,
  messages,
  hasMore,
  loadingOlder,
  onLoadOlder,
  hasNewer = false,
  onLoadNewer,
  onShowLatest,
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
  const [range, setRange] = useState<Range>(null);
  /** The rows of the first paint (the view's only), until the pass after it sets `range`. */
  const openedRange = useRef<Range>(null);
  const [, setTick] = useState(0);
  const [showLatest, setShowLatest] = useState(false);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [flashId, setFlashId] = useState<number | null>(null);
  const atBottom = useRef(true);
  /** The newest page was asked for (while newer pages were still to come): the bottom, once it is here. */
  const wantLatest = useRef(false);
  /** The topmost visible message and its distance below the top of the view. */
  const anchor = useRef<{ id: number; delta: number } | null>(null);
  /** A message to bring into view (the first unread, a quoted one), then maybe focus. */
  const jump = useRef<{ id: number; focus: boolean } | null>(null);
  const focusRequest = useRef<number | null>(null);
  const started = useRef(false);
  const seenReported = useRef(0);
  const passes = useRef(0);
  const olderFor = useRef<number | undefined>(undefined);
  /** Where the list starts inside the scrolled content (below the "beginning" line), and the view's height: read once layout is done anyway. */
  const listTopPx = useRef(0);
  const viewPx = useRef(0);

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
  /** Rows [from, to) covering the view whose top is `top` px into the list, with the overscan. */
  const rowsFor = (top: number, height: number, overscan = OVERSCAN): readonly [number, number] => {
    const from = rowAt(layout.offsets, n, top - overscan);
    const to = Math.min(n, rowAt(layout.offsets, n, top + height + overscan) + 1);
    return [from, Math.max(from, to)];
  };
  let start: number;
  let end: number;
  const kept = range ?? openedRange.current;
  if (kept !== null) {
    start = firstFrom(list, kept[0]);
    end = Math.max(start, firstAfter(list, kept[1]));
  } else if (n > 0 && viewPx.current > 0 && !started.current) {
    // Opening: the rows the view will start on (by estimate), not a first pass with none; only
    // these for the first paint, the overscan after it (see the layout effect).
    const total = layout.offsets[n] ?? 0;
    const view = viewPx.current;
    const top =
      unreadIndex >= 0 && unreadId !== undefined
        ? (layout.offsets[unreadIndex] ?? 0) - Math.min(view / 4, 120)
        : total - view;
    [start, end] = rowsFor(Math.max(0, Math.min(top, total - view)), view, OPEN_OVERSCAN);
  } else {
    start = 0;
    end = 0;
  }

  /** Where the list starts inside the scrolled content (below the "beginning" line). */
  const listTop = (): number => listTopPx.current;

  const current: Range = rangeOfIndexes(list, start, end);
  /** The rows to render for the view: the current ones while they cover it with some overscan left. */
  const rangeFor = (el: HTMLDivElement): Range => {
    const top = el.scrollTop - listTop();
    const covered =
      current !== null &&
      (start === 0 || (layout.offsets[start] ?? 0) <= top - MIN_OVERSCAN) &&
      (end === n || (layout.offsets[end] ?? 0) >= top + el.clientHeight + MIN_OVERSCAN) &&
      // Not far more than needed either (a jump, or the rows measured much smaller than estimated).
      (layout.offsets[end] ?? 0) - (layout.offsets[start] ?? 0) <= el.clientHeight + 4 * OVERSCAN;
    if (covered) return current;
    const [from, to] = rowsFor(top, el.clientHeight);
    return rangeOfIndexes(list, from, to);
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

  /** Near the bottom of what is held while newer pages are still to come: the next one (useMessages asks once per newest message). */
  const maybeLoadNewer = (el: HTMLDivElement): void => {
    if (!hasNewer || onLoadNewer === undefined) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight >= Math.max(el.clientHeight, 400)) return;
    onLoadNewer();
  };

  /** The rows rendered cover the whole view (not necessarily the overscan). */
  const coversView = (el: HTMLDivElement): boolean => {
    const top = el.scrollTop - listTop();
    return (
      current !== null &&
      (start === 0 || (layout.offsets[start] ?? 0) <= top) &&
      (end === n || (layout.offsets[end] ?? 0) >= top + el.clientHeight)
    );
  };

  /** The rows for the view with the whole overscan. */
  const rangeWithOverscan = (el: HTMLDivElement): Range => {
    const [from, to] = rowsFor(el.scrollTop - listTop(), el.clientHeight);
    return rangeOfIndexes(list, from, to);
  };

  /** After the frame being made is painted: another pass, which renders the overscan. */
  const fillOverscan = useRef(false);
  const overscanTimer = useRef<{ frame: number; timeout: ReturnType<typeof setTimeout> | undefined } | null>(null);
  const overscanLater = (): void => {
    if (overscanTimer.current !== null) return;
    const pending: { frame: number; timeout: ReturnType<typeof setTimeout> | undefined } = {
      frame: requestAnimationFrame(() => {
        pending.timeout = setTimeout(() => {
          overscanTimer.current = null;
          fillOverscan.current = true;
          setTick((x) => x + 1);
        }, 0);
      }),
      timeout: undefined,
    };
    overscanTimer.current = pending;
  };
  useEffect(
    () => () => {
      const pending = overscanTimer.current;
      if (pending === null) return;
      cancelAnimationFrame(pending.frame);
      clearTimeout(pending.timeout);
      overscanTimer.current = null;
    },
    [],
  );

  /** At the bottom of the conversation: of what is held, and nothing newer to come. */
  const isAtBottom = (el: HTMLDivElement): boolean =>
    !hasNewer && el.scrollHeight - el.scrollTop - el.clientHeight < NEAR;

  const onScroll = (): void => {
    const el = scroller.current;
    if (el === null) return;
    atBottom.current = isAtBottom(el);
    setShowLatest(!atBottom.current);
    record(el);
    const next = rangeFor(el);
    if (!sameRange(next, current)) setRange(next);
    maybeLoadOlder(el);
    maybeLoadNewer(el);
  };

  /** To the newest message: at once, or once the newest page is here. */
  const toLatest = (): void => {
    if (hasNewer) {
      wantLatest.current = true;
      onShowLatest?.();
    } else atBottom.current = true;
    setShowLatest(false);
    setTick((x) => x + 1);
  };

  // After every render: measure what is rendered, size the spacers, put the scroll
  // position where it belongs, and render another range if the view needs one.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    if (messages === undefined) {
      viewPx.current = el.clientHeight; // for the first rows' range, once the messages come
      return;
    }
    if (range !== null) openedRange.current = null;
    let from = Infinity;
    // Only rows not measured yet, or that the ResizeObserver saw change: reading every
    // rendered row's height on every pass forces layout work that scrolling cannot afford.
    // All the reads first (one layout), then the writes.
    const dirty = resized.current;
    const setSize = hasMore ? '-1' : String(n);
    for (const [id, li] of elements.current) {
      const i = indexOfId(list, id);
      // Place in the list for assistive technology, set here: as a prop, every row would
      // render again whenever an older page shifts the positions.
      const position = String(i + 1);
      if (i !== -1 && li.getAttribute('aria-posinset') !== position) li.setAttribute('aria-posinset', position);
      if (li.getAttribute('aria-setsize') !== setSize) li.setAttribute('aria-setsize', setSize);
      if (sizeById.current.has(id) && !dirty.has(id)) continue;
      const h = li.offsetHeight;
      if (h === 0 || sizeById.current.get(id) === h) continue;
      sizeById.current.set(id, h);
      if (i === -1) continue;
      layout.sizes[i] = h;
      from = Math.min(from, i);
    }
    dirty.clear();
    if (wantLatest.current && !hasNewer) {
      wantLatest.current = false;
      atBottom.current = true;
    }
    listTopPx.current = topSpacer.current?.offsetTop ?? 0;
    viewPx.current = el.clientHeight;
    if (from !== Infinity) sumFrom(layout, from);
    const top = topSpacer.current;
    const bottom = bottomSpacer.current;
    if (top !== null) top.style.height = `${String(layout.offsets[start] ?? 0)}px`;
    if (bottom !== null) bottom.style.height = `${String((layout.offsets[n] ?? 0) - (layout.offsets[end] ?? 0))}px`;

    // The first pass with messages: the rows rendered are the view's only (OPEN_OVERSCAN).
    const opening = !started.current && n > 0;
    if (opening) {
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
      atBottom.current = isAtBottom(el);
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

    if (opening && coversView(el)) {
      // Opening, with the view covered: the rows beyond it come once this is painted.
      openedRange.current = current;
      overscanLater();
    } else {
      const next = fillOverscan.current ? rangeWithOverscan(el) : rangeFor(el);
      fillOverscan.current = false;
      if (!sameRange(next, current) && passes.current < 20) {
        passes.current += 1;
        setRange(next); // renders again before the paint
        return;
      }
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
    maybeLoadNewer(el);
  });

  // Sending scrolls to the bottom.
  const toLatestRef = useRef(toLatest);
  toLatestRef.current = toLatest;
  useLayoutEffect(() => {
    if (stickToken === 0) return;
    toLatestRef.current();
  }, [stickToken]);

  // Rows and the view change size without a render (a narrower window, a font loaded).
  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const e of entries) {
          if (e.target === scroller.current) {
            // Its first report (on observing) or a size the last pass already saw needs no pass.
            if (scroller.current.clientHeight !== viewPx.current) changed = true;
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
  let prevDay = start > 0 ? dayOf(list[start - 1]?.timestamp ?? 0) : NaN;
  for (let i = start; i < end; i++) {
    const m = list[i];
    if (m === undefined) continue;
    const prev = list[i - 1];
    const thisDay = dayOf(m.timestamp);
    const dayLabel = prev !== undefined && thisDay === prevDay ? null : day(m.timestamp);
    prevDay = thisDay;
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
          onClick={toLatest}
        >
          <Icons.arrowDown />
        </button>
      )}
    </div>
  );
}
