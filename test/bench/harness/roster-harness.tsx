/**
 * The roster benchmark's page (bundled by test/bench/benchmarks/roster.ts with esbuild, in
 * production mode, and loaded into Chromium). It renders one of two lists of the same
 * roster into the same box:
 *
 *  - "parley": Parley's own ContactList, handed the contacts as `useRosters` gives them
 *    (unsorted, ungrouped): it groups, sorts, flattens and virtualizes them itself;
 *  - "bare": the floor: a plain virtualized list (fixed row heights, spacers, the same
 *    overscan, the same CSS classes) of rows made before the clock starts, with a plain
 *    lower-case substring filter; no grouping, no sorting, no accessibility, no i18n.
 *
 * and measures, on `window.rosterBench`: the main-thread work from handing the data over to
 * the first frame painted with it, and the work of every frame while scrolling or typing.
 */
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { Contact, Show } from '../../../preload/contract.ts';
import { consistentColor, initials } from '../../../renderer/app/consistent-color.ts';
import { ContactList } from '../../../renderer/features/roster/ContactList.tsx';
import { buildRoster, flattenRoster } from '../../../renderer/features/roster/roster-model.ts';
import type { RosterGroup } from '../../../renderer/features/roster/useRoster.ts';
import { CoreProvider } from '../../../renderer/app/core.ts';
import { createI18n, I18nProvider } from '../../../renderer/i18n/index.ts';
import type { FrameStats, ListKind, MountTiming, RosterBench } from './roster-api.ts';

// --- the roster: deterministic ----------------------------------------------------------

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

const FIRST =
  'Maria José Anna Zoë Émile Lars Søren Ingrid Mateo Chloé Noah Amélie Liam Olivia Björn Ana Luca Giulia Hannah Jürgen Fatima Omar Yuki Kenji Priya Arjun Sofia Mikhail Elena Tomás Ciarán Aoife Ngozi Kwame Leila Dmitri Zoltán Agnieszka Paweł Nguyễn'.split(
    ' ',
  );
const LAST =
  'García Müller Rossi Dubois Andersen Kowalski Novák Silva Okafor Tanaka Sato Kim Singh Patel Ivanova Horváth O’Brien Jensen Larsen Moreau Ferreira Costa Nakamura Haddad Mensah Öztürk Virtanen Lindqvist Papadopoulos Schmidt'.split(
    ' ',
  );
const HAN_FAMILY = '王 李 张 刘 陈 杨 黄 赵 吴 周'.split(' ');
const HAN_GIVEN = '伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟'.split(' ');
const TEAMS = 'Engineering Sales Support Design Marketing Research Finance Legal Operations Family'.split(' ');
const STATUSES = ['In a meeting', 'Working from home', 'On holiday until Monday', '午饭中', 'Back at 3', ''];
const SHOWS: readonly Show[] = ['chat', 'available', 'available', 'away', 'xa', 'dnd'];

const ascii = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '');

/** `count` contacts in `groups` groups: most in one group, some in two, a few in none; a third online. */
export function makeRoster(count: number, groups: number, seed: number): Contact[] {
  const next = random(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const groupNames = Array.from(
    { length: groups },
    (_, i) => `${TEAMS[i % TEAMS.length] ?? 'Team'} ${String(Math.floor(i / TEAMS.length) + 1)}`,
  );
  return Array.from({ length: count }, (_, i): Contact => {
    const han = next() < 0.15;
    const name = han ? `${pick(HAN_FAMILY)}${pick(HAN_GIVEN)}` : `${pick(FIRST)} ${pick(LAST)}`;
    const local = han
      ? `user${String(i)}`
      : `${ascii(name.split(' ')[0] ?? '')}.${ascii(name.split(' ')[1] ?? '')}${String(i)}`;
    const r = next();
    const memberOf = r < 0.04 ? [] : r < 0.14 ? [pick(groupNames), pick(groupNames)] : [pick(groupNames)];
    const online = next() < 0.35;
    const status = online ? pick(STATUSES) : '';
    return {
      accountId: 'bench',
      jid: `${local}@example.org`,
      name,
      subscription: 'both',
      groups: memberOf,
      show: online ? pick(SHOWS) : 'offline',
      ...(status === '' ? {} : { status }),
    };
  });
}

// --- frames -----------------------------------------------------------------------------

const channel = new MessageChannel();
const afterPaint: (() => void)[] = [];
channel.port1.onmessage = () => {
  afterPaint.shift()?.();
};
/** Resolves in the task after the next frame has been rendered and painted. */
function nextFrame(): Promise<{ frameStart: number; painted: number }> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const frameStart = performance.now();
      afterPaint.push(() => {
        resolve({ frameStart, painted: performance.now() });
      });
      channel.port2.postMessage(null);
    });
  });
}

class FrameRecorder {
  #work: number[] = [];
  #intervals: number[] = [];
  #long: number[] = [];
  #busy = 0;
  #frameStart: number | null = null;
  #handlerStart: number | null = null;
  #running = true;
  #observer: PerformanceObserver | null = null;
  #done: Promise<void>;
  #cleanup: () => void;

