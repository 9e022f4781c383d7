import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));

describe('reins simulator', () => {
  it('prints the URL and SDK settings, serves both SDKs and closes cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'simulator', '--port', '0', '--faults', '429:0.0', '--seed', '3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      output += text;
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (text: string) => {
        output += text;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect(output).toContain(`baseURL: '${url}/v1'`);
    expect(output).toContain(`new Anthropic({ baseURL: '${url}'`);
    const completion = await new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-cli' }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello from the command line' }],
    });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output).toContain('SIGTERM: closing the simulator');
    expect(output).toContain('Served 1 generation requests');
  });

  it('rejects bad options with a message and a non-zero exit', async () => {
    const child = spawn(process.execPath, [bin, 'simulator', '--profile', 'warp'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      errors += text;
    });
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(errors).toContain('--profile must be instant or realistic');
  });
});
