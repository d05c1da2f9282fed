/**
 * The conversation benchmark's page (bundled by test/bench/benchmarks/conversation.ts with
 * esbuild, in production mode, and loaded into Chromium). It holds one long conversation in
 * memory (deterministic: mixed lengths, multi-line, XEP-0393 styling, links, replies,
 * reactions, edits, retractions, both directions, delivery states) and renders one of two
 * lists of it into the same box:
 *
 *  - "parley": Parley's own MessageList (real MessageItem, styling, i18n), fed as ChatPane
 *    feeds it from useMessages: the newest page (PAGE), then older pages (OLDER_PAGE) on its
 *    `onLoadOlder`, merged with useMessages' own `merge`; a page is served from the array
 *    after a resolved promise (a fast IPC);
 *  - "bare": the floor: a plain virtualized list of the same messages with the same paging,
 *    the same overscan and the same CSS classes (bubble, meta, quote, reactions), rows made
 *    before the clock starts, each with a fixed height estimated from its text (no measuring,
 *    no styling, no links, no actions, no accessibility, no keyboard).
 *
 * and measures, on `window.conversationBench`: the main-thread work from handing the newest
 * page over to the first frame painted with the newest message in view, and the work of every
 * frame while scrolling up through thousands of messages.
 */
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { Message, MessageState } from '../../../preload/contract.ts';
import type { MessageActions } from '../../../renderer/features/chat/MessageItem.tsx';
import { MessageList } from '../../../renderer/features/chat/MessageList.tsx';
import { merge } from '../../../renderer/features/chat/useMessages.ts';
import { createI18n, I18nProvider } from '../../../renderer/i18n/index.ts';
import type {
  ConversationBench,
  ConversationFrames,
  ConversationKind,
  OpenTiming,
  ScrollResult,
} from './conversation-api.ts';

/** useMessages.ts: the first page (no unread messages), and the older pages while scrolling up. */
const PAGE = 50;
const OLDER_PAGE = 100;
/** MessageList.tsx: pixels rendered above and below the view. */
const OVERSCAN = 800;
/** MessageList.tsx: consecutive messages of one side within this are grouped. */
const GROUP_MS = 5 * 60_000;

// --- the conversation: deterministic ----------------------------------------------------

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `the a to and of i you it is in that for on me we be have this are with not do at so can
will just but my was all what your get if up know about out like no see there one go time good now how
then think today tomorrow meeting call send file check work later yes ok thanks please back home need
want let new make take sure right still going come look here when did got really maybe lunch dinner
coffee weekend project report update review deploy build test server bug fix release issue plan team
office train flight hotel ticket price photo video link email phone number address morning night week
month year happy birthday sorry problem question answer idea great nice cool awesome love miss busy
free early late soon again first last next best budget contract invoice customer design draft slides
agenda schedule staging migration database rollback benchmark keyboard screenshot colleague`
  .split(/\s+/u)
  .filter(Boolean);
const ZH = `我们 你们 今天 明天 昨天 现在 开会 公司 工作 项目 报告 会议 问题 时间 已经 可以 没有 什么 怎么
知道 觉得 需要 一起 这个 因为 所以 但是 客户 合同 预算 设计 方案 测试 上线 服务器 版本 修复 计划
团队 周末 下午 吃饭 咖啡 谢谢 好的 收到 明白 同意`
  .split(/\s+/u)
  .filter(Boolean);
const SHORT = ['ok', 'Ok!', 'thanks', 'Thanks 🙏', 'yes', 'no', 'sure', 'lol', 'on my way', '👍', '🎉🎉', 'brb', 'ha'];
const LINKS = [
  'https://example.org/docs/getting-started',
  'https://git.example.com/parley/parley/-/merge_requests/1234#note_98765',
  'https://www.example.net/2024/05/a-rather-long-article-title-that-goes-on-and-on?utm_source=chat&utm_medium=xmpp',
  'xmpp:team@conference.example.org?join',
  'mailto:maria@example.org',
];
const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '🙏', '🔥', '✅'];
const STYLES = ['*', '_', '`', '~'];

/** The other side of the conversation. */
const PEER = 'maria@example.org';

