import { createWriteStream, existsSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import {
  type AggregateGroup,
  type CallAggregate,
  type CallDetail,
  type CallFilter,
  type CallLogEntry,
  openStore,
  parseStoreUrl,
  type Store,
  storeUrlFromEnv,
} from '@reins/store';

const USAGE = `Usage:
  reins calls list [filters] [--limit N] [--cursor C]   newest first, one line per attempt
  reins calls show ID                                   an attempt, or a call by its call id,
                                                        as a person reads it: prompt, response,
                                                        usage, cost, timings, every attempt
  reins calls export [--out FILE.jsonl] [filters]       JSON lines (stdout without --out)
  reins calls stats --by day|model|user|template [filters]
                                                        cost, tokens and calls per group
  reins calls prune --older-than 30d                    delete attempts older than that

Filters:
  --trace ID  --call ID  --task ID  --user U  --eval-run ID
  --model M            model or provider/model
  --template NAME      or NAME@VERSION
  --status ok|error    --tag T
  --since 1h|7d|DATE   --until 1h|DATE
  --search TEXT        substring of the prompt, the response or its tool calls

Options:
  --db URL   the store (default: DATABASE_URL, else sqlite:./data/reins.db)
  --json     print JSON instead of text`;

const OPTIONS = {
  db: { type: 'string' },
  trace: { type: 'string' },
  call: { type: 'string' },
  task: { type: 'string' },
  user: { type: 'string' },
  'eval-run': { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  template: { type: 'string' },
  status: { type: 'string' },
  tag: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  search: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  out: { type: 'string' },
  by: { type: 'string' },
  'older-than': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/**
 * `reins calls`: read the call log from the command line.
 *
 * @example
 * await run(['list', '--since', '1h', '--model', 'openai/gpt-5.6-luna']);
 * await run(['show', '0197a3c2-…']);
 */
export async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [subcommand, ...rest] = positionals;
  if (values.help || subcommand === undefined || subcommand === 'help') {
    console.log(USAGE);
    return;
  }
  if (!['list', 'show', 'export', 'stats', 'prune'].includes(subcommand)) {
    throw new Error(`unknown subcommand '${subcommand}'\n\n${USAGE}`);
  }
  const store = await openExisting(values.db ?? storeUrlFromEnv());
  try {
    switch (subcommand) {
      case 'list':
        return await list(store, values);
      case 'show':
        return await show(store, required(rest[0], 'show ID'), values.json);
      case 'export':
        return await exportCalls(store, values);
      case 'stats':
        return await stats(store, values);
      case 'prune':
        return await prune(store, values);
    }
  } finally {
    await store.close();
  }
}

/** Reading commands should not create an empty database where the user mistyped a path. */
async function openExisting(url: string): Promise<Store> {
  const location = parseStoreUrl(url);
  if (location.dialect === 'sqlite' && location.path !== ':memory:' && !existsSync(location.path)) {
    throw new Error(`no call log at ${location.path} (pass --db URL or set DATABASE_URL)`);
  }
  return openStore({ url });
}

function required(value: string | undefined, usage: string): string {
  if (value === undefined) throw new Error(`missing argument: reins calls ${usage}`);
  return value;
}

function filterFrom(values: Values): CallFilter {
  const filter: CallFilter = {};
  const fields: Array<[keyof CallFilter, string | undefined]> = [
    ['traceId', values.trace],
    ['callId', values.call],
    ['taskId', values.task],
    ['userId', values.user],
    ['evalRunId', values['eval-run']],
    ['model', values.model],
    ['provider', values.provider],
    ['template', values.template],
    ['status', values.status],
    ['tag', values.tag],
    ['since', values.since],
    ['until', values.until],
    ['search', values.search],
    ['cursor', values.cursor],
  ];
  for (const [field, value] of fields) if (value !== undefined) Object.assign(filter, { [field]: value });
  if (values.limit !== undefined) filter.limit = Number(values.limit);
  return filter;
}

async function list(store: Store, values: Values): Promise<void> {
  const page = await store.calls.list({ limit: 20, ...filterFrom(values) });
  if (values.json) {
    console.log(JSON.stringify(page, null, 2));
    return;
  }
  if (page.items.length === 0) {
    console.log('no calls match');
    return;
  }
  const rows = page.items.map((entry) => [
    shortTime(entry.createdAt),
    entry.id,
    `#${entry.attempt}`,
    `${entry.provider}/${entry.model}`,
    entry.status === 'ok' ? 'ok' : `error ${entry.errorClass ?? ''}`.trim(),
    `${entry.usage.inputTokens}→${entry.usage.outputTokens}`,
    money(entry.costUsd),
    duration(entry.latencyMs),
    entry.userId ?? '—',
    templateLabel(entry) ?? '—',
    preview(entry.promptText),
  ]);
  printTable(
    ['time (UTC)', 'id', 'try', 'model', 'status', 'tokens', 'cost', 'latency', 'user', 'template', 'prompt'],
    rows,
  );
  if (page.nextCursor !== null) console.log(`\nmore: reins calls list … --cursor ${page.nextCursor}`);
}

async function show(store: Store, id: string, json: boolean): Promise<void> {
  const call = await store.calls.get(id);
  if (call === null) throw new Error(`no attempt or call with id ${id}`);
  console.log(json ? JSON.stringify(call, null, 2) : formatCall(call));
}

async function exportCalls(store: Store, values: Values): Promise<void> {
  const { cursor: _cursor, ...filter } = filterFrom(values);
  if (values.out === undefined) {
    await store.calls.exportJsonl(filter, process.stdout);
    return;
  }
  const file = createWriteStream(values.out);
  const count = await store.calls.exportJsonl(filter, file);
  file.end();
  await finished(file);
  console.error(`exported ${count} attempt(s) to ${values.out}`);
}

const GROUPS: readonly AggregateGroup[] = ['day', 'model', 'user', 'template'];

async function stats(store: Store, values: Values): Promise<void> {
  const by = (values.by ?? 'day') as AggregateGroup;
  if (!GROUPS.includes(by)) throw new Error(`--by must be one of ${GROUPS.join(', ')}`);
  const { cursor: _cursor, limit: _limit, ...filter } = filterFrom(values);
  const groups = await store.calls.aggregate({ groupBy: by, ...filter });
  if (values.json) {
    console.log(JSON.stringify(groups, null, 2));
    return;
  }
  if (groups.length === 0) {
    console.log('no calls match');
    return;
  }
  const total = groups.reduce(
    (sum, group) => ({
      calls: sum.calls + group.calls,
      attempts: sum.attempts + group.attempts,
      costUsd: sum.costUsd + group.costUsd,
      inputTokens: sum.inputTokens + group.inputTokens,
      outputTokens: sum.outputTokens + group.outputTokens,
    }),
    { calls: 0, attempts: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 },
  );
  const row = (
    key: string,
    group: Pick<CallAggregate, 'calls' | 'attempts' | 'inputTokens' | 'outputTokens' | 'costUsd'>,
    extra: string[],
  ) => [
    key,
    String(group.calls),
    String(group.attempts),
    ...extra,
    String(group.inputTokens),
    String(group.outputTokens),
    money(group.costUsd),
  ];
  printTable(
    [by, 'calls', 'attempts', 'errors', 'cached in', 'unpriced', 'input', 'output', 'cost'],
    [
      ...groups.map((group) =>
        row(group.key ?? '(none)', group, [
          String(group.errors),
          String(group.cachedInputTokens),
          String(group.unpricedAttempts),
        ]),
      ),
      row('total', total, ['', '', '']),
    ],
  );
}

async function prune(store: Store, values: Values): Promise<void> {
  const olderThan = values['older-than'];
  if (olderThan === undefined) throw new Error('prune needs --older-than, e.g. --older-than 30d');
  const match = /^(\d+)([dhw])$/.exec(olderThan);
  if (match === null)
    throw new Error(`--older-than takes a duration like 30d, 12h or 2w, not '${olderThan}'`);
  const hours = { h: 1, d: 24, w: 168 }[match[2] as 'h' | 'd' | 'w'] * Number(match[1]);
  const before = new Date(Date.now() - hours * 3_600_000);
  const deleted = await store.calls.deleteOlderThan(before);
  console.log(`deleted ${deleted} attempt(s) started before ${before.toISOString()}`);
}

function formatCall(call: CallDetail): string {
  const lines: string[] = [];
  const rule = (title: string) => `── ${title} ${'─'.repeat(Math.max(3, 72 - title.length))}`;
  lines.push(
    `${call.provider}/${call.model} · ${call.operation} · attempt ${call.attempt} of ${call.attempts.length} · ${
      call.status === 'ok' ? 'ok' : 'ERROR'
    }${call.simulated ? ' · simulated' : ''}`,
    `attempt ${call.id}`,
    `call    ${call.callId}`,
    `trace   ${call.traceId}`,
    `started ${call.createdAt}`,
  );
  const context = [
    call.userId !== null ? `user ${call.userId}` : undefined,
    call.taskId !== null ? `task ${call.taskId}` : undefined,
    call.evalRunId !== null ? `eval run ${call.evalRunId}` : undefined,
    call.tags.length > 0 ? `tags ${call.tags.join(', ')}` : undefined,
  ].filter((part) => part !== undefined);
  if (context.length > 0) lines.push(context.join(' · '));
  if (call.template !== null) {
    const identity = [
      call.template.hash,
      call.template.gitCommit && `commit ${call.template.gitCommit}`,
    ].filter(Boolean);
    lines.push(`template ${templateLabel(call)}${identity.length > 0 ? ` (${identity.join(', ')})` : ''}`);
  }
  const usage = call.usage;
  lines.push(
    `usage   input ${usage.inputTokens} (cached ${usage.cachedInputTokens}, cache write ${usage.cacheWriteTokens}) · output ${usage.outputTokens}${
      usage.reasoningTokens > 0 ? ` (reasoning ${usage.reasoningTokens})` : ''
    } · cost ${money(call.costUsd)}`,
    `timing  latency ${duration(call.latencyMs)} · first token ${call.ttftMs === null ? '—' : duration(call.ttftMs)}`,
  );
  const params = Object.entries(call.request.params ?? {}).filter(([, value]) => value !== undefined);
  if (params.length > 0)
    lines.push(`params  ${params.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`);
  if (call.request.tools !== undefined && call.request.tools.length > 0) {
    lines.push(`tools   ${call.request.tools.map((tool) => tool.name).join(', ')}`);
  }
  if (call.attempts.length > 1) {
    lines.push('', rule('attempts'));
    for (const attempt of call.attempts) {
      const marker = attempt.id === call.id ? '▶' : ' ';
      const outcome =
        attempt.status === 'ok' ? 'ok' : `${attempt.errorClass ?? 'error'}: ${attempt.errorMessage ?? ''}`;
      lines.push(
        `${marker} #${attempt.attempt} ${shortTime(attempt.createdAt)} ${duration(attempt.latencyMs)} ${outcome}  ${attempt.id}`,
      );
    }
  }
  lines.push(
    '',
    rule('prompt'),
    call.promptText,
    '',
    rule(`response${call.finishReason !== null ? ` (finish: ${call.finishReason})` : ''}`),
  );
  lines.push(call.responseText === null || call.responseText === '' ? '(no text)' : call.responseText);
  for (const toolCall of call.toolCalls) {
    lines.push(`[tool-call ${toolCall.name} #${toolCall.id}] ${JSON.stringify(toolCall.input)}`);
  }
  if (call.status === 'error')
    lines.push('', rule('error'), `${call.errorClass ?? 'Error'}: ${call.errorMessage ?? ''}`);
  return lines.join('\n');
}

function templateLabel(entry: CallLogEntry): string | undefined {
  if (entry.template === null) return undefined;
  return entry.template.version !== undefined
    ? `${entry.template.name}@${entry.template.version}`
    : entry.template.name;
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, '');
}

function money(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '$0';
  return `$${value >= 0.01 ? value.toFixed(4) : value.toPrecision(3)}`;
}

function duration(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function preview(text: string): string {
  const user = text.lastIndexOf('[user] ');
  const flat = (user >= 0 ? text.slice(user + 7) : text).replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
