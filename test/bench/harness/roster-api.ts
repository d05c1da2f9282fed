/** What the roster benchmark's page offers on `window.rosterBench` (types only: shared by the page and the benchmark). */

export type ListKind = 'parley' | 'bare';

export interface FrameStats {
  frames: number;
  /** Main-thread work per frame (ms): the frame's input and scroll handlers, rendering, painting. */
  maxWork: number;
  p95Work: number;
  /** The longest time between two frames (ms): what a user sees as a stall (a multiple of the refresh). */
  maxInterval: number;
  /** Frames the browser itself reported as long (long-animation-frame: over 50 ms), and the longest. */
  longFrames: number;
  maxLong: number;
}

export interface MountTiming {
  /** Main-thread work from the hand-over to the first frame painted (render, then that frame). */
  work: number;
  /** Wall time from the hand-over to that frame painted (includes waiting for the frame). */
  toPaint: number;
  /** Rows in the list (all of them, not only those in the page). */
  rows: number;
  /** Row elements in the page: the virtualization at work. */
  inPage: number;
}

export interface RosterBench {
  /** Makes the roster; says how many contacts, rows (a contact in two groups: two rows) and groups. */
  prepare(count: number, groups: number, seed: number): { contacts: number; rows: number; groups: number };
  /** Empties the page and makes what one list will be handed (a separate task from `mount`). */
  prepareMount(kind: ListKind): Promise<void>;
  /**
   * Hands the roster over and renders it, timing the hand-over to the first frame painted;
   * marks both (`roster-handover`, `roster-painted`) for a trace.
   */
  mount(): Promise<MountTiming>;
  unmount(): void;
  /** The list's scroll container and filter box. */
  selectors(kind: ListKind): { scroller: string; filter: string };
  /** Records every frame until `stopFrames`, marking each one's end (`roster-frame`) for a trace. */
  startFrames(): void;
  stopFrames(): Promise<FrameStats>;
  /** Scrolls the list from top to bottom, `step` pixels a frame, recording the frames. */
  scroll(kind: ListKind, step: number): Promise<FrameStats & { height: number }>;
}

declare global {
  interface Window {
    rosterBench: RosterBench;
  }
}
