import type { GenerateResult, StreamEvent } from './result.ts';

/**
 * A streaming answer: iterate it for tagged events, or await `.text()` / `.final()` (the same
 * result `generate` returns). It is consumed once; nothing is requested until you start.
 * Breaking out of the loop, or aborting the request's signal, aborts the upstream request.
 * A failure arrives as a last `{ type: 'error' }` event, and `.final()` rejects with it.
 *
 * @example
 * const stream = client.stream({ model: 'openai/gpt-5.6-luna', prompt: 'Tell a story' });
 * for await (const event of stream) if (event.type === 'text-delta') process.stdout.write(event.delta);
 * const { usage, costUsd } = await stream.final();
 */
export class LLMStream implements AsyncIterable<StreamEvent> {
  readonly #source: () => AsyncGenerator<StreamEvent, void, undefined>;
  readonly #final: Promise<GenerateResult>;
  #resolve!: (result: GenerateResult) => void;
  #reject!: (error: unknown) => void;
  #started = false;
  #settled = false;

  constructor(source: () => AsyncGenerator<StreamEvent, void, undefined>) {
    this.#source = source;
    this.#final = new Promise<GenerateResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Callers who only iterate may never look at `.final()`; its rejection is not "unhandled".
    this.#final.catch(() => {});
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    if (this.#started) throw new TypeError('An LLMStream can be consumed only once.');
    this.#started = true;
    return this.#iterate();
  }

  /** Resolves to the same result `generate` would; starts consuming if nobody iterates. */
  final(): Promise<GenerateResult> {
    if (!this.#started) {
      this.#started = true;
      void this.#drain();
    }
    return this.#final;
  }

  /** The whole text, once the stream has finished. */
  async text(): Promise<string> {
    return (await this.final()).text;
  }

  async #drain(): Promise<void> {
    const iterator = this.#iterate();
    for (;;) if ((await iterator.next()).done) return;
  }

  /**
   * A thin iterator over the source that watches for `finish` / `error` on the way past. Not an
   * async generator of its own: each generator layer adds microtask hops to every event.
   */
  #iterate(): AsyncIterator<StreamEvent> {
    const source = this.#source();
    const stopped = () =>
      this.#settle(() => this.#reject(new DOMException('The stream was not read to the end.', 'AbortError')));
    return {
      next: () =>
        source.next().then(
          (step) => {
            if (step.done) stopped();
            else if (step.value.type === 'finish') {
              const result = step.value.result;
              this.#settle(() => this.#resolve(result));
            } else if (step.value.type === 'error') {
              const error = step.value.error;
              this.#settle(() => this.#reject(error));
            }
            return step;
          },
          (error: unknown) => {
            this.#settle(() => this.#reject(error));
            throw error;
          },
        ),
      return: (value?: unknown) => {
        // The consumer stopped early (break): the source's `finally` aborts upstream.
        stopped();
        return source.return(value as undefined);
      },
    };
  }

  #settle(settle: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    settle();
  }
}