function makeBody(next: () => number): string {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const words = (min: number, max: number): string[] =>
    Array.from({ length: min + Math.floor(next() * (max - min + 1)) }, () => pick(WORDS));
  const sentence = (min: number, max: number): string => {
    const w = words(min, max).join(' ');
    return `${w.charAt(0).toUpperCase()}${w.slice(1)}${pick(['.', '.', '?', '!', ''])}`;
  };
  const r = next();
  let body: string;
  if (r < 0.28) body = next() < 0.5 ? pick(SHORT) : words(1, 5).join(' ');
  else if (r < 0.64) body = next() < 0.7 ? sentence(6, 25) : `${sentence(4, 12)} ${sentence(4, 12)}`;
  else if (r < 0.74)
    body = Array.from({ length: 3 + Math.floor(next() * 4) }, () => sentence(8, 20)).join(' '); // a paragraph
  else if (r < 0.84)
    body = Array.from({ length: 2 + Math.floor(next() * 4) }, () => sentence(2, 12)).join('\n'); // lines
  else if (r < 0.92)
    body = Array.from({ length: 3 + Math.floor(next() * 10) }, () => pick(ZH)).join('') + pick(['。', '？', '！']);
  else if (r < 0.95)
    body = `${sentence(2, 6)}\n\`\`\`\nconst page = await client.call('messages.list', { limit: 50 });\nfor (const m of page.messages) render(m);\n\`\`\``;
  else if (r < 0.98) body = `> ${sentence(4, 14)}\n${sentence(3, 10)}`;
  else body = `${words(1, 4).join(' ')} ${pick(EMOJI)}${pick(EMOJI)}`;
  if (next() < 0.12) {
    // XEP-0393: one word of the first line *strong*, _emphasis_, `code` or ~strike~.
    const lines = body.split('\n');
    const first = (lines[0] ?? '').split(' ');
    const i = Math.floor(next() * first.length);
    const word = first[i] ?? '';
    if (/^[\p{L}\p{N}]{2,}$/u.test(word)) {
      const d = pick(STYLES);
      first[i] = `${d}${word}${d}`;
      lines[0] = first.join(' ');
      body = lines.join('\n');
    }
  }
  if (next() < 0.06) body = `${body} ${pick(LINKS)}`;
  return body;
}

/** `count` messages, oldest first, ids 1..count, timestamps increasing (bursts, pauses, days). */
export function makeConversation(count: number, seed: number): Message[] {
  const next = random(seed);
  const out: Message[] = [];
  let ts = Date.UTC(2021, 0, 4, 8, 0);
  let direction: 'in' | 'out' = 'in';
  for (let i = 0; i < count; i++) {
    if (next() < 0.35) direction = direction === 'in' ? 'out' : 'in';
    const g = next();
    ts += Math.round(
      g < 0.7 ? 5_000 + next() * 115_000 : g < 0.97 ? 120_000 + next() * 3_480_000 : 7_200_000 + next() * 50_400_000,
    );
    const id = i + 1;
    const retracted = next() < 0.005;
    const body = retracted ? '' : makeBody(next);
    let state: MessageState = 'received';
    let error: string | undefined;
    if (direction === 'out') {
      if (i >= count - 3) state = (['sent', 'acked', 'delivered'] as const)[i - (count - 3)] ?? 'delivered';
      else if (next() < 0.002) {
        state = 'failed';
        error = 'The server said: service unavailable';
      } else state = 'read';
    }
    const replyTo =
      !retracted && i > 0 && next() < 0.04 ? out[Math.max(0, i - 1 - Math.floor(next() * 20))] : undefined;
    const reactions =
      !retracted && next() < 0.05
        ? [
            ...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => EMOJI[Math.floor(next() * 8)] ?? '👍')),
          ].map((emoji) => ({ emoji, count: 1 + Math.floor(next() * 3), mine: next() < 0.4 }))
        : undefined;
    const edited = !retracted && next() < 0.02;
    out.push({
      id,
      accountId: 'bench',
      peer: PEER,
      direction,
      body,
      timestamp: ts,
      state,
      ...(error === undefined ? {} : { error }),
      ...(edited ? { editedAt: ts + 45_000 } : {}),
      ...(retracted ? { retracted: true } : {}),
      ...(replyTo === undefined
        ? {}
        : {
            replyTo: {
              id: replyTo.id,
              preview: replyTo.retracted === true ? '' : replyTo.body.slice(0, 100),
              direction: replyTo.direction,
            },
          }),
      ...(reactions === undefined ? {} : { reactions }),
    });
  }
  return out;
}

const i18n = createI18n('en');