  constructor() {
    const opened = (): void => {
      this.#handlerStart ??= performance.now();
    };
    const closed = (): void => {
      if (this.#handlerStart !== null) this.#busy += performance.now() - this.#handlerStart;
      this.#handlerStart = null;
    };
    // Scroll events run in the frame's rendering step, just before animation frame callbacks.
    const scrolled = (): void => {
      this.#frameStart ??= performance.now();
    };
    const inputs = ['keydown', 'keypress', 'beforeinput', 'input', 'keyup'] as const;
    for (const type of inputs) {
      window.addEventListener(type, opened, { capture: true });
      window.addEventListener(type, closed);
    }
    window.addEventListener('scroll', scrolled, { capture: true });
    this.#cleanup = () => {
      for (const type of inputs) {
        window.removeEventListener(type, opened, { capture: true });
        window.removeEventListener(type, closed);
      }
      window.removeEventListener('scroll', scrolled, { capture: true });
    };
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
    while (this.#running) {
      const { frameStart, painted } = await nextFrame();
      // Each frame's end, for the benchmark's trace (CPU time per frame).
      performance.mark('roster-frame');
      const start = Math.min(this.#frameStart ?? frameStart, frameStart);
      this.#work.push(this.#busy + (painted - start));
      if (last !== null) this.#intervals.push(frameStart - last);
      last = frameStart;
      this.#busy = 0;
      this.#frameStart = null;
    }
  }

  async stop(): Promise<FrameStats> {
    this.#running = false;
    await this.#done;
    this.#cleanup();
    this.#observer?.takeRecords().forEach((e) => this.#long.push(e.duration));
    this.#observer?.disconnect();
    const sorted = [...this.#work].sort((a, b) => a - b);
    return {
      frames: this.#work.length,
      maxWork: sorted[sorted.length - 1] ?? 0,
      p95Work: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
      maxInterval: Math.max(0, ...this.#intervals),
      longFrames: this.#long.length,
      maxLong: Math.max(0, ...this.#long),
    };
  }
}

// --- the bare list ----------------------------------------------------------------------

type BareRow =
  | { kind: 'group'; key: string; text: string }
  | {
      kind: 'contact';
      key: string;
      name: string;
      sub: string;
      presence: string;
      initials: string;
      color: string;
      search: string;
    };

const BARE_HEIGHT = { group: 30, contact: 52 } as const;
const OVERSCAN = 400;

/** The rows [start, end) over [top - overscan, top + height + overscan), by binary search in the offsets. */
function visibleRange(
  offsets: readonly number[],
  top: number,
  height: number,
  overscan: number,
): { start: number; end: number } {
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
  if (count <= 0) return { start: 0, end: 0 };
  const start = Math.min(count - 1, Math.max(0, firstAbove(Math.max(0, top - overscan)) - 1));
  return { start, end: Math.min(count, Math.max(start + 1, firstAbove(top + height + overscan - 1))) };
}

function bareRowsOf(contacts: readonly Contact[]): BareRow[] {
  const i18n = createI18n('en');
  const model = buildRoster([{ accountId: 'bench', contacts }], i18n.compare);
  const rows = flattenRoster(model, { query: '', showOffline: true, collapsed: new Set(), headings: false });
  return Array.from({ length: rows.count }, (_, i) => rows.row(i)).flatMap((r): BareRow[] => {
    if (r.kind === 'group')
      return [
        {
          kind: 'group',
          key: r.key,
          text: `${r.group.name || 'Ungrouped'} (${String(r.group.online)}/${String(r.group.members.length)})`,
        },
      ];
    if (r.kind !== 'contact') return [];
    const c = r.entry.contact;
    return [
      {
        kind: 'contact',
        key: r.key,
        name: c.name,
        sub: c.status === undefined ? c.jid : `${c.jid} · ${c.status}`,
        presence: c.show,
        initials: initials(c.name),
        color: consistentColor(c.jid).color,
        search: `${c.name}\n${c.jid}`.toLowerCase(),
      },
    ];
  });
}

function BareList({ rows }: { rows: readonly BareRow[] }): ReactNode {
  const [query, setQuery] = useState('');
  const [top, setTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q === '') return rows;
    const out: BareRow[] = [];
    let header: BareRow | null = null;
    for (const row of rows) {
      if (row.kind === 'group') header = row;
      else if (row.search.includes(q)) {
        if (header !== null) out.push(header);
        header = null;
        out.push(row);
      }
    }
    return out;
  }, [rows, query]);
  const offsets = useMemo(() => {
    const o = [0];
    for (const row of shown) o.push((o[o.length - 1] ?? 0) + BARE_HEIGHT[row.kind]);
    return o;
  }, [shown]);
  const range = visibleRange(offsets, top, 700, OVERSCAN);
  const before = offsets[range.start] ?? 0;
  const after = (offsets[shown.length] ?? 0) - (offsets[range.end] ?? 0);
  return (
    <>
      <input
        className="bare-filter"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setTop(0);
          if (scroller.current !== null) scroller.current.scrollTop = 0;
        }}
      />
      <div
        ref={scroller}
        className="bare-scroll"
        onScroll={(e) => {
          const next = e.currentTarget.scrollTop;
          const r = visibleRange(offsets, next, 700, OVERSCAN);
          if (r.start !== range.start || r.end !== range.end)
            flushSync(() => {
              setTop(next);
            });
        }}
      >
        <div style={{ height: before }} />
        {shown.slice(range.start, range.end).map((row) =>
          row.kind === 'group' ? (
            <div key={row.key} className="bare-group">
              {row.text}
            </div>
          ) : (
            <div key={row.key} className="item bare-contact">
              <span className="avatar" style={{ background: row.color }}>
                {row.initials}
              </span>
              <span className="item-text">
                <span className="item-row">
                  <span className="item-name">{row.name}</span>
                  <span className="presence">{row.presence}</span>
                </span>
                <span className="item-sub">{row.sub}</span>
              </span>
            </div>
          ),
        )}
        <div style={{ height: after }} />
      </div>
    </>
  );
}

