// The delivery queue. Events leave strictly one at a time and in order; a network failure keeps the
// event at the head and retries it after a growing, jittered delay. The queue is mirrored into
// sessionStorage, so events that never left survive a reload or a same-tab navigation. When the page
// hides, everything still waiting goes to the browser in one ordered beacon, because a hidden page
// may be frozen or discarded without another chance to run.
//
// Nothing here touches the DOM: the entry point passes the transport and the store, and the unit
// tests pass fakes. Positional parameters and a tuple of functions rather than objects, because
// property names survive minification and the tracker has a size budget.

/** Sends one event; `done(false)` only when it certainly did not arrive (a network error). */
export type Send = (query: string, done: (delivered: boolean) => void) => void;
/** Hands events to the browser to deliver even after the page is gone; falsy when it refuses. */
export type Beacon = (queries: string[]) => boolean | undefined;

export type Queue = readonly [
  push: (query: string) => void,
  /** Calls back once every event pushed before has been delivered or handed to a beacon. */
  whenCommitted: (callback: () => void) => void,
  /** The page is hiding (true) or visible again (false). */
  hidden: (isHidden: boolean) => void,
  /** Forgets every waiting event, here and in the store (opt-out). */
  clear: () => void,
];

type Item = string | (() => void);

/**
 * @param items events a previous page of this tab left behind; they go first
 * @param save called with the waiting events whenever they change
 * @param limit most events held; the oldest waiting one gives way beyond it
 * @param timeout after this long without an answer an event counts as sent and the next one goes
 */
export function createQueue(
  send: Send,
  beacon: Beacon,
  items: Item[],
  save: (queries: string[]) => void,
  limit: number,
  timeout: number,
): Queue {
  // 1 while the head event is in flight, so that slice(sending) skips it.
  let sending = 0;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | 0 = 0;
  let isHidden = false;

  const events = (): string[] => items.filter((item): item is string => typeof item == 'string');

  const pump = (): void => {
    // Callbacks run from a timer of their own, so that one that throws cannot stop the queue.
    while (!sending && typeof items[0] == 'function') setTimeout(items.shift() as () => void);
    if (sending || retry || !items.length) return;
    if (isHidden && !failures) return flush();
    sending = 1;
    // Cleared once the event is settled: a second answer (the late one after a timeout) is ignored.
    let timer: ReturnType<typeof setTimeout> | 0;
    const finish = (delivered: boolean): void => {
      if (!timer) return;
      clearTimeout(timer);
      timer = sending = 0;
      if (delivered) {
        failures = 0;
        items.shift();
        save(events());
      } else {
        // 1 s, 2 s, 4 s … 32 s, each cut to between half and all of it, so that the browsers an
        // outage cut off do not all come back in the same second.
        retry = setTimeout(
          () => {
            retry = 0;
            pump();
          },
          1000 * 2 ** Math.min(failures++, 5) * (0.5 + Math.random() / 2),
        );
      }
      pump();
    };
    // A request that hangs is not resent: it may still arrive, and a second copy would be a
    // duplicate. The queue moves on instead.
    timer = setTimeout(() => finish(true), timeout);
    send(items[0] as string, finish);
  };

  // Forgets the waiting events; the one in flight stays at the head, where finish() expects it.
  const drop = (): void => {
    items.splice(0, items.length, ...items.filter((item, i) => i < sending || typeof item != 'string'));
    save([]);
    pump();
  };

  // Hands the waiting events to one beacon, not the one in flight: fetch keepalive carries that.
  // While the collector is unreachable they stay in the store instead, for the next page of this
  // tab to send: a beacon would fail as surely, and silently.
  const flush = (): void => {
    const waiting = events().slice(sending);
    if (!failures && (!waiting.length || beacon(waiting))) drop();
  };

  pump();
  return [
    (query) => {
      items.push(query);
      const waiting = events();
      if (waiting.length > limit) items.splice(items.indexOf(waiting[sending]!), 1);
      save(events());
      // Events signalled while hidden (in a pagehide handler, say) go straight to a beacon, one
      // microtask later so that a burst of them shares it.
      if (isHidden) queueMicrotask(flush);
      else pump();
    },
    (callback) => {
      items.push(callback);
      pump();
    },
    (value) => {
      isHidden = value;
      if (value) flush();
      else pump();
    },
    drop,
  ];
}
