/**
 * Server state kept live: load it, then apply events to it.
 *
 * Events that arrive while the load is in flight are queued and replayed on
 * top of its result, so nothing is lost between "fetch" and "subscribe".
 * When `key` changes the old data is dropped (unless `keepWhileLoading`: a
 * list over several accounts stays on screen while one is added); when only
 * the connection epoch changes the old data stays until the re-fetch lands.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useEpoch } from './core.ts';

export type Update<T> = (state: T) => T;

export interface Live<T> {
  /** undefined until the first load for this key has landed */
  data: T | undefined;
  error: unknown;
  /** Apply a local change (e.g. a command's result) the same way as an event. */
  update: (f: Update<T>) => void;
  /** Load again (the current data stays until the new load lands). */
  reload: () => void;
}

interface Slot<T> {
  key: string;
  data: T | undefined;
  error: unknown;
}

export function useLive<T>(
  key: string,
  load: () => Promise<T>,
  subscribe: (apply: (f: Update<T>) => void) => () => void,
  { keepWhileLoading = false }: { keepWhileLoading?: boolean } = {},
): Live<T> {
  const epoch = useEpoch();
  const [slot, setSlot] = useState<Slot<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  const applyRef = useRef<(f: Update<T>) => void>(() => undefined);
  // Latest callbacks without re-running the effect for every render.
  const onLoad = useEffectEvent(load);
  const onSubscribe = useEffectEvent(subscribe);

  useEffect(() => {
    if (epoch === 0) return undefined;
    let active = true;
    let queue: Update<T>[] | null = [];
    const apply = (f: Update<T>): void => {
      if (!active) return;
      queue?.push(f);
      setSlot((s) => (s?.key === key && s.data !== undefined ? { ...s, data: f(s.data) } : s));
    };
    applyRef.current = apply;
    const unsubscribe = onSubscribe(apply);
    onLoad().then(
      (fresh) => {
        if (!active) return;
        const data = (queue ?? []).reduce((s, f) => f(s), fresh);
        queue = null;
        setSlot({ key, data, error: undefined });
      },
      (error: unknown) => {
        if (!active) return;
        queue = null;
        setSlot((s) => ({ key, data: s?.key === key ? s.data : undefined, error }));
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [key, epoch, generation]);

  const update = useCallback((f: Update<T>) => {
    applyRef.current(f);
  }, []);
  const reload = useCallback(() => {
    setGeneration((n) => n + 1);
  }, []);
  const current = slot !== null && (slot.key === key || keepWhileLoading) ? slot : null;
  return { data: current?.data, error: current?.error, update, reload };
}

/** Insert or replace items by identity, keeping the original order of the rest. */
export function upsert<T>(list: readonly T[], items: readonly T[], same: (a: T, b: T) => boolean): T[] {
  const out = [...list];
  for (const item of items) {
    const i = out.findIndex((x) => same(x, item));
    if (i === -1) out.push(item);
    else out[i] = item;
  }
  return out;
}
