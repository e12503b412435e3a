// Reading a streamed reply piece by piece: an incremental UTF-8 decoder (some mini-program runtimes have no
// TextDecoder) and a Server-Sent Events parser. Chunks may end anywhere, inside a character or an event.
'use strict';

const REPLACEMENT = 0xfffd;
const MAX_ARGS = 4096; // String.fromCharCode(...codes) in slices: huge argument lists overflow the stack

function codesToString(codes) {
  let out = '';
  for (let i = 0; i < codes.length; i += MAX_ARGS) {
    out += String.fromCharCode.apply(null, codes.slice(i, i + MAX_ARGS));
  }
  return out;
}

// Expected length of the sequence a lead byte starts (0: not a lead byte), and the valid range of its
// second byte (the tight ranges reject overlong forms and surrogates, as the WHATWG decoder does).
function leadInfo(byte) {
  if (byte >= 0xc2 && byte <= 0xdf) return [2, 0x80, 0xbf];
  if (byte === 0xe0) return [3, 0xa0, 0xbf];
  if (byte === 0xed) return [3, 0x80, 0x9f];
  if (byte >= 0xe1 && byte <= 0xef) return [3, 0x80, 0xbf];
  if (byte === 0xf0) return [4, 0x90, 0xbf];
  if (byte === 0xf4) return [4, 0x80, 0x8f];
  if (byte >= 0xf1 && byte <= 0xf3) return [4, 0x80, 0xbf];
  return [0, 0, 0];
}

function toBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('expected an ArrayBuffer or a typed array');
}

// decode(chunk) returns the text of every character completed so far; the bytes of a character cut by
// the chunk's end wait for the next chunk. end() flushes (an unfinished character becomes U+FFFD).
function createUtf8Decoder() {
  let pending = []; // bytes of an unfinished character

  function decode(chunk) {
    const bytes = pending.length ? Uint8Array.from(pending.concat(Array.from(toBytes(chunk)))) : toBytes(chunk);
    pending = [];
    const codes = [];
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      if (b < 0x80) { codes.push(b); i += 1; continue; }
      const [len, lo, hi] = leadInfo(b);
      if (!len) { codes.push(REPLACEMENT); i += 1; continue; }
      let cp = b & (0xff >> (len + 1));
      let j = 1;
      for (; j < len && i + j < bytes.length; j += 1) {
        const c = bytes[i + j];
        const [min, max] = j === 1 ? [lo, hi] : [0x80, 0xbf];
        if (c < min || c > max) break;
        cp = (cp << 6) | (c & 0x3f);
      }
      if (j === len) {
        if (cp > 0xffff) {
          cp -= 0x10000;
          codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
        } else {
          codes.push(cp);
        }
        i += len;
      } else if (i + j === bytes.length) { // cut by the chunk's end: wait for the rest
        pending = Array.from(bytes.subarray(i));
        break;
      } else { // a broken sequence: one replacement character, resume at the offending byte
        codes.push(REPLACEMENT);
        i += j;
      }
    }
    return codesToString(codes);
  }

  function end() {
    const had = pending.length > 0;
    pending = [];
    return had ? String.fromCharCode(REPLACEMENT) : '';
  }

  return { decode, end };
}

// push(text) feeds decoded text; onEvent({event, data, id}) fires for each complete event (a blank line
// ends one). Comment lines (": ping", the server's heartbeat) are skipped, as the SSE spec says.
function createSseParser(onEvent) {
  let buffer = '';
  let event = '';
  let data = [];
  let id = '';

  function line(text) {
    if (text === '') {
      if (data.length) onEvent({ event: event || 'message', data: data.join('\n'), id });
      event = '';
      data = [];
      return;
    }
    if (text[0] === ':') return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }

  function push(text) {
    buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      // A lone "\r" at the end may be the first half of "\r\n": wait for the next chunk to decide.
      if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) return;
      const text = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      line(text);
    }
  }

  // The stream ended: a final unterminated line still counts, an unfinished event does not (per spec).
  function end() {
    if (buffer) line(buffer.replace(/\r$/, ''));
    buffer = '';
  }

  return { push, end };
}

module.exports = { createUtf8Decoder, createSseParser };