/** Text that shows the message is there: a word of its body as it appears on screen (or the tombstone). */
function probeOf(m: Message): string {
  if (m.retracted === true) return i18n.t.messageDeleted;
  return /[\p{L}\p{N}]{2,}/u.exec(m.body)?.[0] ?? m.body.trim().split(/\s+/u)[0] ?? '';
}

// --- frames -----------------------------------------------------------------------------

const channel = new MessageChannel();
const afterPaint: (() => void)[] = [];
channel.port1.onmessage = () => {
  afterPaint.shift()?.();
};
/** Bumped when a frame's rendering starts (its first scroll event, or its animation frame callbacks). */
let frameCount = 0;
/** When the current frame's first scroll event came (scroll events run just before animation frame callbacks). */
let scrollMark: number | null = null;
/** When the last frame was painted (as seen by the first task after it). */
let lastPaint = 0;
window.addEventListener(
  'scroll',
  () => {
    if (scrollMark === null || scrollMark <= lastPaint) {
      scrollMark = performance.now();
      frameCount += 1;
    }
  },
  { capture: true },
);

/** Resolves in the task after the next frame has been rendered and painted; the frame starts at its first scroll event. */
function nextFrame(): Promise<{ frameStart: number; painted: number }> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const raf = performance.now();
      frameCount += 1;
      const frameStart = scrollMark !== null && scrollMark > lastPaint ? Math.min(scrollMark, raf) : raf;
      afterPaint.push(() => {
        const painted = performance.now();
        lastPaint = painted;
        scrollMark = null;
        resolve({ frameStart, painted });
      });
      channel.port2.postMessage(null);
    });
  });
}

const pingChannel = new MessageChannel();
const pings: (() => void)[] = [];
pingChannel.port1.onmessage = () => {
  pings.shift()?.();
};
const QUIET_MS = 0.5;

/**
 * The work of the tasks queued behind a paint (or a render) that run before the next frame:
 * React's scheduled renders, a page landing. Posts a message and waits for it, again while
 * something else ran in between, until one comes straight back or the next frame starts.
 */
async function drainTasks(): Promise<number> {
  const frame = frameCount;
  let work = 0;
  for (let i = 0; i < 10_000; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      pings.push(resolve);
      pingChannel.port2.postMessage(null);
    });
    if (frameCount !== frame) break;
    const gap = performance.now() - t0;
    if (gap < QUIET_MS) break;
    work += gap;
  }
  return work;
}

class FrameRecorder {
  #work: number[] = [];
  #intervals: number[] = [];
  #long: number[] = [];
  /** Per frame: whether the list took in an older page during it. */
  #paged: boolean[] = [];
  #held = held;
  #running = true;
  #observer: PerformanceObserver | null = null;
  #done: Promise<void>;

