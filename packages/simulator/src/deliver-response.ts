import type { ServerResponse } from 'node:http';

/** An SSE response ready to send, with the positions that matter for timing, billing and faults. */
export interface EventStream {
  /** Complete SSE frames (`event: …\ndata: …\n\n` or `data: …\n\n`). */
  frames: string[];
  /** Index of the first content frame: it waits for the time to first token. */
  firstContent: number;
  /** Index of the last content frame; frames in between wait one token interval each. */
  lastContent: number;
  /** Index of the frame that reports the final usage, or -1 when the stream reports none. */
  usageFrame: number;
}

export interface StreamFaults {
  /** Destroy the connection after this many frames (`cut`). */
  cutAfter?: number;
  /** Replace the rest of the stream by this frame after `at` frames (`error-event`). */
  errorEvent?: { at: number; frame: string };
}

export interface StreamTiming {
  firstTokenMs: number;
  tokenIntervalMs: number;
}

/**
 * Writes an SSE stream: headers at once, content after the time to first token, one frame per
 * token interval; a `cut` ends the connection mid-stream (the client sees a network error), an
 * `error-event` sends the provider's error frame and ends the response. `onBilled` runs once the
 * usage frame is on the wire.
 */
export function deliverStream(
  response: ServerResponse,
  headers: string[],
  stream: EventStream,
  faults: StreamFaults,
  timing: StreamTiming,
  onBilled: () => void,
): void {
  const { frames } = stream;
  let end = frames.length;
  let finalFrame: string | undefined;
  let cut = false;
  if (faults.cutAfter !== undefined) {
    end = Math.min(faults.cutAfter, frames.length - 1);
    cut = true;
  } else if (faults.errorEvent) {
    end = Math.min(faults.errorEvent.at, frames.length - 1);
    finalFrame = faults.errorEvent.frame;
  }
  const billed = stream.usageFrame >= 0 && stream.usageFrame < end;
  headers.push('content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache');
  response.writeHead(200, headers);
  const finish = (pending = '') => {
    if (billed) onBilled();
    if (cut) response.write(pending, () => response.destroy());
    else response.end(finalFrame === undefined ? pending : pending + finalFrame);
  };
  if (timing.firstTokenMs <= 0 && timing.tokenIntervalMs <= 0) {
    finish(end === frames.length ? frames.join('') : frames.slice(0, end).join(''));
    return;
  }
  const waitBefore = (index: number): number => {
    if (index === stream.firstContent) return timing.firstTokenMs;
    return index > stream.firstContent && index <= stream.lastContent ? timing.tokenIntervalMs : 0;
  };
  let index = 0;
  let timer: NodeJS.Timeout | undefined;
  response.on('close', () => clearTimeout(timer));
  const step = () => {
    if (response.destroyed) return;
    while (index < end) {
      response.write(frames[index] as string);
      index++;
      const wait = index < end ? waitBefore(index) : 0;
      if (wait > 0) {
        timer = setTimeout(step, wait);
        return;
      }
    }
    finish();
  };
  const firstWait = waitBefore(0);
  if (firstWait > 0) timer = setTimeout(step, firstWait);
  else step();
}

/**
 * Writes a whole JSON body after `waitMs`; with `cut`, announces the full length, sends half of
 * it and destroys the connection (the client sees a network error mid-body).
 */
export function deliverBody(
  response: ServerResponse,
  headers: string[],
  body: string,
  waitMs: number,
  cut: boolean,
  onBilled: () => void,
): void {
  const send = () => {
    if (response.destroyed) return;
    headers.push('content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)));
    response.writeHead(200, headers);
    if (cut) {
      response.write(body.slice(0, Math.floor(body.length / 2)), () => response.destroy());
      return;
    }
    response.end(body);
    onBilled();
  };
  if (waitMs <= 0) send();
  else {
    const timer = setTimeout(send, waitMs);
    response.on('close', () => clearTimeout(timer));
  }
}