// --- the page's interface ---------------------------------------------------------------

const i18n = createI18n('en');
let root: Root | null = null;
let contacts: Contact[] = [];
let rowCount = 0;
let recorder: FrameRecorder | null = null;
let pending: { kind: ListKind; element: ReactNode } | null = null;
const noop = (): void => undefined;
/** No core here: the contacts have no pictures, so nothing is asked of it (a call would fail). */
const core = {
  client: { call: () => Promise.reject(new Error('no core in the benchmark')), on: () => noop },
  transport: {},
} as unknown as Parameters<typeof CoreProvider>[0]['value'];

const bench: RosterBench = {
  /** Makes the roster; says how many contacts, rows (a contact in two groups: two rows) and groups. */
  prepare(count: number, groups: number, seed: number): { contacts: number; rows: number; groups: number } {
    contacts = makeRoster(count, groups, seed);
    const rows = bareRowsOf(contacts);
    rowCount = rows.length;
    return { contacts: contacts.length, rows: rows.length, groups: rows.filter((r) => r.kind === 'group').length };
  },

  async prepareMount(kind: ListKind): Promise<void> {
    const host = document.getElementById('root');
    if (host === null) throw new Error('no #root');
    root?.unmount();
    root = createRoot(host);
    await nextFrame();
    // What each side is handed: Parley the roster as it arrives, the bare list its finished rows.
    const groups: RosterGroup[] = [{ accountId: 'bench', contacts: [...contacts] }];
    const bareRows = kind === 'bare' ? bareRowsOf(contacts) : [];
    const conversations = new Map<string, { unread?: number }>();
    pending = {
      kind,
      element:
        kind === 'parley' ? (
          <I18nProvider value={i18n}>
            <CoreProvider value={core}>
              <div className="sidebar bench-box">
                <nav className="side-lists">
                  <ContactList
                    groups={groups}
                    accounts={new Map()}
                    headings={false}
                    conversations={conversations}
                    selected={null}
                    onOpen={noop}
                  />
                </nav>
              </div>
            </CoreProvider>
          </I18nProvider>
        ) : (
          <div className="sidebar bench-box">
            <BareList rows={bareRows} />
          </div>
        ),
    };
  },

  async mount(): Promise<MountTiming> {
    const target = root;
    const next = pending;
    if (target === null || next === null) throw new Error('prepareMount first');
    pending = null;
    const { kind, element } = next;
    performance.mark('roster-handover');
    const handover = performance.now();
    flushSync(() => {
      target.render(element);
    });
    const rendered = performance.now();
    const { frameStart, painted } = await nextFrame();
    performance.mark('roster-painted');
    return {
      work: rendered - handover + (painted - frameStart),
      toPaint: painted - handover,
      rows: rowCount,
      inPage: document.querySelectorAll(
        kind === 'parley' ? '.roster-list [data-index]' : '.bare-scroll > .item, .bare-scroll > .bare-group',
      ).length,
    };
  },

  unmount(): void {
    root?.unmount();
    root = null;
  },

  /** The list's scroll container and filter box. */
  selectors(kind: ListKind): { scroller: string; filter: string } {
    return kind === 'parley'
      ? { scroller: '.roster-scroll', filter: '.roster-filter' }
      : { scroller: '.bare-scroll', filter: '.bare-filter' };
  },

  startFrames(): void {
    recorder = new FrameRecorder();
  },

  async stopFrames(): Promise<FrameStats> {
    if (recorder === null) throw new Error('not recording');
    const stats = await recorder.stop();
    recorder = null;
    return stats;
  },

  /** Scrolls the list from top to bottom, `step` pixels a frame, recording the frames. */
  async scroll(kind: ListKind, step: number): Promise<FrameStats & { height: number }> {
    const el = document.querySelector(this.selectors(kind).scroller);
    if (el === null) throw new Error('no scroller');
    el.scrollTop = 0;
    await nextFrame();
    this.startFrames();
    const end = el.scrollHeight - el.clientHeight;
    for (let top = step; top < end + step; top += step) {
      el.scrollTop = Math.min(top, end);
      await nextFrame();
    }
    await nextFrame();
    return { ...(await this.stopFrames()), height: el.scrollHeight };
  },
};

window.rosterBench = bench;
