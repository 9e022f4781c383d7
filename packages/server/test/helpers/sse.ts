/** One parsed Server-Sent Event. */
export type SseEvent = { id?: string; event: string; data: unknown };

/**
 * Reads an SSE response body event by event (real HTTP, as a browser's EventSource would).
 *
 * @example
 * for await (const event of readEvents(response)) console.log(event.event, event.data);
 */
export async function* readEvents(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        const event: SseEvent = { event: 'message', data: undefined };
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const text = line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = text;
          else if (field === 'event') event.event = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length === 0) continue;
        event.data = JSON.parse(data.join('\n'));
        yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
