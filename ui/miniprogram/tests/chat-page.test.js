'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeWx, json, apiError } = require('./fake_wx.js');
const { loadChatPage, tap } = require('./page_harness.js');
const ANSWER = require('./fixtures/answer-zh.json');

const GLOBALS = {
  config: { baseUrl: 'https://opc.example.com', apiKey: 'k', officialUrl: 'https://www.sz.gov.cn/plan' },
  userId: 'anon-u1',
  lang: 'zh',
};

function scripted(...replies) {
  return fakeWx((options, n) => replies[Math.min(n, replies.length) - 1]);
}

test('asking shows the question and the answer, and keeps the server session for follow-ups', async () => {
  const wx = scripted(json(200, { ...ANSWER, session_id: 'srv-1' }), json(200, { ...ANSWER, session_id: 'srv-1' }));
  const page = loadChatPage(wx, GLOBALS);
  page.onInput({ detail: { value: '住房补贴每月多少？' } });
  await page.onSend();
  assert.deepEqual(page.data.messages.map((m) => m.role), ['user', 'assistant']);
  assert.equal(page.data.messages[1].citations[0].heading, '[1] （四） 提供住房保障');
  assert.deepEqual([page.data.sessionId, page.data.input, page.data.loading], ['srv-1', '', false]);
  assert.equal(wx.requests[0].data.session_id, null);
  assert.equal(wx.requests[0].header['X-Client-User-Id'], 'anon-u1');
  await page.onExample(tap({ q: '最长多久？' }));
  assert.equal(wx.requests[1].data.session_id, 'srv-1');
  assert.equal(page.data.messages.length, 4);
});

test('an error leaves the conversation as it was and puts the question back', async () => {
  const wx = scripted(apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '20' }));
  const page = loadChatPage(wx, GLOBALS);
  await page.ask('住房补贴每月多少？');
  assert.deepEqual(page.data.messages, []);
  assert.equal(page.data.input, '住房补贴每月多少？');
  assert.equal(page.data.error, '提问太频繁，请20秒后再试。');
  assert.equal(wx.toasts.at(-1).title, '提问太频繁，请20秒后再试。');
});

test('a citation expands and collapses', async () => {
  const page = loadChatPage(scripted(json(200, ANSWER)), GLOBALS);
  await page.ask('住房补贴每月多少？');
  page.onToggleCitation(tap({ m: 1, c: 0 }));
  assert.equal(page.data.messages[1].citations[0].expanded, true);
  page.onToggleCitation(tap({ m: 1, c: 0 }));
  assert.equal(page.data.messages[1].citations[0].expanded, false);
});

test('👍 is sent once for the answer it sits under', async () => {
  const feedback = { id: 3, answer_id: ANSWER.id, useful: true, comment: null, source: 'api', created: 1 };
  const wx = scripted(json(200, ANSWER), json(201, feedback));
  const page = loadChatPage(wx, GLOBALS);
  await page.ask('住房补贴每月多少？');
  await page.onFeedback(tap({ m: 1, useful: true }));
  await page.onFeedback(tap({ m: 1, useful: false }));  // already judged: nothing sent
  await page.onFeedback(tap({ m: 0, useful: true }));   // a question, not an answer
  assert.equal(wx.requests.length, 2);
  assert.deepEqual(wx.requests[1].data, { answer_id: ANSWER.id, useful: true, comment: null });
  assert.equal(page.data.messages[1].feedback, 'up');
});

test('failed feedback says why and records nothing', async () => {
  const wx = scripted(json(200, ANSWER), { fail: { errMsg: 'request:fail' } });
  const page = loadChatPage(wx, GLOBALS);
  await page.ask('住房补贴每月多少？');
  await page.onFeedback(tap({ m: 1, useful: false }));
  assert.equal(page.data.messages[1].feedback, null);
  assert.match(wx.toasts.at(-1).title, /网络/);
});

test('new conversation, language switch and the official link', async () => {
  const page = loadChatPage(scripted(json(200, { ...ANSWER, session_id: 's9' })), GLOBALS);
  await page.ask('住房补贴每月多少？');
  page.onNewChat();
  assert.deepEqual([page.data.messages, page.data.sessionId], [[], null]);
  page.onToggleLang();
  assert.equal(page.data.lang, 'en');
  assert.match(page.data.t.notice, /not legal advice/);
  assert.ok(page.data.t.examples.some((q) => /[\u4e00-\u9fff]/.test(q)));
  page.onCopyLink();
  assert.equal(global.wx.clipboard, 'https://www.sz.gov.cn/plan');
});
