// A fake `wx` runtime (the edge we don't own): wx.request answers from a scripted responder, storage is a
// Map, toasts and clipboard are recorded. With `{chunked: true}` it behaves like a base library with
// chunked transfer: wx.canIUse says so, and a request made with enableChunked gets its body through
// onChunkReceived as ArrayBuffers (a reply's `chunks`, `gapMs` apart), then `success` with empty data.
'use strict';

const encode = (text) => {
  const buf = Buffer.from(text, 'utf8');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
};

function fakeWx(responder, { chunked = false } = {}) {
  const wx = {
    requests: [],
    toasts: [],
    storage: new Map(),
    clipboard: null,
    navigations: [],
    navigateTo: (options) => { wx.navigations.push(options.url); },
    canIUse: (name) => (name === 'request.object.enableChunked' ? chunked : true),
    request(options) {
      wx.requests.push(options);
      const reply = responder(options, wx.requests.length);
      const chunkListeners = [];
      const headerListeners = [];
      const header = reply.header || {};
      const deliver = async () => {
        await new Promise((r) => setImmediate(r));
        if (reply.fail) { options.fail(reply.fail); return; }
        if (!(options.enableChunked && chunked)) {
          options.success({ statusCode: reply.statusCode, data: reply.data, header });
          return;
        }
        headerListeners.forEach((cb) => cb({ statusCode: reply.statusCode, header }));
        const body = reply.chunks || [typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data)];
        for (const piece of body) {
          if (reply.gapMs) await new Promise((r) => setTimeout(r, reply.gapMs));
          chunkListeners.forEach((cb) => cb({ data: typeof piece === 'string' ? encode(piece) : piece }));
        }
        options.success({ statusCode: reply.statusCode, data: '', header });
      };
      deliver();
      return {
        abort() {},
        onChunkReceived(cb) { chunkListeners.push(cb); },
        onHeadersReceived(cb) { headerListeners.push(cb); },
      };
    },
    getStorageSync: (key) => (wx.storage.has(key) ? wx.storage.get(key) : ''),
    setStorageSync: (key, value) => { wx.storage.set(key, value); },
    showToast: (options) => { wx.toasts.push(options); },
    setClipboardData: (options) => { wx.clipboard = options.data; if (options.success) options.success(); },
  };
  return wx;
}

const json = (statusCode, data, header) => ({ statusCode, data, header: header || { 'Content-Type': 'application/json' } });
const apiError = (statusCode, code, message, header) => json(statusCode, { error: { code, message } }, header);

// A /v1/chat event stream as the server writes it: one chunk per event (tests cut them further if needed).
function sseEvent(event, payload) {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}
function sse(deltas, answer, { replaced = false, gapMs = 0, error = null } = {}) {
  const chunks = deltas.map((text) => sseEvent('delta', { type: 'delta', text }));
  if (error) chunks.push(sseEvent('error', { error }));
  else if (answer) chunks.push(sseEvent('final', { type: 'final', answer, replaced }));
  return { statusCode: 200, header: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks, gapMs };
}

module.exports = { fakeWx, json, apiError, sse, sseEvent, encode };