  constructor() {
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
      this.#observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) this.#long.push(entry.duration);
      });
      this.#observer.observe({ type: 'long-animation-frame' });
    }
    this.#done = this.#loop();
  }

  async #loop(): Promise<void> {
    let last: number | null = null;
    let frame = nextFrame();
    while (this.#running) {
      const { frameStart, painted } = await frame;
      performance.mark('conversation-frame'); // for the benchmark's trace: CPU time per frame
      frame = nextFrame(); // asked for before draining: no frame goes by unseen
      const behind = await drainTasks();
      this.#work.push(painted - frameStart + behind);
      this.#paged.push(held !== this.#held);
      this.#held = held;
      if (last !== null) this.#intervals.push(frameStart - last);
      last = frameStart;
    }
  }

  async stop(): Promise<ConversationFrames> {
    this.#running = false;
    await this.#done;
    this.#observer?.takeRecords().forEach((e) => this.#long.push(e.duration));
    this.#observer?.disconnect();
    const sorted = [...this.#work].sort((a, b) => a - b);
    return {
      pagedFrames: this.#paged.filter(Boolean).length,
      pagedMax: Math.max(0, ...this.#work.filter((_, i) => this.#paged[i])),
      otherMax: Math.max(0, ...this.#work.filter((_, i) => !this.#paged[i])),
      frames: sorted.length,
      maxWork: sorted[sorted.length - 1] ?? 0,
      p95Work: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
      medianWork: sorted[Math.floor(sorted.length / 2)] ?? 0,
      maxInterval: Math.max(0, ...this.#intervals),
      over50: sorted.filter((w) => w > 50).length,
      longFrames: this.#long.length,
      maxLong: Math.max(0, ...this.#long),
    };
  }
}

// --- the page's data and paging -----------------------------------------------------------

let conversation: Message[] = [];
let bareRows: BareRow[] = [];
/** Older pages served since the list was mounted; messages the mounted list holds. */
let pagesServed = 0;
let held = 0;

/** Older messages before `before` (an id): a page from the array, after a resolved promise (a fast IPC). */
function fetchOlder(before: number, limit: number): Promise<Message[]> {
  return Promise.resolve().then(() => {
    pagesServed += 1;
    const end = Math.max(0, before - 1); // ids are 1..count, in order
    return conversation.slice(Math.max(0, end - limit), end);
  });
}

// --- Parley's list, fed as ChatPane feeds it ---------------------------------------------

interface ParleyState {
  messages: readonly Message[] | undefined;
  hasMore: boolean;
  loadingOlder: boolean;
}

const noop = (): void => undefined;
const NO_RETRIES: ReadonlySet<number> = new Set();
const ACTIONS: Omit<MessageActions, 'jumpTo'> = {
  reply: noop,
  react: noop,
  edit: noop,
  remove: noop,
  history: noop,
  retry: noop,
  openLink: noop,
};
const loadUntil = (): Promise<boolean> => Promise.resolve(false);

let handOver: ((page: Message[]) => void) | null = null;

function ParleyConversation(): ReactNode {
  const [state, setState] = useState<ParleyState>({ messages: undefined, hasMore: false, loadingOlder: false });
  useLayoutEffect(() => {
    handOver = (page) => {
      setState({ messages: page, hasMore: page.length === PAGE, loadingOlder: false });
    };
  }, []);
  held = state.messages?.length ?? 0;
  const loadOlder = useCallback(() => {
    const first = state.messages?.[0];
    if (first === undefined || !state.hasMore || state.loadingOlder) return;
    setState((s) => ({ ...s, loadingOlder: true }));
    void fetchOlder(first.id, OLDER_PAGE).then((older) => {
      setState((s) => ({
        messages: merge(s.messages ?? [], older),
        hasMore: older.length === OLDER_PAGE,
        loadingOlder: false,
      }));
    });
  }, [state]);
  const list = state.messages;
  const newestOwn = useMemo(() => {
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m?.direction === 'out' && m.retracted !== true) return m;
    }
    return undefined;
  }, [list]);
  return (
    <I18nProvider value={i18n}>
      <section className="chat" aria-label="Maria">
        <MessageList
          peerName="Maria"
          messages={list}
          hasMore={state.hasMore}
          loadingOlder={state.loadingOlder}
          onLoadOlder={loadOlder}
          onLoadUntil={loadUntil}
          stickToken={0}
          unreadAfter={null}
          editableId={newestOwn?.id}
          retrying={NO_RETRIES}
          onSeen={noop}
          onJumpFailed={noop}
          actions={ACTIONS}
        />
      </section>
    </I18nProvider>
  );
}

// --- the bare list --------------------------------------------------------------------------

interface BareRow {
  id: number;
  className: string;
  day: string | null;
  quote: { author: string; text: string } | null;
  text: string;
  retracted: boolean;
  edited: boolean;
  time: string;
  state: string | null;
  reactions: readonly { emoji: string; count: number }[];
  /** Fixed, estimated from the text (no measuring). */
  height: number;
}

/** Characters on a line of a bubble at the benchmark's width (CJK characters count two). */
const LINE_CHARS = 62;
const LINE_PX = 20.3;

function linesOf(text: string): number {
  let lines = 0;
  for (const line of text.split('\n')) {
    let width = 0;
    for (const ch of line) width += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
    lines += Math.max(1, Math.ceil(width / LINE_CHARS));
  }
  return lines;
}

function bareRowsOf(list: readonly Message[]): BareRow[] {
  const { t } = i18n;
  const stateWord: Record<MessageState, string> = {
    queued: t.stateQueued,
    sent: t.stateSent,
    acked: t.stateAcked,
    delivered: t.stateDelivered,
    read: t.stateRead,
    failed: t.stateFailed,
    received: t.stateDelivered,
  };
  return list.map((m, i): BareRow => {
    const prev = list[i - 1];
    const day =
      prev !== undefined && new Date(prev.timestamp).toDateString() === new Date(m.timestamp).toDateString()
        ? null
        : i18n.day(m.timestamp);
    const grouped = prev?.direction === m.direction && m.timestamp - prev.timestamp < GROUP_MS && day === null;
    const retracted = m.retracted === true;
    const quote =
      m.replyTo === undefined || retracted
        ? null
        : {
            author: m.replyTo.direction === 'out' ? t.you : 'Maria',
            text: m.replyTo.preview === '' ? t.messageDeleted : (m.replyTo.preview ?? ''),
          };
    const reactions = retracted ? [] : (m.reactions ?? []);
    const height =
      (grouped ? 2 : 10) +
      (day === null ? 0 : 40) +
      12 +
      (retracted ? 20 : linesOf(m.body) * LINE_PX) +
      16 +
      (quote === null ? 0 : 24 + Math.min(2, linesOf(quote.text)) * 18) +
      (reactions.length > 0 ? 27 : 0);
    return {
      id: m.id,
      className: [
        'message',
        m.direction,
        grouped ? 'grouped' : '',
        m.state === 'failed' ? 'failed' : '',
        retracted ? 'retracted' : '',
      ]
        .filter(Boolean)
        .join(' '),
      day,
      quote,
      text: m.body,
      retracted,
      edited: m.editedAt !== undefined && !retracted,
      time: i18n.time(m.timestamp),
      state: m.direction === 'out' ? stateWord[m.state] : null,
      reactions,
      height: Math.round(height),
    };
  });
}

/** The rows [start, end) over [top - overscan, top + height + overscan), by binary search in the offsets. */
function visibleRange(offsets: Float64Array, top: number, height: number): readonly [number, number] {
  const count = offsets.length - 1;
  const firstAbove = (y: number): number => {
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((offsets[mid] ?? Infinity) > y) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  if (count <= 0) return [0, 0];
  const start = Math.min(count - 1, Math.max(0, firstAbove(Math.max(0, top - OVERSCAN)) - 1));
  return [start, Math.min(count, Math.max(start + 1, firstAbove(top + height + OVERSCAN - 1)))];
}

const BareItem = memo(function BareItem({ row }: { row: BareRow }): ReactNode {
  return (
    <li data-id={row.id} className={row.className} style={{ height: row.height }}>
      {row.day !== null && <span className="day">{row.day}</span>}
      <div className="message-row">
        <div className="bubble">
          {row.quote !== null && (
            <div className="quote">
              <span className="quote-author">{row.quote.author}</span>
              <span className="quote-text">{row.quote.text}</span>
            </div>
          )}
          {row.retracted ? (
            <p className="tombstone">{i18n.t.messageDeleted}</p>
          ) : (
            <div className="body">{row.text}</div>
          )}
          <span className="meta">
            {row.edited && <span className="edited">{i18n.t.edited}</span>}
            <time>{row.time}</time>
            {row.state !== null && <span className="state">{row.state}</span>}
          </span>
        </div>
      </div>
      {row.reactions.length > 0 && (
        <div className="reactions">
          {row.reactions.map((r) => (
            <span key={r.emoji} className="reaction">
              {r.emoji} {r.count}
            </span>
          ))}
        </div>
      )}
    </li>
  );
});

interface BareState {
  rows: readonly BareRow[];
  hasMore: boolean;
  /** The top of the view inside the list (px); Infinity: the bottom. */
  top: number;
}

function BareConversation(): ReactNode {
  const [state, setState] = useState<BareState | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const topSpacer = useRef<HTMLDivElement>(null);
  const listTop = useRef(0);
  const viewHeight = useRef(700);
  /** The scroll position to put in place after the next render (an open, a prepended page). */
  const restore = useRef<number | null>(null);
  const loading = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el !== null) viewHeight.current = el.clientHeight;
    // The list starts below the (empty) edge line: its offset inside the scroller, measured once.
    listTop.current = topSpacer.current?.offsetTop ?? 0;
    handOver = (page) => {
      restore.current = Infinity;
      setState({ rows: page.map((m) => bareRowOf(m)), hasMore: page.length === PAGE, top: Infinity });
    };
  }, []);
  const rows = state?.rows ?? [];
  held = rows.length;
  const offsets = useMemo(() => {
    const o = new Float64Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) o[i + 1] = (o[i] ?? 0) + (rows[i]?.height ?? 0);
    return o;
  }, [rows]);
  const total = offsets[rows.length] ?? 0;
  const top = Math.min(state?.top ?? 0, Math.max(0, total - viewHeight.current));
  const [start, end] = visibleRange(offsets, top, viewHeight.current);

  useLayoutEffect(() => {
    const el = scroller.current;
    const want = restore.current;
    if (el === null || want === null) return;
    restore.current = null;
    el.scrollTop = want === Infinity ? el.scrollHeight : listTop.current + want;
  });

  const onScroll = (): void => {
    const el = scroller.current;
    if (el === null || state === null) return;
    const t = el.scrollTop - listTop.current;
    const [s, e] = visibleRange(offsets, t, viewHeight.current);
    if (s !== start || e !== end)
      flushSync(() => {
        setState((old) => (old === null ? old : { ...old, top: t }));
      });
    const first = state.rows[0];
    if (!state.hasMore || loading.current || first === undefined || t >= Math.max(viewHeight.current, 400)) return;
    loading.current = true;
    void fetchOlder(first.id, OLDER_PAGE).then((older) => {
      loading.current = false;
      const added = older.map((m) => bareRowOf(m));
      const height = added.reduce((sum, r) => sum + r.height, 0);
      const now = (scroller.current?.scrollTop ?? 0) - listTop.current;
      restore.current = now + height;
      setState((old) =>
        old === null ? old : { rows: [...added, ...old.rows], hasMore: older.length === OLDER_PAGE, top: now + height },
      );
    });
  };

  return (
    <section className="chat" aria-label="Maria">
      <div className="messages-frame">
        <div className="messages" ref={scroller} onScroll={onScroll}>
          <p className="messages-edge" />
          <div ref={topSpacer} className="spacer" style={{ height: offsets[start] ?? 0 }} />
          <ul className="message-list bare-list">
            {rows.slice(start, end).map((row) => (
              <BareItem key={row.id} row={row} />
            ))}
          </ul>
          <div className="spacer" style={{ height: total - (offsets[end] ?? 0) }} />
        </div>
      </div>
    </section>
  );
}

