// Calls a real OPC API server through a wx.request shim built on fetch.
// Runs only when OPC_API_URL is set (optionally OPC_API_KEY), e.g. by the API's pytest suite.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const api = require('../utils/api.js');
const { fetchWx } = require('./wx_fetch.js');

const BASE = process.env.OPC_API_URL;
const skip = BASE ? false : 'set OPC_API_URL to run against a real server';
const config = { baseUrl: BASE || 'http://127.0.0.1', apiKey: process.env.OPC_API_KEY || '', userId: 'node-integration', lang: 'zh' };

test('a Chinese question is answered with the plan figure and a cited clause, then a follow-up', { skip }, async () => {
  const client = api.createClient(fetchWx(), config);
  const first = await client.ask('住房补贴每月多少？', null);
  assert.equal(first.ok, true, JSON.stringify(first.error));
  const msg = api.toMessage(first.data, 'zh');
  assert.match(msg.text, /1250元/);
  assert.ok(msg.citations.some((c) => c.heading.startsWith('[1] （四）')));
  assert.ok(first.data.session_id, 'the server assigns a session id');
  const next = await client.ask('那过渡性住房呢？', first.data.session_id);
  assert.equal(next.ok, true, JSON.stringify(next.error));
  assert.equal(next.data.session_id, first.data.session_id);
});

test('feedback on a real answer is stored (201)', { skip }, async () => {
  const client = api.createClient(fetchWx(), config);
  const answer = await client.ask('How big is the training power voucher?', null);
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
  const fb = await client.feedback(answer.data.id, true, 'useful');
  assert.equal(fb.ok, true, JSON.stringify(fb.error));
  assert.deepEqual([fb.status, fb.data.answer_id, fb.data.useful], [201, answer.data.id, true]);
});

test('bad input and unknown answers come back as the documented errors', { skip }, async () => {
  const client = api.createClient(fetchWx(), config);
  const bad = await client.ask('x'.repeat(2001), null);
  assert.equal(bad.ok, false);
  assert.ok([413, 422].includes(bad.error.status), String(bad.error.status));
  assert.ok(bad.error.serverMessage, 'the server explains the problem');
  const missing = await client.feedback('f'.repeat(32), true);
  assert.deepEqual([missing.ok, missing.error.status, missing.error.code], [false, 404, 'not_found']);
});

test('a server that is down is a network error, not a crash', { skip }, async () => {
  const client = api.createClient(fetchWx(), { ...config, baseUrl: 'http://127.0.0.1:9', timeout: 3000 });
  const res = await client.ask('住房补贴每月多少？', null);
  assert.deepEqual([res.ok, res.error.code], [false, 'network_error']);
});
