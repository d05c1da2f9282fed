/** What the conversation benchmark's page offers on `window.conversationBench` (types only: shared by the page and the benchmark). */

export type ConversationKind = 'parley' | 'bare';

export interface ConversationFrames {
  frames: number;
  /**
   * Main-thread work per frame (ms): from the frame's scroll event (or its animation frame) to
   * its paint, plus the tasks queued behind it that ran before the next frame (React's
   * scheduled renders, older pages landing).
   */
  maxWork: number;
  p95Work: number;
  medianWork: number;
  /** The longest time between two frames (ms): what a user sees as a stall. */
  maxInterval: number;
  /** Frames whose work was over 50 ms, by the measure above. */
  over50: number;
  /** Frames in which the list took in an older page, the longest of them, and the longest of the others. */
  pagedFrames: number;
  pagedMax: number;
  otherMax: number;
  /** Frames the browser itself reported as long (long-animation-frame: over 50 ms), and the longest. */
  longFrames: number;
  maxLong: number;
}

export interface OpenTiming {
  /** Main-thread work from handing the newest page over to the first frame painted with the newest message in view. */
  work: number;
  /** Wall time from the hand-over to that frame (includes waiting for frames). */
  toPaint: number;
  /** Frames painted until the newest message was in view (1: the first). */
  frames: number;
  /** Message rows in the page once open: the virtualization at work. */
  inPage: number;
}

export interface ScrollResult extends ConversationFrames {
  /** How far back the top of the view got: messages between it and the newest message. */
  messagesBack: number;
  /** Messages loaded (held by the list) at the end, and the older pages loaded while scrolling. */
  loaded: number;
  pages: number;
  /** Pixels scrolled, and the list's height at the end (Parley: measured rows, the rest estimated). */
  scrolled: number;
  height: number;
  /** Wall time of the whole scroll (ms). */
  duration: number;
}

export interface ConversationBench {
  /** Makes the conversation (deterministic); says how many messages and how many of each kind. */
  prepare(count: number, seed: number): Record<string, number>;
  /** Mounts one list without messages (as a conversation opens, before its first page arrives). */
  mount(kind: ConversationKind): Promise<void>;
  /** Hands the newest page to the mounted list, timing it to the first frame with the newest message in view. */
  open(): Promise<OpenTiming>;
  /** Scrolls up `step` px a frame until the top of the view is `back` messages before the newest, recording the frames. */
  scrollBack(back: number, step: number, limitMs: number): Promise<ScrollResult>;
  unmount(): void;
}

declare global {
  interface Window {
    conversationBench: ConversationBench;
  }
}
