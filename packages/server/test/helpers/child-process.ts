import { type ChildProcess, spawn } from 'node:child_process';

/** Children a suite started; `killAll` in afterAll so none outlives the tests. */
export function childProcesses() {
  const children = new Set<ChildProcess>();
  return {
    /**
     * Starts `node <script>` (the pinned Node running the tests) and resolves once its stdout
     * prints a line matching `ready`.
     */
    async start(script: string, env: Record<string, string>, ready = /^ready/m, args: string[] = []) {
      const child = spawn(process.execPath, [script, ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      child.on('exit', () => children.delete(child));
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 20_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (ready.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${output}`));
        });
      });
      return { child, output: () => output };
    },
    /** SIGKILL: no cleanup, no goodbye; the durability tests' crash. */
    kill9(child: ChildProcess) {
      child.kill('SIGKILL');
      return new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
    },
    async stop(child: ChildProcess) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async killAll() {
      await Promise.all([...children].map((child) => this.stop(child)));
    },
  };
}
