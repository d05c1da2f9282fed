/**
 * A deterministic archive of chat messages for the archive benchmarks (ingest, search): about
 * two thirds English and one third Chinese (some of it mixed with English words), words drawn
 * with a Zipf-like skew from a small common vocabulary and a long tail of rarer words, spread
 * over a few accounts and many conversations, timestamps increasing, ~1% re-delivered
 * duplicates (same identity: the archive stores them once). Same seed, same messages; each
 * generated when asked for.
 */
import type { NewMessage } from '../../../main/core/archive/repos/messages.ts';

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON_EN = `the a to and of i you it is in that for on me we be have this are with not do at so can
will just but my was all what your get if up know about out like no see there one go time good
now how then think today tomorrow meeting call send file check work later yes ok thanks please
back home need want let new make take sure right still going come look here when did got back
really maybe lunch dinner coffee weekend project report update review deploy build test server
bug fix release issue plan team office train flight hotel ticket price photo video link email
phone number address morning night week month year happy birthday sorry problem question answer
idea great nice cool awesome love miss busy free early late soon again first last next best
quick brown fox lazy dog budget contract invoice customer design draft slides agenda schedule`
  .split(/\s+/u)
  .filter(Boolean);

const COMMON_ZH = `我们 你们 他们 今天 明天 昨天 现在 时候 开会 北京 上海 广州 深圳 公司 工作 项目 报告
会议 问题 时间 已经 可以 没有 什么 怎么 为什么 知道 觉得 喜欢 需要 一起 一下 这个 那个 因为
所以 但是 还是 如果 客户 合同 发票 预算 设计 方案 测试 上线 服务器 版本 修复 计划 团队 办公室
火车 飞机 酒店 机票 价格 照片 视频 链接 邮件 电话 地址 早上 晚上 周末 下午 中午 吃饭 咖啡
生日 快乐 谢谢 不好意思 没关系 麻烦 请问 回家 出发 到了 等等 马上 稍后 好的 收到 明白 同意`
  .split(/\s+/u)
  .filter(Boolean);

const SYLLABLES =
  'ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo'.split(
    ' ',
  );
const HAN =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广王'.split(
    '',
  );

