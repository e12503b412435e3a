// A `wx` runtime over node's http module (the platform edge we don't own), so the client can call a real
// server in tests: wx.request with enableChunked hands the response's real bytes to onChunkReceived, re-cut
// into deliberately awkward pieces (sizes from `cuts`, cycling) so that chunks end inside UTF-8 characters
// and inside SSE events. `chunks` records every piece delivered, for the tests to check the cuts.
'use strict';
const http = require('node:http');
const https = require('node:https');

function nodeWx({ cuts = [1, 2, 3, 5, 7, 11, 13], chunked = true } = {}) {
  const wx = {
    chunks: [],
    requests: [],
    canIUse: (name) => (name === 'request.object.enableChunked' ? chunked : true),
    request(options) {
      const { url, method = 'GET', header = {}, data, timeout = 20000, enableChunked, dataType = 'json' } = options;
      wx.requests.push(options);
      const body = data === undefined ? undefined : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
      const chunkListeners = [];
      const headerListeners = [];
      let done = false;
      const finish = (fn, arg) => { if (!done) { done = true; fn(arg); } };
      const fail = (err) => finish(options.fail || (() => {}), { errMsg: `request:fail ${err.message || err}` });
      const lib = url.startsWith('https:') ? https : http;
      const req = lib.request(url, { method, headers: { ...header, ...(body ? { 'Content-Length': body.length } : {}) } }, (res) => {
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        headerListeners.forEach((cb) => cb({ statusCode: res.statusCode, header: headers }));
        const whole = [];
        let turn = 0;
        res.on('data', (buf) => {
          if (!(enableChunked && chunked)) { whole.push(buf); return; }
          for (let i = 0; i < buf.length;) {
            const size = cuts[turn % cuts.length];
            turn += 1;
            const piece = buf.subarray(i, i + size);
            i += size;
            const copy = new Uint8Array(piece.length);
            copy.set(piece);
            wx.chunks.push(copy);
            chunkListeners.forEach((cb) => cb({ data: copy.buffer }));
          }
        });
        res.on('end', () => {
          let out = '';
          if (!(enableChunked && chunked)) {
            out = Buffer.concat(whole).toString('utf8');
            if (dataType === 'json') { try { out = JSON.parse(out); } catch (e) { /* wx hands over the raw text */ } }
          }
          finish(options.success, { statusCode: res.statusCode, header: headers, data: out });
        });
        res.on('error', fail);
      });
      req.setTimeout(timeout, () => { req.destroy(new Error('timeout')); });
      req.on('error', fail);
      if (body) req.write(body);
      req.end();
      return {
        abort() { req.destroy(new Error('abort')); },
        onChunkReceived(cb) { chunkListeners.push(cb); },
        onHeadersReceived(cb) { headerListeners.push(cb); },
      };
    },
  };
  return wx;
}

// How the delivered pieces were cut: pieces starting inside a UTF-8 character (on a continuation byte),
// and pieces ending inside an SSE event (not right after its blank line).
function cutStats(chunks) {
  let insideChar = 0;
  let insideEvent = 0;
  let tail = '';
  for (const c of chunks) {
    if (c.length && (c[0] & 0xc0) === 0x80) insideChar += 1;
    tail = (tail + Buffer.from(c).toString('latin1')).slice(-2);
    if (tail !== '\n\n') insideEvent += 1;
  }
  return { pieces: chunks.length, insideChar, insideEvent };
}

module.exports = { nodeWx, cutStats };
