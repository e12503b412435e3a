// The chat page as WeChat renders it: pages/chat (WXML + WXSS + JS) through the official miniprogram-simulate
// in jsdom, driven by taps and typing. wx.request is the scripted edge (fake_wx.js); with OPC_API_URL set, the
// last test drives the page against a real server instead.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeWx, json, apiError, sse } = require('./fake_wx.js');
const { nodeWx } = require('./wx_node.js');
const { loadPage, loadChatPage, all, texts, until, type, tap, simulate } = require('./simulate_page.js');
const api = require('../utils/api.js');
const ANSWER = require('./fixtures/answer-zh.json');

const GLOBALS = {
  config: { baseUrl: 'https://opc.example.com', apiKey: 'k', officialUrl: 'https://www.sz.gov.cn/plan' },
  userId: 'anon-u1',
  lang: 'zh',
};
const FEEDBACK = { id: 3, answer_id: ANSWER.id, useful: true, comment: null, source: 'api', created: 1 };

function scripted(replies, opts = { chunked: true }) {
  return fakeWx((options, n) => replies[Math.min(n, replies.length) - 1], opts);
}

// The fixture's answer text cut into three deltas, as the server streams an extractive answer.
function deltasOf(text) {
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
}

const answerBubbles = (page) => all(page, 'assistant');
const lastAnswerText = (page) => {
  const bubble = answerBubbles(page).at(-1);
  return bubble ? bubble.querySelector('.chat--text, .chat--thinking').textContent : '';
};

test('a typed question: the answer is shown growing as it streams, then with its sources', async () => {
  const deltas = deltasOf(ANSWER.answer);
  const wx = scripted([sse(deltas, { ...ANSWER, session_id: 'srv-1' }, { gapMs: 120 })]);
  const page = loadChatPage(wx, GLOBALS);
  await type(page, '住房补贴每月多少？');
  await tap(page, '.send');
  await until(() => texts(page, 'user').length === 1, 'the question bubble');
  assert.deepEqual(texts(page, 'user'), ['住房补贴每月多少？']);
  assert.equal(lastAnswerText(page), '正在查找条款…'); // before the first delta
  assert.equal(page.instance.data.input, '');
  const seen = [];
  await until(() => {
    const shown = lastAnswerText(page);
    if (shown !== seen.at(-1)) seen.push(shown);
    return all(page, 'sources').length === 1;
  }, 'the final answer');
  const growing = seen.filter((s) => s !== '正在查找条款…');
  assert.ok(growing.length >= 3, JSON.stringify(growing)); // three draws at least: it grew on screen
  for (let i = 1; i < growing.length; i += 1) assert.ok(growing[i].startsWith(growing[i - 1]));
  assert.equal(all(page, 'streaming').length, 0);
  assert.equal(lastAnswerText(page), ANSWER.answer);
  assert.deepEqual(texts(page, 'citation-heading'), ['▸ [1] （四） 提供住房保障']);
  assert.equal(page.instance.data.sessionId, 'srv-1');
  assert.equal(wx.requests[0].data.stream, true);
  assert.equal(wx.requests[0].data.session_id, null);
  assert.equal(wx.requests[0].header['X-Client-User-Id'], 'anon-u1');
});

test('a follow-up carries the server session; the streamed text is replaced when the gate rewrote it', async () => {
  const corrected = { ...ANSWER, session_id: 'srv-1', answer: '住房补贴每月1250元，最长36个月。[1]' };
  const wx = scripted([
    sse(deltasOf(ANSWER.answer), { ...ANSWER, session_id: 'srv-1' }),
    sse(['住房补贴每月1500元。'], corrected, { replaced: true }),
  ]);
  const page = loadChatPage(wx, GLOBALS);
  await page.instance.ask('住房补贴每月多少？');
  await tap(page, '.new-chat'); // a new conversation: no session id for the next question
  assert.equal(answerBubbles(page).length, 0);
  assert.equal(page.instance.data.sessionId, null);
  await page.instance.ask('住房补贴每月多少？');
  await page.instance.ask('最长多久？');
  assert.equal(wx.requests[1].data.session_id, null);
  assert.equal(wx.requests[2].data.session_id, 'srv-1');
  assert.equal(lastAnswerText(page), corrected.answer);
  assert.ok(!texts(page, 'text').some((t) => t.includes('1500')));
});

