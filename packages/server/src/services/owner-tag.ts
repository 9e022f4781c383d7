/**
 * The tag every call made for a key owner carries in the call log. Calls, traces and usage are
 * scoped by it, so one key never sees another's calls.
 *
 * @example
 * store.calls.list({ tag: ownerTag('alice') });
 */
export function ownerTag(owner: string): string {
  return `owner:${owner}`;
}
