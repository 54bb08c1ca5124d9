/**
 * Running the core's async operations to completion inside ONE synchronous Apps Script call.
 *
 * A function google.script.run calls must return its result, not a Promise: Apps Script serialises
 * the return value when the function returns, and a Promise is not a value it can send (the sidebar
 * would get null). The core's operations are `async` against the port, but nothing in them waits for
 * anything real — SheetsPort's read and write are synchronous and return settled promises.
 *
 * So the bundle is compiled with async/await lowered to generators (ts-loader target ES2016: each
 * `await` goes through the `Promise` global), and runSync_ swaps that global for SyncPromise for the
 * duration of the call: a Promise whose reactions go on a queue this function drains itself, in a
 * loop (no deep recursion). If anything waits on a real promise or a timer, runSync_ says so.
 */

type Reaction = [(v: unknown) => void, (e: unknown) => void];

const queue: (() => void)[] = [];

class SyncPromise<T> {
  private state: 0 | 1 | 2 = 0;
  private value: unknown;
  private reactions: Reaction[] = [];

  constructor(executor: (resolve: (v: T | PromiseLike<T>) => void, reject: (e: unknown) => void) => void) {
    let done = false;
    try {
      executor(
        (v) => {
          if (done) return;
          done = true;
          this.adopt(v);
        },
        (e) => {
          if (done) return;
          done = true;
          this.settle(2, e);
        },
      );
    } catch (e) {
      if (!done) {
        done = true;
        this.settle(2, e);
      }
    }
  }

  private adopt(v: unknown): void {
    if (v === this) return this.settle(2, new TypeError('A promise cannot resolve to itself'));
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      let then: unknown;
      try {
        then = (v as { then?: unknown }).then;
      } catch (e) {
        return this.settle(2, e);
      }
      if (typeof then === 'function') {
        let called = false;
        queue.push(() => {
          try {
            (then as (f: (y: unknown) => void, r: (e: unknown) => void) => void).call(
              v,
              (y) => {
                if (!called) {
                  called = true;
                  this.adopt(y);
                }
              },
              (r) => {
                if (!called) {
                  called = true;
                  this.settle(2, r);
                }
              },
            );
          } catch (e) {
            if (!called) {
              called = true;
              this.settle(2, e);
            }
          }
        });
        return;
      }
    }
    this.settle(1, v);
  }

  private settle(state: 1 | 2, value: unknown): void {
    if (this.state) return;
    this.state = state;
    this.value = value;
    for (const r of this.reactions) this.schedule(r);
    this.reactions = [];
  }

  private schedule(r: Reaction): void {
    queue.push(() => (this.state === 1 ? r[0] : r[1])(this.value));
  }

  then<A = T, B = never>(
    onFulfilled?: ((v: T) => A | PromiseLike<A>) | null,
    onRejected?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): SyncPromise<A | B> {
    return new SyncPromise<A | B>((resolve, reject) => {
      const r: Reaction = [
        (v) => {
          if (typeof onFulfilled !== 'function') return resolve(v as A);
          try {
            resolve(onFulfilled(v as T));
          } catch (e) {
            reject(e);
          }
        },
        (e) => {
          if (typeof onRejected !== 'function') return reject(e);
          try {
            resolve(onRejected(e));
          } catch (x) {
            reject(x);
          }
        },
      ];
      if (this.state) this.schedule(r);
      else this.reactions.push(r);
    });
  }

  catch<B = never>(onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): SyncPromise<T | B> {
    return this.then(undefined, onRejected);
  }

  finally(f?: (() => void) | null): SyncPromise<T> {
    return this.then(
      (v) => SyncPromise.resolve(f?.()).then(() => v),
      (e) =>
        SyncPromise.resolve(f?.()).then(() => {
          throw e;
        }),
    );
  }

  static resolve<U>(v: U | PromiseLike<U>): SyncPromise<U> {
    return v instanceof SyncPromise ? (v as SyncPromise<U>) : new SyncPromise<U>((res) => res(v));
  }

  static reject<U = never>(e: unknown): SyncPromise<U> {
    return new SyncPromise<U>((_, rej) => rej(e));
  }

  static all<U>(items: Iterable<U | PromiseLike<U>>): SyncPromise<U[]> {
    return new SyncPromise<U[]>((resolve, reject) => {
      const list = [...items];
      const out: U[] = new Array(list.length);
      let left = list.length;
      if (left === 0) return resolve(out);
      list.forEach((item, i) =>
        SyncPromise.resolve(item).then((v) => {
          out[i] = v;
          if (--left === 0) resolve(out);
        }, reject),
      );
    });
  }

  static allSettled<U>(
    items: Iterable<U | PromiseLike<U>>,
  ): SyncPromise<({ status: 'fulfilled'; value: U } | { status: 'rejected'; reason: unknown })[]> {
    return SyncPromise.all(
      [...items].map((item) =>
        SyncPromise.resolve(item).then(
          (value) => ({ status: 'fulfilled' as const, value }),
          (reason: unknown) => ({ status: 'rejected' as const, reason }),
        ),
      ),
    );
  }

  static race<U>(items: Iterable<U | PromiseLike<U>>): SyncPromise<U> {
    return new SyncPromise<U>((resolve, reject) => {
      for (const item of items) SyncPromise.resolve(item).then(resolve, reject);
    });
  }
}

/** Runs an async computation whose awaits are all on settled promises, and returns its result. */
export function runSync_<T>(start: () => PromiseLike<T>): T {
  const g = globalThis as unknown as { Promise: unknown };
  const native = g.Promise;
  g.Promise = SyncPromise;
  const outcome: { state: 0 | 1 | 2; value: unknown } = { state: 0, value: undefined };
  try {
    SyncPromise.resolve(start()).then(
      (v) => {
        outcome.state = 1;
        outcome.value = v;
      },
      (e) => {
        outcome.state = 2;
        outcome.value = e;
      },
    );
    for (let i = 0; i < queue.length; i++) (queue[i] as () => void)();
  } finally {
    queue.length = 0;
    g.Promise = native;
  }
  if (outcome.state === 1) return outcome.value as T;
  if (outcome.state === 2) throw outcome.value;
  throw new Error('runSync_: the operation waited for something that never settles synchronously');
}

export { SyncPromise };