test('a source expands to the clause in both languages and collapses again', async () => {
  const page = loadChatPage(scripted([sse([ANSWER.answer], ANSWER)]), GLOBALS);
  await page.instance.ask('住房补贴每月多少？');
  assert.equal(all(page, 'clause').length, 0);
  await tap(page, '.citation-heading');
  const [clause] = all(page, 'clause');
  assert.match(clause.textContent, /1250元/);
  assert.match(clause.querySelector('.chat--parallel').textContent, /\(4\).*1,250 yuan/);
  assert.match(clause.textContent, /本项目译文，非官方措辞/);
  assert.deepEqual(texts(page, 'citation-heading'), ['▾ [1] （四） 提供住房保障']);
  await tap(page, '.citation-heading');
  assert.equal(all(page, 'clause').length, 0);
});

test('👍 is sent once for the answer it sits under and shows as chosen; 👎 afterwards sends nothing', async () => {
  const wx = scripted([sse([ANSWER.answer], ANSWER), json(201, FEEDBACK)]);
  const page = loadChatPage(wx, GLOBALS);
  await page.instance.ask('住房补贴每月多少？');
  await tap(page, '.thumb', 0);
  await until(() => all(page, 'chosen').length === 1, 'the chosen thumb');
  assert.equal(all(page, 'chosen')[0].textContent, '👍');
  await tap(page, '.thumb', 1);
  await simulate.sleep(20);
  assert.equal(wx.requests.length, 2);
  assert.deepEqual(wx.requests[1].data, { answer_id: ANSWER.id, useful: true, comment: null });
  assert.equal(wx.toasts.at(-1).title, '谢谢反馈');
});

test('👎 that fails to send says why and marks nothing', async () => {
  const wx = scripted([sse([ANSWER.answer], ANSWER), { fail: { errMsg: 'request:fail' } }]);
  const page = loadChatPage(wx, GLOBALS);
  await page.instance.ask('住房补贴每月多少？');
  await tap(page, '.thumb', 1);
  await until(() => wx.toasts.length === 1, 'the toast');
  assert.match(wx.toasts[0].title, /网络/);
  assert.equal(all(page, 'chosen').length, 0);
});

test('the language toggle relabels the page; an example question is asked by tapping it', async () => {
  const wx = scripted([sse(['The voucher is up to 10 million yuan [1].'], { ...ANSWER, language: 'en' })]);
  const page = loadChatPage(wx, GLOBALS);
  assert.deepEqual(texts(page, 'title'), ['深圳 AI OPC 政策助手']);
  await tap(page, '.lang');
  assert.deepEqual(texts(page, 'title'), ['Shenzhen AI OPC Policy Assistant']);
  assert.match(texts(page, 'notice')[0], /not legal advice/);
  assert.deepEqual(texts(page, 'send'), ['Send']);
  assert.deepEqual(texts(page, 'lang'), ['中文']);
  const examples = texts(page, 'example');
  assert.ok(examples.some((q) => /[\u4e00-\u9fff]/.test(q)) && examples.includes('What loans can graduates get?'));
  await tap(page, '.example', 1);
  await until(() => all(page, 'sources').length === 1, 'the answer');
  assert.equal(wx.requests[0].data.question, 'What loans can graduates get?');
  assert.equal(all(page, 'examples').length, 0); // examples give way to the conversation
  await tap(page, '.lang');
  assert.deepEqual(texts(page, 'send'), ['发送']);
});

const ERRORS = [
  ['network failure', { fail: { errMsg: 'request:fail timeout' } }, api.MESSAGES.zh.network],
  ['401 bad key', apiError(401, 'unauthorized', 'Missing or invalid API key.'), api.MESSAGES.zh.unauthorized],
  ['429 with Retry-After', apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '20' }), '提问太频繁，请20秒后再试。'],
  ['413 too large', apiError(413, 'payload_too_large', 'The request body is too large.'), 'The request body is too large.'],
  ['422 invalid question', apiError(422, 'invalid_question', '问题过长，请缩短到2000字以内。'), '问题过长，请缩短到2000字以内。'],
  ['500 server error', apiError(500, 'internal_error', 'Traceback ...'), api.MESSAGES.zh.server],
  ['error event mid-stream', sse(['住房'], null, { error: { code: 'internal_error', message: 'boom' } }), api.MESSAGES.zh.server],
  ['stream cut before the final event', sse(['住房补贴'], null), api.MESSAGES.zh.cutOff],
];

