#!/usr/bin/env node
/**
 * The `reins` command. Each subcommand lives in `commands/<name>.ts` and is loaded lazily,
 * so `reins simulator` does not pay for the server's imports.
 */
const commands: Record<
  string,
  { summary: string; load: () => Promise<{ run: (argv: string[]) => Promise<void> }> }
> = {
  serve: { summary: 'run the HTTP API (the main job)', load: () => import('./commands/serve.ts') },
  worker: {
    summary: 'run background tasks from Redis (BullMQ)',
    load: () => import('./commands/worker.ts'),
  },
  simulator: {
    summary: 'run the OpenAI/Anthropic wire-compatible simulator',
    load: () => import('./commands/simulator.ts'),
  },
  prompts: {
    summary: 'list, show, render and diff prompt templates',
    load: () => import('./commands/prompts.ts'),
  },
  calls: { summary: 'list, show and export the call log', load: () => import('./commands/calls.ts') },
  eval: { summary: 'run, compare and export evaluation datasets', load: () => import('./commands/eval.ts') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(12)} ${command.summary}`);
  return `Usage: reins <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'reins <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`reins: unknown command '${name}'\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  if (name === 'eval' && rest[0] === 'run' && !rest.includes('--help') && !rest.includes('-h')) {
    // Before anything is loaded: a long run gets a heap sized to what it holds (see the file).
    const { applyEvalHeapPolicy } = await import('./commands/eval-heap-policy.ts');
    applyEvalHeapPolicy();
  }
  const module = await command.load();
  await module.run(rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`reins: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
