/**
 * What the preload and the shell's IPC adapter share: the one channel name and
 * the frame bound. Dependency-free on purpose: the sandboxed preload imports it,
 * and importing rpc.ts there would bundle zod into the preload.
 */

/** The only IPC channel between renderer and main; both directions carry text frames. */
export const FRAME_CHANNEL = 'parley:frame';

/** Largest frame (in UTF-16 code units) the renderer may send; checked by every transport. */
export const MAX_FRAME = 256 * 1024;
