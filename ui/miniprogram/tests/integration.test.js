// The client (utils/api.js) against a real OPC API server, through a wx.request over node http that hands
// the real response bytes over in pieces cut inside UTF-8 characters and inside SSE events.
// Runs only when OPC_API_URL is set (optionally OPC_API_KEY), e.g. by the API's pytest suite, whose server
// limits each X-Client-User-Id to 8 requests a minute: every test uses its own user id.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const api = require('../utils/api.js');
const { nodeWx, cutStats } = require('./wx_node.js');

const BASE = process.env.OPC_API_URL;
const skip = BASE ? false : 'set OPC_API_URL to run against a real server';
const config = (userId, extra) => ({ baseUrl: BASE || 'http://127.0.0.1', apiKey: process.env.OPC_API_KEY || '',
  userId, lang: 'zh', ...extra });

test('a streamed Chinese answer arrives in deltas cut anywhere, then the final answer with sources', { skip }, async () => {
  const wx = nodeWx();
  const client = api.createClient(wx, config('node-stream'));
  assert.equal(client.streaming, true);
  const deltas = [];
  const first = await client.ask('住房补贴每月多少？', null, { onDelta: (t) => deltas.push(t) });
  assert.equal(first.ok, true, JSON.stringify(first.error));
  assert.equal(wx.requests[0].data.stream, true);
  assert.equal(wx.requests[0].enableChunked, true);
  const cuts = cutStats(wx.chunks);
  assert.ok(cuts.insideChar > 10 && cuts.insideEvent > 10, JSON.stringify(cuts)); // the cuts really were awkward
  assert.ok(deltas.length >= 1);
  assert.equal(first.replaced, false);
  assert.equal(deltas.join(''), first.data.answer); // every character survived the cuts
  assert.ok(!first.data.answer.includes('\ufffd'));
  const msg = api.toMessage(first.data, 'zh');
  assert.match(msg.text, /1250元/);
  assert.ok(msg.citations.some((c) => c.heading.startsWith('[1] （四）')));
  assert.ok(first.data.session_id, 'the server assigns a session id');
  const next = await client.ask('那过渡性住房呢？', first.data.session_id, { onDelta: () => {} });
  assert.equal(next.ok, true, JSON.stringify(next.error));
  assert.equal(next.data.session_id, first.data.session_id);
});

test('English streamed through one-byte pieces decodes the same as unstreamed', { skip }, async () => {
  const question = 'How big is the training power voucher?';
  const deltas = [];
  const streamed = await api.createClient(nodeWx({ cuts: [1] }), config('node-bytes'))
    .ask(question, null, { onDelta: (t) => deltas.push(t) });
  const plain = await api.createClient(nodeWx({ chunked: false }), config('node-bytes')).ask(question, null);
  assert.equal(streamed.ok && plain.ok, true, JSON.stringify([streamed.error, plain.error]));
  assert.equal(streamed.data.answer, plain.data.answer);
  assert.equal(deltas.join(''), streamed.data.answer);
  assert.match(streamed.data.answer, /10 million yuan/);
});

test('without chunked transfer the client asks unstreamed and gets the same reply shape', { skip }, async () => {
  const wx = nodeWx({ chunked: false });
  const client = api.createClient(wx, config('node-plain'));
  assert.equal(client.streaming, false);
  let deltas = 0;
  const res = await client.ask('创业贷款最高多少？', null, { onDelta: () => { deltas += 1; } });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.equal(wx.requests[0].data.stream, false);
  assert.equal(deltas, 0);
  assert.ok(res.data.citations.length >= 1);
});

test('feedback on a real answer is stored (201)', { skip }, async () => {
  const client = api.createClient(nodeWx(), config('node-feedback'));
  const answer = await client.ask('How big is the training power voucher?', null);
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
  const fb = await client.feedback(answer.data.id, true, 'useful');
  assert.equal(fb.ok, true, JSON.stringify(fb.error));
  assert.deepEqual([fb.status, fb.data.answer_id, fb.data.useful], [201, answer.data.id, true]);
});

for (const chunked of [true, false]) {
  test(`documented errors from the real server (${chunked ? 'streamed' : 'unstreamed'})`, { skip }, async () => {
    const wx = nodeWx({ chunked });
    const client = api.createClient(wx, config(`node-errors-${chunked}`));
    const long = await client.ask('x'.repeat(2001), null);
    assert.deepEqual([long.ok, long.error.status, long.error.code], [false, 422, 'invalid_question']);
    assert.ok(long.error.serverMessage && long.error.message === long.error.serverMessage);
    const huge = await client.ask('住房'.repeat(40000), null);
    assert.deepEqual([huge.ok, huge.error.status, huge.error.code], [false, 413, 'payload_too_large']);
    const missing = await client.feedback('f'.repeat(32), true);
    assert.deepEqual([missing.ok, missing.error.status, missing.error.code], [false, 404, 'not_found']);
    const badKey = await api.createClient(wx, config('node-errors', { apiKey: 'wrong-key' })).ask('住房补贴每月多少？', null);
    assert.deepEqual([badKey.ok, badKey.error.status, badKey.error.message], [false, 401, api.MESSAGES.zh.unauthorized]);
  });
}

test('too many questions from one user: 429 with the wait in seconds', { skip }, async () => {
  const client = api.createClient(nodeWx(), config('node-burst', { lang: 'en' }));
  let res;
  for (let i = 0; i < 12; i += 1) {
    res = await client.ask('What loans can graduates get?', null);
    if (!res.ok) break;
  }
  assert.deepEqual([res.ok, res.error.status, res.error.code], [false, 429, 'rate_limited']);
  assert.ok(res.error.retryAfter > 0);
  assert.equal(res.error.message, `Too many questions: please try again in ${res.error.retryAfter} seconds.`);
});

test('a server that is down is a network error, not a crash', { skip }, async () => {
  for (const chunked of [true, false]) {
    const client = api.createClient(nodeWx({ chunked }), { ...config('node-down'), baseUrl: 'http://127.0.0.1:9', timeout: 3000 });
    const res = await client.ask('住房补贴每月多少？', null);
    assert.deepEqual([res.ok, res.error.code], [false, 'network_error']);
  }
});

test('an over-long Chinese question is refused in Chinese by the real server (Simplified and Traditional)', { skip }, async () => {
  const zh = await api.createClient(nodeWx({ chunked: false }), config('node-long-zh'))
    .ask('住房补贴每月多少'.repeat(275), null);
  assert.equal(zh.ok, false);
  assert.equal(zh.error.code, 'invalid_question');
  assert.match(zh.error.message, /^问题共 2,200 个字符，上限为 2,000 个/);
  const hant = await api.createClient(nodeWx({ chunked: false }), config('node-long-hant', { lang: 'zh_TW' }))
    .ask('住房補貼每月多少'.repeat(275), null);
  assert.match(hant.error.message, /^問題共 2,200 個字符/);
  const bad = await api.createClient(nodeWx({ chunked: false }), config('node-long-en', { lang: 'en' }))
    .ask('How much '.repeat(250), null);
  assert.match(bad.error.message, /^The question is 2,249 characters long/);
});
