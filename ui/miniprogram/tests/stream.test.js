// The incremental UTF-8 decoder and SSE parser (utils/stream.js), and the streaming client over a scripted wx.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createUtf8Decoder, createSseParser } = require('../utils/stream.js');
const api = require('../utils/api.js');
const { fakeWx, apiError, sse, sseEvent, encode } = require('./fake_wx.js');
const ANSWER = require('./fixtures/answer-zh.json');

const TEXT = '住房补贴每月1250元 · 𠀋𝄞 emoji 👍🏽 and 繁體「補貼」\r\n';

function decodeIn(bytes, sizes) {
  const decoder = createUtf8Decoder();
  let out = '';
  for (let i = 0, turn = 0; i < bytes.length; turn += 1) {
    const size = sizes[turn % sizes.length];
    out += decoder.decode(bytes.subarray(i, i + size));
    i += size;
  }
  return out + decoder.end();
}

test('UTF-8 decoded the same however the bytes are cut (1- to 4-byte characters, astral planes)', () => {
  const bytes = new Uint8Array(Buffer.from(TEXT, 'utf8'));
  for (const sizes of [[1], [2], [3], [5], [1, 2, 3, 4, 7], [bytes.length]]) {
    assert.equal(decodeIn(bytes, sizes), TEXT, JSON.stringify(sizes));
  }
  assert.equal(createUtf8Decoder().decode(encode('ok')), 'ok'); // an ArrayBuffer, as wx hands over
});

