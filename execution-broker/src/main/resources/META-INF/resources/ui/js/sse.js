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
 * onOpen() once the server has answered, from when on nothing published is missed.
 */
export function follow(url, token, onData, onEnd = () => {}, onOpen = () => {}) {
  const abort = new AbortController();
  (async () => {
    try {
      const response = await fetch(url, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (!response.ok) {
        throw new Error(`${url} answered ${response.status}`);
      }
      onOpen();
      const parser = sseParser((e) => {
        try {
          onData(JSON.parse(e.data));
        } catch (error) {
          console.warn('unreadable event', e.data, error);
        }
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      onEnd(null);
    } catch (error) {
      if (!abort.signal.aborted) onEnd(error);
    }
  })();
  return () => abort.abort();
}
