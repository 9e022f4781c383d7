import { createHash } from 'node:crypto';
import type { ProviderConfig } from '@reins/client';

/**
 * A short hash per provider of what makes it one account: its type, endpoint and API key. Shared
 * limiter and breaker keys carry it, so servers on different keys (or simulators) that share a
 * Redis keep separate buckets, and no key ever reaches Redis.
 *
 * @example
 * const identities = providerIdentities({ openai: { apiKey: 'sk-…' } }); // { openai: '3f9a…' }
 * const identity = (key: string) => identities[key.split('/')[0]!] ?? 'default';
 */
export function providerIdentities(providers: Record<string, ProviderConfig>): Record<string, string> {
  const identities: Record<string, string> = {};
  for (const [name, provider] of Object.entries(providers)) {
    const material = [provider.type ?? '', provider.baseURL ?? '', provider.apiKey ?? ''].join('\n');
    identities[name] = createHash('sha256').update(material).digest('hex').slice(0, 16);
  }
  return identities;
}