test('malformed UTF-8 becomes U+FFFD as TextDecoder does, and never swallows the next character', () => {
  const cases = [
    [[0xe4, 0xbd, 0x41], '\ufffdA'], // a sequence broken by ASCII
    [[0xff, 0x41], '\ufffdA'], // never a lead byte
    [[0xc0, 0xaf], '\ufffd\ufffd'], // overlong
    [[0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'], // a surrogate
    [[0x80, 0xe4, 0xbd, 0xa0], '\ufffd你'], // a stray continuation byte
  ];
  for (const [bytes, expected] of cases) {
    const ours = decodeIn(Uint8Array.from(bytes), [1]);
    assert.equal(ours, expected, JSON.stringify(bytes));
    assert.equal(ours, new TextDecoder().decode(Uint8Array.from(bytes)));
  }
  const decoder = createUtf8Decoder();
  assert.equal(decoder.decode(Uint8Array.from([0x41, 0xe4, 0xbd])), 'A');
  assert.equal(decoder.end(), '\ufffd'); // the stream ended inside a character
});

test('SSE events parsed across any cut, with CRLF split between chunks, comments and multi-line data', () => {
  const wire = ': ping\r\n\r\nevent: delta\r\ndata: {"text":"住"}\r\n\r\n: ping\n\nevent: final\ndata: line1\ndata: line2\n\nid: 7\ndata:x\r\r';
  for (const size of [1, 2, 3, 7, wire.length]) {
    const events = [];
    const parser = createSseParser((e) => events.push(e));
    for (let i = 0; i < wire.length; i += size) parser.push(wire.slice(i, i + size));
    parser.end();
    assert.deepEqual(events, [
      { event: 'delta', data: '{"text":"住"}', id: '' },
      { event: 'final', data: 'line1\nline2', id: '' },
      { event: 'message', data: 'x', id: '7' },
    ], `cut every ${size}`);
  }
});

const CONFIG = { baseUrl: 'https://opc.example.com', lang: 'zh' };
const streamed = (reply) => api.createClient(fakeWx(() => reply, { chunked: true }), CONFIG);

test('streaming is used only where wx.canIUse says chunked transfer works, and config.stream can turn it off', () => {
  assert.equal(api.createClient(fakeWx(() => null, { chunked: true }), CONFIG).streaming, true);
  assert.equal(api.createClient(fakeWx(() => null, { chunked: false }), CONFIG).streaming, false);
  assert.equal(api.createClient(fakeWx(() => null, { chunked: true }), { ...CONFIG, stream: false }).streaming, false);
  const noCanIUse = fakeWx(() => null);
  delete noCanIUse.canIUse;
  assert.equal(api.createClient(noCanIUse, CONFIG).streaming, false);
  const req = api.buildChatRequest(CONFIG, 'q', null, true);
  assert.deepEqual([req.data.stream, req.header.Accept, req.timeout], [true, 'text/event-stream', 60000]);
});

test('deltas reach onDelta in order; the final answer resolves like an unstreamed reply', async () => {
  const wire = sse(['住房补贴', '每月1250元。'], ANSWER).chunks.join('');
  const bytes = new Uint8Array(Buffer.from(wire, 'utf8'));
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.slice(i, i + 5).buffer);
  const deltas = [];
  const res = await streamed({ ...sse([], null), chunks }).ask('住房补贴每月多少？', 's1', { onDelta: (t) => deltas.push(t) });
  assert.deepEqual(deltas, ['住房补贴', '每月1250元。']);
  assert.deepEqual([res.ok, res.status, res.data.id, res.replaced], [true, 200, ANSWER.id, false]);
});

test('replaced: true is passed on with the corrected answer', async () => {
  const res = await streamed(sse(['wrong 1500'], ANSWER, { replaced: true })).ask('q', null);
  assert.deepEqual([res.ok, res.replaced, res.data.answer], [true, true, ANSWER.answer]);
});

test('a server answering the stream request with plain JSON is still understood', async () => {
  const res = await streamed({ statusCode: 200, header: { 'Content-Type': 'application/json' }, data: ANSWER }).ask('q', null);
  assert.deepEqual([res.ok, res.data.id], [true, ANSWER.id]);
});

test('a runtime that ignores enableChunked and hands over the whole body in success still works', async () => {
  const body = sse(['住房', '补贴'], ANSWER).chunks.join('');
  for (const data of [encode(body), body]) {
    const wx = fakeWx(() => ({ statusCode: 200, header: { 'Content-Type': 'text/event-stream' }, data }));
    wx.canIUse = () => true; // says yes, then behaves like an old base library: no chunk events at all
    const deltas = [];
    const res = await api.createClient(wx, CONFIG).ask('q', null, { onDelta: (t) => deltas.push(t) });
    assert.deepEqual([res.ok, res.data.id, deltas], [true, ANSWER.id, ['住房', '补贴']]);
  }
  const parsed = fakeWx(() => ({ statusCode: 429, header: { 'Retry-After': '3' }, data: { error: { code: 'rate_limited' } } }));
  parsed.canIUse = () => true;
  const limited = await api.createClient(parsed, CONFIG).ask('q', null);
  assert.deepEqual([limited.ok, limited.error.retryAfter], [false, 3]);
});

test('errors on the streamed path: HTTP statuses, an error event, a cut stream, garbage', async () => {
  const r429 = await streamed(apiError(429, 'rate_limited', 'x', { 'Retry-After': '9' })).ask('q', null);
  assert.deepEqual([r429.error.status, r429.error.retryAfter, r429.error.message], [429, 9, '提问太频繁，请9秒后再试。']);
  const r413 = await streamed(apiError(413, 'payload_too_large', 'The request body is too large.')).ask('q', null);
  assert.deepEqual([r413.error.code, r413.error.message], ['payload_too_large', 'The request body is too large.']);
  const inBand = await streamed(sse(['a'], null, { error: { code: 'index_unavailable', message: 'Index rebuilding.' } })).ask('q', null);
  assert.deepEqual([inBand.ok, inBand.error.code, inBand.error.message], [false, 'index_unavailable', api.MESSAGES.zh.server]);
  const cut = await streamed(sse(['a'], null)).ask('q', null);
  assert.deepEqual([cut.ok, cut.error.code, cut.error.message], [false, 'stream_cut', api.MESSAGES.zh.cutOff]);
  const garbage = await streamed({ ...sse([], null), chunks: [sseEvent('delta', {}).replace('{}', '{oops')] }).ask('q', null);
  assert.deepEqual([garbage.ok, garbage.error.code], [false, 'bad_response']);
  const down = await streamed({ fail: { errMsg: 'request:fail timeout' } }).ask('q', null);
  assert.deepEqual([down.error.code, down.error.message], ['network_error', api.MESSAGES.zh.network]);
});
