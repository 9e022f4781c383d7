const MARKER_PREFIX = 'reins.error.';

/**
 * Data every Reins error may carry; subclasses add their own fields.
 *
 * @example
 * new ProviderError('upstream failed', { status: 502, provider: 'openai', isRetryable: true })
 */
export type ReinsErrorOptions = {
  cause?: unknown;
  isRetryable?: boolean;
  provider?: string;
  model?: string;
  status?: number;
  requestId?: string;
};

/**
 * Base class of every error Reins throws. `isRetryable` says whether a fresh attempt could
 * succeed; `isInstance` works across duplicate copies of the package (a `Symbol.for` marker per
 * class in the chain), where `instanceof` would not.
 *
 * @example
 * try { await client.generate(request) } catch (error) {
 *   if (ReinsError.isInstance(error) && error.isRetryable) scheduleLater(request);
 * }
 */
export class ReinsError extends Error {
  static readonly errorName: string = 'ReinsError';
  readonly isRetryable: boolean;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: ReinsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const target = new.target as typeof ReinsError;
    this.name = target.errorName;
    this.isRetryable = options.isRetryable ?? false;
    this.provider = options.provider;
    this.model = options.model;
    this.status = options.status;
    this.requestId = options.requestId;
    // Mark this object with every class name in its chain, so `Parent.isInstance(child)` holds.
    let current: unknown = target;
    while (typeof current === 'function' && 'errorName' in current) {
      Object.defineProperty(this, Symbol.for(MARKER_PREFIX + (current as typeof ReinsError).errorName), {
        value: true,
      });
      current = Object.getPrototypeOf(current);
    }
  }

  /** `true` when `error` is this class (or a subclass), from any copy of `@reins/client`. */
  static isInstance<T extends ReinsError>(
    this: { errorName: string; prototype: T },
    error: unknown,
  ): error is T {
    // `this` is the class the method was called on: `RateLimitError.isInstance` checks its own marker.
    // biome-ignore lint/complexity/noThisInStatic: dispatch on the subclass is the point.
    const marker = Symbol.for(MARKER_PREFIX + this.errorName);
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