/** Draws an index in [0, size) with a Zipf-like skew (small indexes often). */
function zipfSampler(size: number, skew = 1.05): (rnd: () => number) => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    total += 1 / Math.pow(i + 1, skew);
    cumulative[i] = total;
  }
  return (rnd) => {
    const x = rnd() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface Corpus {
  /** Messages in the archive-to-be, duplicates included. */
  count: number;
  /** The i-th message in arrival order (0-based): the same every time, generated on demand. */
  at(i: number): NewMessage;
  /** Messages [start, end) in arrival order. */
  slice(start: number, end: number): NewMessage[];
  /** Typical queries drawn from the corpus: words, prefixes, CJK 2- and 3-character substrings, phrases. */
  queries(n: number): string[];
  accounts: readonly string[];
  peers: readonly string[];
  firstTimestamp: number;
  lastTimestamp: number;
}

/** Timestamps: one message a minute on average, from 2019 on, always increasing. */
const START = Date.UTC(2019, 0, 1);
const timestampOf = (i: number, rnd: () => number) => START + i * 60_000 + Math.floor(rnd() * 59_000);

/**
 * A corpus of `count` messages. Nothing is held but the vocabulary: message i comes from its
 * own seeded generator, so a million of them need not fit in memory (and the figures of a
 * benchmark are not those of a process holding them).
 */
export function createCorpus(count: number, seed = 20240501): Corpus {
  const setup = random(seed);
  const pickWith = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  // English: the common words first, then a long tail of made-up rarer words.
  const tail: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const n = 2 + Math.floor(setup() * 3);
    let w = '';
    for (let k = 0; k < n; k++) w += pickWith(setup, SYLLABLES);
    tail.push(w);
  }
  const english = [...COMMON_EN, ...tail];
  // Chinese: common words, then random 2-3 character compounds.
  const zhTail: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const n = 2 + Math.floor(setup() * 2);
    let w = '';
    for (let k = 0; k < n; k++) w += pickWith(setup, HAN);
    zhTail.push(w);
  }
  const chinese = [...COMMON_ZH, ...zhTail];
  const enWord = zipfSampler(english.length);
  const zhWord = zipfSampler(chinese.length);

  const accounts = ['alice@example.org', 'alice@work.example.com', 'ali@jabber.example.net'];
  const peers: string[] = [];
  for (let i = 0; i < 600; i++)
    peers.push(
      `${pickWith(setup, tail)}${String(i)}@${pickWith(setup, ['example.org', 'chat.example.com', 'xmpp.example.net'])}`,
    );
  const peerIndex = zipfSampler(peers.length, 0.9);

  const fresh = (i: number): NewMessage => {
    const rnd = random(seed ^ Math.imul(i + 1, 0x9e3779b1));
    const pick = <T>(list: readonly T[]): T => pickWith(rnd, list);
    const id = () => {
      let h = '';
      for (let k = 0; k < 4; k++)
        h += Math.floor(rnd() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    };
    const sentenceEn = () => {
      const n = 3 + Math.floor(rnd() * 14);
      const words: string[] = [];
      for (let k = 0; k < n; k++) words.push(english[enWord(rnd)] ?? 'x');
      const first = words[0] ?? '';
      words[0] = first.charAt(0).toUpperCase() + first.slice(1);
      return words.join(' ') + pick(['.', '!', '?', '', '', ' :)']);
    };
    const sentenceZh = () => {
      const n = 3 + Math.floor(rnd() * 9);
      let text = '';
      for (let k = 0; k < n; k++) {
        if (rnd() < 0.08) text += ` ${english[enWord(rnd)] ?? 'x'} `;
        else text += chinese[zhWord(rnd)] ?? '中';
        if (rnd() < 0.12) text += '，';
      }
      return text.trim() + pick(['。', '！', '？', '', '～']);
    };
    const timestamp = timestampOf(i, rnd);
    const direction = rnd() < 0.5 ? 'in' : 'out';
    const originId = id();
    const body = rnd() < 0.65 ? sentenceEn() : sentenceZh();
    return {
      account: pick(accounts),
      peer: peers[peerIndex(rnd)] ?? 'x@example.org',
      direction,
      senderKey: originId,
      originId,
      messageId: originId,
      stanzaId: id(),
      body: rnd() < 0.1 ? `${body} ${direction === 'in' ? sentenceEn() : sentenceZh()}` : body,
      timestamp,
      receivedAt: timestamp,
      state: direction === 'in' ? 'received' : 'acked',
    };
  };

  /** ~1% are a re-delivery of one of the hundred messages before (same identity). */
  const at = (i: number): NewMessage => {
    const rnd = random(seed ^ Math.imul(i + 1, 0x85ebca6b));
    if (i > 100 && rnd() < 0.01) {
      const again = fresh(i - 1 - Math.floor(rnd() * 100));
      return { ...again, receivedAt: timestampOf(i, rnd) };
    }
    return fresh(i);
  };

  const queries = (n: number): string[] => {
    const out: string[] = [];
    const qr = random(seed + 1);
    const qpick = <T>(list: readonly T[]): T => pickWith(qr, list);
    const cjkRun = /[\u3400-\u9fff]{3,}/gu;
    const kinds = ['word', 'rare', 'prefix', 'cjk2', 'cjk3', 'phrase', 'two-words', 'cjk-word'] as const;
    for (let i = 0; out.length < n && i < n * 50; i++) {
      const kind = kinds[i % kinds.length];
      const m = at(Math.floor(qr() * count));
      const latin = m.body.match(/[A-Za-z]{3,}/gu) ?? [];
      const runs = m.body.match(cjkRun) ?? [];
      let q: string | undefined;
      if (kind === 'word') q = qpick(COMMON_EN);
      else if (kind === 'rare') q = qpick(tail.slice(0, 5_000));
      else if (kind === 'prefix' && latin.length > 0)
        q = qpick(latin)
          .slice(0, 2 + Math.floor(qr() * 3))
          .toLowerCase();
      else if ((kind === 'cjk2' || kind === 'cjk3') && runs.length > 0) {
        const run = Array.from(qpick(runs));
        const len = kind === 'cjk2' ? 2 : 3;
        const from = Math.floor(qr() * (run.length - len + 1));
        q = run.slice(from, from + len).join('');
      } else if (kind === 'phrase') {
        const words = m.body.split(/\s+/u).filter((w) => /^[A-Za-z]+$/u.test(w));
        const from = Math.floor(qr() * (words.length - 1));
        if (words.length >= 2) q = `"${words[from] ?? ''} ${words[from + 1] ?? ''}"`;
      } else if (kind === 'two-words' && latin.length >= 2) q = `${qpick(latin)} ${qpick(latin)}`;
      else if (kind === 'cjk-word') q = qpick(COMMON_ZH);
      if (q) out.push(q);
    }
    return out;
  };

  return {
    count,
    at,
    slice(start, end) {
      const out: NewMessage[] = [];
      for (let i = start; i < Math.min(end, count); i++) out.push(at(i));
      return out;
    },
    queries,
    accounts,
    peers,
    firstTimestamp: at(0).timestamp,
    lastTimestamp: count > 0 ? at(count - 1).timestamp : START,
  };
}

/** The whole corpus in memory (small counts; `createCorpus` generates on demand). */
export function buildCorpus(
  count: number,
  queryCount = 200,
  seed = 20240501,
): { messages: NewMessage[]; queries: string[]; accounts: readonly string[]; peers: readonly string[] } {
  const corpus = createCorpus(count, seed);
  return {
    messages: corpus.slice(0, count),
    queries: corpus.queries(queryCount),
    accounts: corpus.accounts,
    peers: corpus.peers,
  };
}
