import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createCallLineJoin } from './call-line-join.ts';

function setup() {
  const written: Array<[string, Record<string, unknown>, string | undefined]> = [];
  const at = (level: string) => (fields: object, message?: string) =>
    written.push([level, fields as Record<string, unknown>, message]);
  const join = createCallLineJoin({
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
  });
  return { join, written };
}

const callLine = (traceId: string) => ({ event: 'llm.call', trace_id: traceId, status: 'ok' });

describe('createCallLineJoin', () => {
  it("holds the request's successful call line for the request line, and nothing else", () => {
    const { join, written } = setup();
    const claim = join.hold('t1', new EventEmitter());
    join.logger.info({ event: 'llm.attempt', trace_id: 't1' }, 'llm attempt');
    join.logger.info(callLine('t1'), 'llm call');
    join.logger.info(callLine('t2'), 'llm call');
    join.logger.warn({ event: 'llm.call', trace_id: 't1', status: 'error' }, 'llm call');
    claim.release();
    join.logger.info(callLine('t1'), 'llm call');
    expect(written.map(([level, fields]) => [level, fields['event'], fields['trace_id']])).toEqual([
      ['info', 'llm.attempt', 't1'],
      ['info', 'llm.call', 't2'],
      ['warn', 'llm.call', 't1'],
      ['info', 'llm.call', 't1'],
    ]);
    expect(claim.take()).toEqual(callLine('t1'));
    expect(claim.take()).toBeUndefined();
  });

  it('holds nothing for a trace id two requests in flight share', () => {
    const { join, written } = setup();
    const first = join.hold('shared', new EventEmitter());
    const second = join.hold('shared', new EventEmitter());
    join.logger.info(callLine('shared'), 'llm call');
    first.release();
    const third = join.hold('shared', new EventEmitter());
    join.logger.info(callLine('shared'), 'llm call');
    second.release();
    third.release();
    expect(written).toHaveLength(2);
    expect([first.take(), second.take(), third.take()]).toEqual([undefined, undefined, undefined]);
  });

  it('never holds a task call, nor a line while a stream shares the trace', () => {
    const { join, written } = setup();
    const claim = join.hold('t4', new EventEmitter());
    join.logger.info({ ...callLine('t4'), task_id: 'task-1' }, 'llm call');
    const release = join.share('t5');
    const streamed = join.hold('t5', new EventEmitter());
    join.logger.info(callLine('t5'), 'llm call');
    release();
    streamed.release();
    claim.release();
    expect(written.map(([, fields]) => fields['trace_id'])).toEqual(['t4', 't5']);
    expect([claim.take(), streamed.take()]).toEqual([undefined, undefined]);
  });

  it('writes a held line when the response closes without a request line (the caller left)', () => {
    const { join, written } = setup();
    const response = new EventEmitter();
    const claim = join.hold('t3', response);
    join.logger.info(callLine('t3'), 'llm call');
    expect(written).toHaveLength(0);
    response.emit('close');
    expect(written).toEqual([['info', callLine('t3'), 'llm call']]);
    expect(claim.take()).toBeUndefined();
  });
});