/** A message's finished row (made with the whole conversation, before any clock starts). */
function bareRowOf(m: Message): BareRow {
  const row = bareRows[m.id - 1];
  if (row?.id !== m.id) throw new Error(`no row for message ${String(m.id)}`);
  return row;
}

// --- the page's interface ---------------------------------------------------------------

let root: Root | null = null;
let mounted: ConversationKind | null = null;

function scrollerEl(): HTMLElement {
  const el = document.querySelector<HTMLElement>('#root .messages');
  if (el === null) throw new Error('no .messages scroller in the page');
  return el;
}

/** The message rows in the page, oldest first. */
function rowsInPage(): HTMLElement[] {
  return [...scrollerEl().querySelectorAll<HTMLElement>('li[data-id]')];
}

/** The id of the message at the top of the view (the first row whose bottom is below the view's top). */
function topInView(): number | null {
  const view = scrollerEl().getBoundingClientRect();
  for (const li of rowsInPage()) {
    if (li.getBoundingClientRect().bottom > view.top + 1) return Number(li.dataset['id']);
  }
  return null;
}

/** Whether this message's bubble is wholly in view, showing its text. */
function shows(m: Message): boolean {
  const scroller = scrollerEl();
  const li = scroller.querySelector<HTMLElement>(`li[data-id="${String(m.id)}"]`);
  if (li === null) return false;
  const view = scroller.getBoundingClientRect();
  const box = (li.querySelector('.bubble') ?? li).getBoundingClientRect();
  const text = li.textContent;
  return box.top >= view.top - 1 && box.bottom <= view.bottom + 1 && text.includes(probeOf(m));
}

