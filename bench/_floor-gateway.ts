/**
 * The least a gateway in front of the simulator can cost, for `bench/gateway-overhead.ts`'s floor
 * rows: a bare `node:http` server (no Fastify, no auth, no log, no metering, no call log) that
 * answers `POST /v1/generate` with `{ text, usage }`.
 *
 *   node bench/_floor-gateway.ts PORT UPSTREAM MODE
 *     sdk-fetch   the official OpenAI SDK as a user would write it (global fetch)
 *     sdk-undici  the official OpenAI SDK on Reins's undici transport (what `reins serve` uses)
 *     proxy       no SDK: the request body built by hand and sent with `undici.request`
 *
 * The SDK rows are the floor for any gateway whose every call goes through the official SDK;
 * the proxy row is the floor for a Node gateway at all.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import OpenAI from 'openai';
import { createUndiciFetch } from '../packages/client/src/providers/undici-fetch.ts';

// The client's undici (the one its transport runs on), wherever npm placed it.
const { Agent, request } = createRequire(new URL('../packages/client/package.json', import.meta.url))(
  'undici',
) as typeof import('undici');

const [port, upstream, mode] = process.argv.slice(2) as [string, string, string];
const KEY = process.env['OPENAI_API_KEY'] ?? 'sk-bench';

const openai =
  mode === 'proxy'
    ? undefined
    : new OpenAI({
        apiKey: KEY,
        baseURL: upstream,
        maxRetries: 0,
        ...(mode === 'sdk-undici' ? { fetch: createUndiciFetch() } : {}),
      });
const agent = new Agent({ keepAliveTimeout: 4_000 });

type Body = { model: string; prompt: string; maxTokens?: number };
type Completion = {
  choices: Array<{ message: { content: string | null } }>;
  usage?: { prompt_tokens: number; completion_tokens: number };
};

async function answer(body: Body): Promise<Completion> {
  const params = {
    model: body.model.replace(/^openai\//, ''),
    messages: [{ role: 'user' as const, content: body.prompt }],
    ...(body.maxTokens === undefined ? {} : { max_tokens: body.maxTokens }),
  };
  if (openai !== undefined) return (await openai.chat.completions.create(params)) as Completion;
  const response = await request(`${upstream}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
    dispatcher: agent,
  });
  return (await response.body.json()) as Completion;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const completion = await answer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body);
    const text = JSON.stringify({
      text: completion.choices[0]?.message.content ?? '',
      usage: completion.usage,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } catch (error) {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
}

createServer((req, res) => {
  if (req.method === 'GET') {
    res.end('ok');
    return;
  }
  void handle(req, res);
}).listen(Number(port), '127.0.0.1');

// Exit on SIGTERM through `process.exit`, so `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
