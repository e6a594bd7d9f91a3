// Server-sent events read from a fetch() body, because EventSource cannot send the bearer token.
// The parser is the WHATWG "event stream" interpretation: fields data, event and id; a blank line
// dispatches; lines starting with ':' are comments; line ends are \n, \r\n or \r.

/** A parser that calls onEvent({event, data, id}) for each complete event in the chunks pushed to it. */
export function sseParser(onEvent) {
  let buffer = '';
  let data = [];
  let event = 'message';
  let lastId = null;

  function line(text) {
    if (text === '') {
      if (data.length > 0) {
        onEvent({ event, data: data.join('\n'), id: lastId });
      }
      data = [];
      event = 'message';
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') lastId = value;
  }

  return {
    push(chunk) {
      buffer += chunk;
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        if (end < 0) return;
        // a '\r' at the very end may be the first half of '\r\n': wait for the next chunk
        if (buffer[end] === '\r' && end === buffer.length - 1) return;
        const width = buffer.startsWith('\r\n', end) ? 2 : 1;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + width);
        line(text);
      }
    },
  };
}

/**
 * Follows an SSE endpoint with fetch(): calls onData(parsed JSON) per event, returns a function
 * that stops. onEnd(error) is called once when the stream ends (error null when it ended by itself);
 * onOpen() each time the server has answered, from when on nothing published is missed.
 * With reconnect, a stream that ends or fails (a restarted service, a proxy's idle timeout) is
 * opened again after a pause that doubles from 0.5 s up to maxPauseMs (5 s); onOpen tells the view to read again
 * what it may have missed, and onEnd is called only when stopped.
 */
export function follow(url, token, onData, onEnd = () => {}, onOpen = () => {}, { reconnect = false, pauseMs = 500, maxPauseMs = 5000 } = {}) {
  const abort = new AbortController();
  (async () => {
    let pause = pauseMs;
    for (;;) {
      let error = null;
      try {
        const response = await fetch(url, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: abort.signal,
        });
        if (!response.ok) {
          throw new Error(`${url} answered ${response.status}`);
        }
        pause = pauseMs;
        onOpen();
        const parser = sseParser((e) => {
          try {
            onData(JSON.parse(e.data));
          } catch (failure) {
            console.warn('unreadable event', e.data, failure);
          }
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
      } catch (failure) {
        error = failure;
      }
      if (abort.signal.aborted) return;
      if (!reconnect) {
        onEnd(error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (abort.signal.aborted) return;
      pause = Math.min(maxPauseMs, pause * 2);
    }
  })();
  return () => abort.abort();
}
