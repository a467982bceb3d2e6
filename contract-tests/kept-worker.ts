// A vitest pool for a shared suite session: one worker thread kept across the session's runs, so a
// run costs the checks, not a thread that loads vitest, ajv and the suite's modules again. vitest
// ends a worker when no task waits for it; this pool hands each run's PoolRunner the same thread,
// answers the run's "start" and "stop" itself once the thread is up, and ends the thread at the
// session's close, after a run stopped from outside (run-suite.ts: its cancelled checks may still
// wait in it), or at once when vitest ends a run by force (a check still hanging) or the thread is
// still busy. Each run re-evaluates the suite files (vitest invalidates the files it runs), and their
// state is the run's (`suite/run.ts`, `suite/check.ts` by the run's id): only modules that hold
// nothing of a run (the spec's reader, ajv, the HTTP layer) outlive it.
import { EventEmitter } from 'node:events';
import type { ThreadsPoolWorker, PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';

interface Message {
  __vitest_worker_response__?: boolean;
  type?: string;
}

/** The thread, its state across the session's runs. */
interface Kept {
  thread?: ThreadsPoolWorker;
  /** vitest's "start" reached the thread: its runtime is set up. */
  set?: boolean;
  /** Runs sent and not yet finished: a busy thread is never handed on. */
  running: number;
  /** Forwards the thread's events to the PoolRunner of the run in progress. */
  attached?: EventEmitter;
}

export interface KeptPool {
  /** The `pool` option for vitest. */
  readonly pool: PoolRunnerInitializer;
  /** Ends the thread (the session's close). */
  close(): Promise<void>;
}

/** `Threads`: vitest's own thread worker (from `vitest/node`, loaded late by the runner). */
export function keptThreadPool(Threads: typeof ThreadsPoolWorker): KeptPool {
  const kept: Kept = { running: 0 };
  const forward = (event: string) => (arg: unknown) => kept.attached?.emit(event, arg);
  const onMessage = forward('message');
  const onError = forward('error');
  const onExit = forward('exit');

  async function end(): Promise<void> {
    const thread = kept.thread;
    kept.thread = undefined;
    kept.set = false;
    kept.running = 0;
    if (!thread) return;
    thread.off('message', onMessage);
    thread.off('error', onError);
    thread.off('exit', onExit);
    await thread.stop();
  }

  class KeptThreadWorker implements PoolWorker {
    readonly name = 'kept-threads';
    private readonly events = new EventEmitter();
    private stopAsked = false;

    constructor(private readonly options: PoolOptions) {}

    on(event: string, callback: (arg: unknown) => void) {
      this.events.on(event, callback);
    }
    off(event: string, callback: (arg: unknown) => void) {
      this.events.off(event, callback);
    }
    deserialize(data: unknown) {
      return data;
    }

    async start() {
      if (!kept.thread) {
        const thread = new Threads(this.options);
        await thread.start();
        thread.on('message', onMessage);
        thread.on('error', onError);
        thread.on('exit', onExit);
        kept.thread = thread;
      }
      kept.attached = this.events;
    }

    send(message: WorkerRequest) {
      const thread = kept.thread;
      if (!thread) throw new Error('the kept worker thread is not running');
      const reply = (type: string) =>
        queueMicrotask(() => this.events.emit('message', { type, __vitest_worker_response__: true }));
      if (message.type === 'start') {
        if (kept.set) return reply('started');
        kept.set = true;
      } else if (message.type === 'stop') {
        this.stopAsked = true;
        // A run still under way (cancelled, not yet settled) keeps its thread busy: the thread ends.
        if (kept.running === 0) return reply('stopped');
      } else if (message.type === 'run' || message.type === 'collect') kept.running++;
      thread.send(message);
    }

    /** Called by vitest after "stop" (the thread is kept) or without it, forcing the end (it is ended). */
    async stop() {
      if (kept.attached === this.events) kept.attached = undefined;
      if (!this.stopAsked || kept.running > 0) await end();
    }
  }

  // A run's end, as the thread reports it.
  const track = (arg: unknown) => {
    const message = arg as Message;
    if (message?.__vitest_worker_response__ && message.type === 'testfileFinished')
      kept.running = Math.max(0, kept.running - 1);
  };

  return {
    pool: {
      name: 'kept-threads',
      createPoolWorker(options) {
        const worker = new KeptThreadWorker(options);
        worker.on('message', track);
        return worker;
      },
    },
    close: end,
  };
}
