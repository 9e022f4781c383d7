import type { ProviderRequest } from './provider.ts';
import { CALLER_SIGNAL } from './undici-fetch.ts';

/** The per-request options both official SDKs take as their second argument. */
export type SdkRequestOptions = {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  timeout?: number;
  /** Passed by the SDKs to `fetch` with its init: here only the caller's signal for our transport. */
  fetchOptions?: Omit<RequestInit, 'body' | 'headers' | 'method' | 'signal'>;
};

/**
 * Per-request SDK options, or none at all (the SDKs do measurably less work without them).
 * With `signalToTransport` (the adapter's transport is a `createUndiciFetch`), the request's
 * signal goes to the transport through `fetchOptions` (`CALLER_SIGNAL`) instead of to the SDK,
 * which would compose and watch it at a cost several times the transport's (see `CALLER_SIGNAL`).
 * Only for answers read whole by the transport (not streams): the SDK then never learns of an
 * abort, so the caller maps the error of an aborted request by its signal (`toAttemptError`).
 *
 * @example
 * await sdk.chat.completions.create(body, sdkRequestOptions(request));
 */
export function sdkRequestOptions(
  request: ProviderRequest,
  signalToTransport = false,
): SdkRequestOptions | undefined {
  if (request.signal === undefined && request.headers === undefined && request.timeoutMs === undefined)
    return undefined;
  const options: SdkRequestOptions = {};
  if (request.signal !== undefined) {
    if (signalToTransport)
      options.fetchOptions = { [CALLER_SIGNAL]: request.signal } as SdkRequestOptions['fetchOptions'];
    else options.signal = request.signal;
  }
  if (request.headers !== undefined) options.headers = request.headers;
  if (request.timeoutMs !== undefined) options.timeout = request.timeoutMs;
  return options;
}
