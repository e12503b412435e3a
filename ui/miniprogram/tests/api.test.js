'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const api = require('../utils/api.js');
const { fakeWx, json, apiError } = require('./fake_wx.js');
const ANSWER = require('./fixtures/answer-zh.json');
const REFUSED = require('./fixtures/answer-refused-en.json');

const CONFIG = { baseUrl: 'https://opc.example.com/', apiKey: 'k-123', userId: 'anon-u1', lang: 'zh' };

test('chat request: URL, headers with key and user id, body per the API contract', () => {
  const req = api.buildChatRequest(CONFIG, '住房补贴每月多少？', 'sess-1');
  assert.equal(req.url, 'https://opc.example.com/v1/chat');
  assert.equal(req.method, 'POST');
  assert.deepEqual(req.header, {
    'Content-Type': 'application/json', 'Accept-Language': 'zh-CN', Authorization: 'Bearer k-123',
    'X-Client-User-Id': 'anon-u1',
  });
  assert.deepEqual(req.data, { question: '住房补贴每月多少？', session_id: 'sess-1', stream: false, mode: null });
  assert.equal(req.timeout, 20000);
});

test('no key, no user id: only Content-Type and the language; a new conversation sends session_id null', () => {
  const req = api.buildChatRequest({ baseUrl: 'http://127.0.0.1:8000', timeout: 5000 }, 'q', undefined);
  assert.deepEqual(req.header, { 'Content-Type': 'application/json', 'Accept-Language': 'zh-CN' });
  assert.equal(req.data.session_id, null);
  assert.equal(req.timeout, 5000);
});

for (const baseUrl of ['', 'opc.example.com', 'ftp://x', undefined]) {
  test(`a base URL that is not http(s) is refused: ${JSON.stringify(baseUrl)}`, () => {
    assert.throws(() => api.buildChatRequest({ baseUrl }, 'q'), /config.baseUrl/);
  });
}

test('feedback request body', () => {
  const req = api.buildFeedbackRequest(CONFIG, 'a1', 0, '');
  assert.equal(req.url, 'https://opc.example.com/v1/feedback');
  assert.deepEqual(req.data, { answer_id: 'a1', useful: false, comment: null });
  assert.equal(req.header.Authorization, 'Bearer k-123');
});

test('a successful answer is parsed and sent through wx.request as JSON', async () => {
  const wx = fakeWx(() => json(200, ANSWER));
  const res = await api.createClient(wx, CONFIG).ask('  住房补贴每月多少？ ', null);
  assert.equal(res.ok, true);
  assert.equal(res.data.id, ANSWER.id);
  assert.equal(wx.requests.length, 1);
  assert.equal(wx.requests[0].dataType, 'json');
  assert.equal(wx.requests[0].data.question, '住房补贴每月多少？');
});

test('a JSON body delivered as text is still parsed', () => {
  const res = api.parseResponse({ statusCode: 200, data: JSON.stringify(ANSWER), header: {} }, 'zh');
  assert.equal(res.ok, true);
  assert.equal(res.data.answer, ANSWER.answer);
});

test('an empty question is not sent', async () => {
  const wx = fakeWx(() => { throw new Error('must not be called'); });
  const res = await api.createClient(wx, CONFIG).ask('   ', null);
  assert.deepEqual([res.ok, res.error.code, res.error.message], [false, 'empty', '请输入问题。']);
  assert.equal(wx.requests.length, 0);
});

