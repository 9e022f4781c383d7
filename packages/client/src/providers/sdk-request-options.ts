import type { ProviderRequest } from './provider.ts';

/** The per-request options both official SDKs take as their second argument. */
export type SdkRequestOptions = { signal?: AbortSignal; headers?: Record<string, string>; timeout?: number };

/**
 * Per-request SDK options, or none at all (the SDKs do measurably less work without them).
 *
 * @example
 * await sdk.chat.completions.create(body, sdkRequestOptions(request));
 */
export function sdkRequestOptions(request: ProviderRequest): SdkRequestOptions | undefined {
  if (request.signal === undefined && request.headers === undefined && request.timeoutMs === undefined)
    return undefined;
  const options: SdkRequestOptions = {};
  if (request.signal !== undefined) options.signal = request.signal;
  if (request.headers !== undefined) options.headers = request.headers;
  if (request.timeoutMs !== undefined) options.timeout = request.timeoutMs;
  return options;
}