for (const [name, reply, message] of ERRORS) {
  test(`error shown: ${name}; the conversation is as it was and the question goes back in the box`, async () => {
    const wx = scripted([reply]);
    const page = loadChatPage(wx, GLOBALS);
    await type(page, '住房补贴每月多少？');
    await tap(page, '.send');
    await until(() => texts(page, 'error').length === 1, 'the error');
    assert.deepEqual(texts(page, 'error'), [message]);
    assert.equal(wx.toasts.at(-1).title, message);
    assert.deepEqual([all(page, 'bubble').length, page.instance.data.input, page.instance.data.loading], [0, '住房补贴每月多少？', false]);
  });
}

test('where chunked transfer is unavailable the page asks unstreamed and shows the same answer', async () => {
  const wx = scripted([json(200, ANSWER)], { chunked: false });
  const page = loadChatPage(wx, GLOBALS);
  await page.instance.ask('住房补贴每月多少？');
  assert.equal(wx.requests[0].data.stream, false);
  assert.equal(wx.requests[0].enableChunked, undefined);
  assert.equal(lastAnswerText(page), ANSWER.answer);
  assert.equal(all(page, 'citation').length, 1);
});

test('the page style sheet is compiled and scoped to the page', () => {
  loadChatPage(scripted([]), GLOBALS);
  const css = [...document.querySelectorAll('style')].map((s) => s.textContent).join('\n');
  assert.match(css, /\.chat--streaming/);
  assert.match(css, /\.chat--bubble\{/);
});

test('the web version: a link only when webUrl is set, opening pages/web with the interface language', async () => {
  assert.equal(all(loadChatPage(scripted([]), GLOBALS), 'web-link').length, 0);
  const wx = scripted([]);
  const globals = { ...GLOBALS, config: { ...GLOBALS.config, webUrl: 'https://opc.example.com/' } };
  const page = loadChatPage(wx, globals);
  await tap(page, '.lang');
  assert.deepEqual(texts(page, 'web-link'), ['Web version']);
  await tap(page, '.web-link');
  assert.deepEqual(wx.navigations, ['/pages/web/web?lang=en']);
  const web = loadPage('web', wx, globals, { lang: 'en' });
  assert.equal(web.instance.data.src, 'https://opc.example.com/?embed=1&lang=en');
  assert.equal(web.dom.querySelectorAll('wx-web-view').length, 1);
  web.instance.onError({ detail: {} }); // e.g. the domain is not on the business-domain allowlist
  assert.equal(web.dom.querySelectorAll('wx-web-view').length, 0);
  assert.match(texts(web, 'missing', 'web')[0], /business-domain allowlist/);
});

test('the web page without a usable webUrl says what to configure instead of opening nothing', () => {
  for (const webUrl of ['', 'http://opc.example.com/?embed=1']) {
    const web = loadPage('web', scripted([]), { ...GLOBALS, config: { ...GLOBALS.config, webUrl } });
    assert.equal(web.dom.querySelectorAll('wx-web-view').length, 0);
    assert.match(texts(web, 'missing', 'web')[0], /webUrl/);
  }
});

const BASE = process.env.OPC_API_URL;
test('against the real server: a typed question streams in and ends with the plan figure and its source',
  { skip: BASE ? false : 'set OPC_API_URL to run against a real server' }, async () => {
    const wx = nodeWx();
    wx.showToast = () => {};
    const page = loadChatPage(wx, { ...GLOBALS, config: { baseUrl: BASE, apiKey: process.env.OPC_API_KEY || '' },
      userId: 'node-page' });
    await type(page, '住房补贴每月多少？');
    await tap(page, '.send');
    await until(() => all(page, 'sources').length === 1, 'the real answer', 30000);
    assert.match(lastAnswerText(page), /1250元/);
    assert.ok(texts(page, 'citation-heading')[0].startsWith('▸ [1] （四）'));
    assert.ok(page.instance.data.sessionId);
  });