const bench: ConversationBench = {
  prepare(count: number, seed: number): Record<string, number> {
    conversation = makeConversation(count, seed);
    // Both pages make the bare rows: the same heap for both lists.
    bareRows = bareRowsOf(conversation);
    const c = (f: (m: Message) => boolean): number => conversation.filter(f).length;
    return {
      messages: conversation.length,
      outgoing: c((m) => m.direction === 'out'),
      multiLine: c((m) => m.body.includes('\n')),
      styled: c(
        (m) => /(^|\s)([*_`~])[\p{L}\p{N}]+\2/u.test(m.body) || m.body.includes('```') || m.body.startsWith('> '),
      ),
      links: c((m) => /https?:|xmpp:|mailto:/u.test(m.body)),
      cjk: c((m) => /\p{Script=Han}/u.test(m.body)),
      replies: c((m) => m.replyTo !== undefined),
      reactions: c((m) => m.reactions !== undefined),
      edited: c((m) => m.editedAt !== undefined),
      retracted: c((m) => m.retracted === true),
      failed: c((m) => m.state === 'failed'),
      days: bareRows.filter((r) => r.day !== null).length,
    };
  },

  async mount(kind: ConversationKind): Promise<void> {
    const host = document.getElementById('root');
    if (host === null) throw new Error('no #root');
    root?.unmount();
    handOver = null;
    root = createRoot(host);
    const target = root;
    flushSync(() => {
      target.render(
        <div className="bench-box">{kind === 'parley' ? <ParleyConversation /> : <BareConversation />}</div>,
      );
    });
    mounted = kind;
    await nextFrame();
    await nextFrame();
    pagesServed = 0;
  },

  async open(): Promise<OpenTiming> {
    const give = handOver;
    if (give === null || mounted === null) throw new Error('no list mounted');
    const page = conversation.slice(-PAGE);
    const newest = conversation[conversation.length - 1];
    if (newest === undefined) throw new Error('no messages');
    performance.mark('conversation-handover');
    const handover = performance.now();
    flushSync(() => {
      give(page);
    });
    const rendered = performance.now();
    let frame = nextFrame();
    let work = rendered - handover + (await drainTasks());
    for (let frames = 1; ; frames++) {
      const { frameStart, painted } = await frame;
      work += painted - frameStart;
      if (shows(newest)) {
        performance.mark('conversation-painted');
        return { work, toPaint: painted - handover, frames, inPage: rowsInPage().length };
      }
      if (frames >= 120)
        throw new Error(
          `${mounted}: the newest message (${String(newest.id)}, "${probeOf(newest)}") is not in view ${String(frames)} frames after opening`,
        );
      frame = nextFrame();
      work += await drainTasks();
    }
  },

  async scrollBack(back: number, step: number, limitMs: number): Promise<ScrollResult> {
    if (mounted === null) throw new Error('no list mounted');
    const kind = mounted;
    const newestId = conversation[conversation.length - 1]?.id ?? 0;
    const target = newestId - back;
    if (target < 1)
      throw new Error(
        `the conversation has ${String(conversation.length)} messages: cannot scroll ${String(back)} back`,
      );
    const el = scrollerEl();
    await nextFrame();
    await nextFrame();
    const pagesBefore = pagesServed;
    const started = performance.now();
    const recorder = new FrameRecorder();
    let scrolled = 0;
    let top: number | null = null;
    let still = 0;
    let last = '';
    for (;;) {
      // Cheap until enough messages are held, then read where the view is.
      if (held > back) {
        top = topInView();
        if (top !== null && top <= target) break;
      }
      if (performance.now() - started > limitMs)
        throw new Error(
          `${kind}: scrolling back ${String(back)} messages took over ${String(limitMs / 1000)} s (${String(held)} held, top of view ${String(top ?? topInView())})`,
        );
      const before = el.scrollTop;
      el.scrollTop = Math.max(0, before - step);
      scrolled += before - el.scrollTop;
      const where = `${String(held)}/${String(Math.round(el.scrollTop))}`;
      still = where === last ? still + 1 : 0;
      last = where;
      if (still > 300)
        throw new Error(
          `${kind}: stuck scrolling back at ${String(newestId - (topInView() ?? newestId))} messages (${String(held)} held, ${String(pagesServed - pagesBefore)} older pages served, scrollTop ${String(el.scrollTop)})`,
        );
      await nextFrame();
    }
    const frames = await recorder.stop();
    const duration = performance.now() - started;
    const topMessage = conversation[top - 1];
    const topRow = el.querySelector<HTMLElement>(`li[data-id="${String(top)}"]`);
    if (topMessage === undefined || !(topRow?.textContent.includes(probeOf(topMessage)) ?? false))
      throw new Error(
        `${kind}: the message at the top of the view (${String(top)}) does not show its text "${topMessage === undefined ? '?' : probeOf(topMessage)}"`,
      );
    return {
      ...frames,
      messagesBack: newestId - top,
      loaded: held,
      pages: pagesServed - pagesBefore,
      scrolled,
      height: el.scrollHeight,
      duration,
    };
  },

  unmount(): void {
    root?.unmount();
    root = null;
    mounted = null;
    handOver = null;
  },
};

window.conversationBench = bench;