test('citation rendering data: numbered heading, both languages, translation note, source', () => {
  const msg = api.toMessage(ANSWER, 'zh');
  assert.equal(msg.answerId, ANSWER.id);
  assert.equal(msg.text, ANSWER.answer);
  const [c] = msg.citations;
  assert.equal(c.heading, '[1] （四） 提供住房保障');
  assert.match(c.text, /1250元/);
  assert.equal(c.parallelLabel, '(4)');
  assert.match(c.parallelText, /1,250 yuan/);
  assert.equal(c.note, '本项目译文，非官方措辞');
  assert.match(c.sourceUrl, /^https:\/\/www\.sz\.gov\.cn\//);
  assert.equal(c.expanded, false);
  assert.equal(msg.feedback, null);
});

test('a refusal carries the nearest clauses as suggestions and no sources', () => {
  const msg = api.toMessage(REFUSED, 'en');
  assert.equal(msg.answerable, false);
  assert.deepEqual(msg.citations, []);
  assert.ok(msg.suggestions.length >= 1);
  assert.equal(msg.suggestions[0], `${REFUSED.suggestions[0].label} ${REFUSED.suggestions[0].title}`);
});

const background = { ...ANSWER.citations[0], authority: 'background', is_translation: false, page: 3 };
for (const [lang, note] of [['zh', '新闻背景资料 · 第3页'], ['en', 'news background · page 3']]) {
  test(`citation note for news background with a page (${lang})`, () => {
    assert.equal(api.toMessage({ ...ANSWER, citations: [background] }, lang).citations[0].note, note);
  });
}

test('network failure (wx fail callback) gives a clear, localised error', async () => {
  const wx = fakeWx(() => ({ fail: { errMsg: 'request:fail timeout' } }));
  const zh = await api.createClient(wx, CONFIG).ask('q', null);
  assert.deepEqual([zh.ok, zh.error.code, zh.error.status], [false, 'network_error', 0]);
  assert.equal(zh.error.message, api.MESSAGES.zh.network);
  assert.equal(zh.error.detail, 'request:fail timeout');
  const en = await api.createClient(wx, { ...CONFIG, lang: 'en_US' }).ask('q', null);
  assert.equal(en.error.message, api.MESSAGES.en.network);
});

const ERRORS = [
  // [name, response, expected code, expected message (zh)]
  ['401 unauthorized', apiError(401, 'unauthorized', 'Missing or invalid API key.'), 'unauthorized',
    api.MESSAGES.zh.unauthorized],
  ['422 invalid question: the server message is shown', apiError(422, 'invalid_question',
    'The question is empty. Please type a question about the plan.'), 'invalid_question',
  'The question is empty. Please type a question about the plan.'],
  ['422 validation error without message', json(422, { error: { code: 'validation_error' } }), 'validation_error',
    api.MESSAGES.zh.invalid],
  ['413 payload too large', apiError(413, 'payload_too_large', 'The request body is too large.'),
    'payload_too_large', 'The request body is too large.'],
  ['429 with Retry-After', apiError(429, 'rate_limited', 'Too many requests.', {
    'Retry-After': '30', 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '30',
  }), 'rate_limited', '提问太频繁，请30秒后再试。'],
  ['429 with a lower-case retry-after header', apiError(429, 'rate_limited', 'x', { 'retry-after': '7' }),
    'rate_limited', '提问太频繁，请7秒后再试。'],
  ['429 without Retry-After', apiError(429, 'rate_limited', 'x', {}), 'rate_limited', api.MESSAGES.zh.rateLimitedSoon],
  ['500 internal error', apiError(500, 'internal_error', 'Traceback: secret detail'), 'internal_error',
    api.MESSAGES.zh.server],
  ['502 from a proxy, HTML body', { statusCode: 502, data: '<html>Bad Gateway</html>', header: {} }, 'http_error',
    api.MESSAGES.zh.server],
  ['200 that is not JSON', { statusCode: 200, data: 'OK', header: {} }, 'bad_response', api.MESSAGES.zh.unexpected],
];

for (const [name, response, code, message] of ERRORS) {
  test(`error: ${name}`, async () => {
    const wx = fakeWx(() => response);
    const res = await api.createClient(wx, CONFIG).ask('住房补贴每月多少？', 'sess-1');
    assert.equal(res.ok, false);
    assert.equal(res.error.code, code);
    assert.equal(res.error.message, message);
    assert.equal(res.error.status, response.statusCode);
  });
}

test('429 in English names the wait', () => {
  const res = api.parseResponse(apiError(429, 'rate_limited', 'x', { 'Retry-After': '12' }), 'en');
  assert.equal(res.error.retryAfter, 12);
  assert.equal(res.error.message, 'Too many questions: please try again in 12 seconds.');
});

test('feedback: 201 is a success, 404 shows the server message', async () => {
  let reply = json(201, { id: 1, answer_id: 'a1', useful: true, comment: null, source: 'api', created: 1 });
  const wx = fakeWx(() => reply);
  const client = api.createClient(wx, CONFIG);
  const ok = await client.feedback('a1', true);
  assert.deepEqual([ok.ok, ok.status, ok.data.useful], [true, 201, true]);
  reply = apiError(404, 'not_found', "No answer with id 'zz'.");
  const missing = await client.feedback('zz', false);
  assert.deepEqual([missing.ok, missing.error.message], [false, "No answer with id 'zz'."]);
  assert.deepEqual(wx.requests.map((r) => r.url), Array(2).fill('https://opc.example.com/v1/feedback'));
});

test('the anonymous client user id is made once and kept in storage', () => {
  const wx = fakeWx(() => json(200, {}));
  const first = api.clientUserId(wx, () => 0.5);
  assert.match(first, /^anon-[0-9a-z]+-[0-9a-z]+$/);
  assert.equal(api.clientUserId(wx, () => 0.9), first);
  assert.equal(wx.storage.get('opc_client_user_id'), first);
});

test('the <web-view> address: HTTPS only, embed mode and language added once, fragment kept', () => {
  assert.equal(api.embedUrl('https://opc.example.com', 'zh'), 'https://opc.example.com?embed=1&lang=zh');
  assert.equal(api.embedUrl('https://opc.example.com/?embed=1', 'en_US'), 'https://opc.example.com/?embed=1&lang=en');
  assert.equal(api.embedUrl('https://opc.example.com/?lang=en&embed=1#top', 'zh'), 'https://opc.example.com/?lang=en&embed=1#top');
  for (const bad of ['', null, 'http://opc.example.com', 'opc.example.com', 'javascript:alert(1)', 'https://']) {
    assert.equal(api.embedUrl(bad, 'zh'), '', String(bad));
  }
});

test('the server is asked for errors in the user\'s language: Simplified, Taiwan, Hong Kong, English', () => {
  const header = (lang) => api.buildChatRequest({ ...CONFIG, lang }, 'q').header['Accept-Language'];
  assert.deepEqual(['zh_CN', 'zh_TW', 'zh_HK', 'en', 'en_US'].map(header), ['zh-CN', 'zh-TW', 'zh-HK', 'en', 'en']);
  assert.equal(api.buildFeedbackRequest({ ...CONFIG, lang: 'zh_TW' }, 1, true).header['Accept-Language'], 'zh-TW');
});

test('a server message in the user\'s language is shown as is; the client\'s own in Traditional for zh_TW', async () => {
  const tooLong = { statusCode: 422, header: {}, data: { error: { code: 'invalid_question',
    message: '问题共 2,200 个字符，上限为 2,000 个，请缩短后再问。' } } };
  assert.equal(api.parseResponse(tooLong, 'zh').error.message, '问题共 2,200 个字符，上限为 2,000 个，请缩短后再问。');
  const empty = await api.createClient({}, { ...CONFIG, lang: 'zh_TW' }).ask('  ', null);
  assert.equal(empty.error.message, '請輸入問題。');
});
