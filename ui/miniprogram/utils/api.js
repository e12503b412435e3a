// OPC Policy Assistant API client for the mini-program: request building, streamed and plain answers,
// response parsing and error messages. Pure CommonJS with `wx` passed in, so node can test it.
'use strict';

const { createUtf8Decoder, createSseParser } = require('./stream.js');

const DEFAULT_TIMEOUT_MS = 20000;
// A streamed answer may take as long as the model writes; the server sends a heartbeat meanwhile.
const DEFAULT_STREAM_TIMEOUT_MS = 60000;

const MESSAGES = {
  zh: {
    network: '网络连接失败，请检查网络后重试。',
    unauthorized: '服务暂不可用（API 密钥无效），请联系管理员。',
    rateLimited: '提问太频繁，请{s}秒后再试。',
    rateLimitedSoon: '提问太频繁，请稍后再试。',
    server: '服务暂时出错，请稍后再试。',
    invalid: '无法处理这个问题，请换一种问法。',
    empty: '请输入问题。',
    unexpected: '收到无法识别的回复，请稍后再试。',
    cutOff: '回答传输中断，请重试。',
  },
  'zh-Hant': {
    network: '網路連線失敗，請檢查網路後重試。',
    unauthorized: '服務暫不可用（API 金鑰無效），請聯絡管理員。',
    rateLimited: '提問太頻繁，請{s}秒後再試。',
    rateLimitedSoon: '提問太頻繁，請稍後再試。',
    server: '服務暫時出錯，請稍後再試。',
    invalid: '無法處理這個問題，請換一種問法。',
    empty: '請輸入問題。',
    unexpected: '收到無法識別的回覆，請稍後再試。',
    cutOff: '回答傳輸中斷，請重試。',
  },
  en: {
    network: 'Network error: check your connection and try again.',
    unauthorized: 'The service is unavailable (invalid API key). Please contact the administrator.',
    rateLimited: 'Too many questions: please try again in {s} seconds.',
    rateLimitedSoon: 'Too many questions: please try again shortly.',
    server: 'The service had a problem. Please try again later.',
    invalid: 'This question cannot be processed; please rephrase it.',
    empty: 'Please type a question.',
    unexpected: 'The reply could not be read. Please try again later.',
    cutOff: 'The answer was cut off. Please try again.',
  },
};

// Codes whose server message is written for users and worth showing as is.
const SHOW_SERVER_MESSAGE = new Set([
  'invalid_question', 'validation_error', 'payload_too_large', 'not_found', 'invalid_session_id',
  'invalid_feedback',
]);

function uiLang(lang) {
  return String(lang || '').toLowerCase().startsWith('en') ? 'en' : 'zh';
}

// Traditional for Taiwan, Hong Kong and Macau settings (WeChat reports e.g. 'zh_TW', 'zh_HK').
function isHant(lang) {
  return /^(zh[-_](hant|tw|hk|mo)|yue)/i.test(String(lang || ''));
}

// The client's own messages: Simplified, Traditional or English.
function messages(lang) {
  if (uiLang(lang) === 'en') return MESSAGES.en;
  return isHant(lang) ? MESSAGES['zh-Hant'] : MESSAGES.zh;
}

// Accept-Language for the server, so the errors it writes (a question too long, a field wrong) come in the
// user's language rather than English.
function acceptLanguage(lang) {
  if (uiLang(lang) === 'en') return 'en';
  if (!isHant(lang)) return 'zh-CN';
  return /hk|mo|yue/i.test(String(lang)) ? 'zh-HK' : 'zh-TW';
}

function trimBase(baseUrl) {
  if (!baseUrl || !/^https?:\/\//i.test(baseUrl)) {
    throw new Error('config.baseUrl must be the API address, e.g. https://opc.example.com');
  }
  return baseUrl.replace(/\/+$/, '');
}

function headers(config) {
  const header = { 'Content-Type': 'application/json', 'Accept-Language': acceptLanguage(config.lang) };
  if (config.apiKey) header.Authorization = `Bearer ${config.apiKey}`;
  if (config.userId) header['X-Client-User-Id'] = String(config.userId);
  return header;
}

function buildChatRequest(config, question, sessionId, stream) {
  const header = headers(config);
  if (stream) header.Accept = 'text/event-stream';
  return {
    url: `${trimBase(config.baseUrl)}/v1/chat`,
    method: 'POST',
    header,
    data: { question, session_id: sessionId || null, stream: Boolean(stream), mode: null },
    timeout: config.timeout || (stream ? DEFAULT_STREAM_TIMEOUT_MS : DEFAULT_TIMEOUT_MS),
  };
}

function buildFeedbackRequest(config, answerId, useful, comment) {
  return {
    url: `${trimBase(config.baseUrl)}/v1/feedback`,
    method: 'POST',
    header: headers(config),
    data: { answer_id: answerId, useful: Boolean(useful), comment: comment || null },
    timeout: config.timeout || DEFAULT_TIMEOUT_MS,
  };
}

function headerValue(header, name) {
  const key = Object.keys(header || {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : header[key];
}

function retryAfterSeconds(header) {
  const value = headerValue(header, 'Retry-After');
  const seconds = Number.parseInt(value, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

// wx.request `success` result -> {ok: true, status, data} or {ok: false, error: {...}}.
function parseResponse(res, lang) {
  const msgs = messages(lang);
  const status = res && res.statusCode;
  let body = res && res.data;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch (e) { /* left as text: handled below */ }
  }
  if (status >= 200 && status < 300) {
    if (!body || typeof body !== 'object') {
      return { ok: false, error: { status, code: 'bad_response', message: msgs.unexpected } };
    }
    return { ok: true, status, data: body };
  }
  return { ok: false, error: apiError(status, (body && typeof body === 'object' && body.error) || {}, res.header, lang) };
}

// An HTTP error status (or an error event inside a stream) -> the error the page shows.
function apiError(status, err, header, lang) {
  const msgs = messages(lang);
  const code = err.code || (status === 401 ? 'unauthorized' : status === 429 ? 'rate_limited' : 'http_error');
  const error = { status, code, serverMessage: err.message || null, retryAfter: null };
  if (status === 429) {
    error.retryAfter = retryAfterSeconds(header);
    error.message = error.retryAfter !== null
      ? msgs.rateLimited.replace('{s}', String(error.retryAfter)) : msgs.rateLimitedSoon;
  } else if (status === 401 || status === 403) {
    error.message = msgs.unauthorized;
  } else if (status >= 500 || !status || code === 'internal_error' || code === 'index_unavailable') {
    error.message = msgs.server;
  } else if (SHOW_SERVER_MESSAGE.has(code) && err.message) {
    error.message = err.message;
  } else {
    error.message = msgs.invalid;
  }
  return error;
}

// Network failure (wx.request `fail`: no connection, timeout, domain not allowed).
function networkError(failure, lang) {
  return {
    ok: false,
    error: { status: 0, code: 'network_error', message: messages(lang).network,
      detail: (failure && failure.errMsg) || String(failure || '') },
  };
}

// One wx.request as a promise that always resolves to {ok, data} or {ok: false, error}.
function send(wx, options, lang) {
  return new Promise((resolve) => {
    wx.request({
      ...options,
      dataType: 'json',
      success: (res) => resolve(parseResponse(res, lang)),
      fail: (failure) => resolve(networkError(failure, lang)),
    });
  });
}

// Answer JSON -> what the chat page renders (numbered sources, suggestions, notes).
function toMessage(answer, lang) {
  const zh = uiLang(lang) === 'zh';
  return {
    role: 'assistant',
    answerId: answer.id,
    text: answer.answer,
    answerable: Boolean(answer.answerable),
    language: answer.language,
    citations: (answer.citations || []).map((c) => ({
      n: c.n,
      heading: `[${c.n}] ${c.label} ${c.title}`.replace(/\s+/g, ' ').trim(),
      text: c.text,
      parallelLabel: c.parallel_label || '',
      parallelText: c.parallel_text || '',
      docTitle: c.doc_title,
      note: [
        c.is_translation ? (zh ? '本项目译文，非官方措辞' : 'our translation, not the official wording') : '',
        c.authority === 'background' ? (zh ? '新闻背景资料' : 'news background') : '',
        c.page ? (zh ? `第${c.page}页` : `page ${c.page}`) : '',
      ].filter(Boolean).join(' · '),
      sourceUrl: c.source_url || '',
      expanded: false,
    })),
    suggestions: (answer.suggestions || []).map((s) => `${s.label} ${s.title}`.trim()),
    warnings: answer.warnings || [],
    feedback: null,
  };
}

// Chunked transfer (wx.request's enableChunked + onChunkReceived) exists from base library 2.20.1 on.
function canStream(wx, config) {
  if (config.stream === false) return false;
  try {
    return typeof wx.canIUse === 'function' && Boolean(wx.canIUse('request.object.enableChunked'));
  } catch (e) {
    return false;
  }
}

function streamError(code, message, status) {
  return { ok: false, error: { status: status || 0, code, message, serverMessage: null, retryAfter: null } };
}

// POST /v1/chat with "stream": true, read as Server-Sent Events while it arrives: onDelta(text) per
// `delta` event; resolves like send() with the final answer ({ok, status, data, replaced}).
function sendStreamed(wx, options, lang, onDelta) {
  const msgs = messages(lang);
  return new Promise((resolve) => {
    const decoder = createUtf8Decoder();
    let text = ''; // everything received, for error bodies and servers that answer with plain JSON
    let kind = null; // 'sse' once the reply is known to be an event stream, 'body' for anything else
    let final = null;
    let failure = null;
    let parsed = 0; // how much of `text` the SSE parser has had
    let chunked = false;
    const parser = createSseParser((ev) => {
      if (final || failure) return;
      let payload;
      try { payload = JSON.parse(ev.data); } catch (e) { failure = streamError('bad_response', msgs.unexpected, 200); return; }
      if (ev.event === 'delta' && typeof payload.text === 'string') {
        if (payload.text && onDelta) onDelta(payload.text);
      } else if (ev.event === 'final' && payload.answer && typeof payload.answer === 'object') {
        final = payload;
      } else if (ev.event === 'error') {
        // The stream had started (status 200) when the server failed: its error rides in the body.
        failure = { ok: false, error: apiError(200, payload.error || {}, {}, lang) };
      }
    });
    const classify = (status, header) => {
      const type = String(headerValue(header, 'Content-Type') || '');
      kind = status >= 200 && status < 300 && /event-stream/i.test(type) ? 'sse' : 'body';
    };
    const feed = (piece) => {
      text += piece;
      // Without onHeadersReceived, the first bytes tell: JSON and HTML bodies start with "{" or "<".
      if (kind === null && text.trim()) kind = /^\s*[{<[]/.test(text) ? 'body' : 'sse';
      if (kind === 'sse') { parser.push(text.slice(parsed)); parsed = text.length; }
    };
    const task = wx.request({
      ...options,
      enableChunked: true,
      responseType: 'arraybuffer',
      success: (res) => {
        const status = res.statusCode;
        if (!chunked && res.data) { // a runtime that ignored enableChunked hands over the whole body here
          const raw = res.data;
          if (typeof raw === 'object' && !(raw instanceof ArrayBuffer) && !ArrayBuffer.isView(raw)) {
            resolve(parseResponse(res, lang)); // already parsed JSON: an unstreamed answer or an error
            return;
          }
          classify(status, res.header);
          feed(typeof res.data === 'string' ? res.data : decoder.decode(res.data));
        }
        feed(decoder.end());
        if (kind === 'sse') parser.end();
        if (!(status >= 200 && status < 300) || kind !== 'sse') {
          resolve(parseResponse({ statusCode: status, data: text, header: res.header }, lang));
        } else if (failure) {
          resolve(failure);
        } else if (final) {
          resolve({ ok: true, status, data: final.answer, replaced: Boolean(final.replaced) });
        } else {
          resolve(streamError('stream_cut', msgs.cutOff, status));
        }
      },
      fail: (err) => resolve(networkError(err, lang)),
    });
    if (task && typeof task.onHeadersReceived === 'function') {
      task.onHeadersReceived((res) => { if (res && res.statusCode) classify(res.statusCode, res.header); });
    }
    if (task && typeof task.onChunkReceived === 'function') {
      task.onChunkReceived((res) => {
        chunked = true;
        feed(decoder.decode(res.data));
      });
    }
  });
}

function createClient(wx, config) {
  const lang = config.lang;
  return {
    streaming: canStream(wx, config),
    // onDelta(text) gets each piece of a streamed answer as it arrives; the promise resolves with the final
    // answer either way ({ok: true, data, replaced}): show data.answer, which replaces the streamed text.
    ask(question, sessionId, { onDelta } = {}) {
      const text = String(question || '').trim();
      if (!text) {
        return Promise.resolve({ ok: false, error: { status: 0, code: 'empty', message: messages(lang).empty } });
      }
      if (this.streaming) return sendStreamed(wx, buildChatRequest(config, text, sessionId, true), lang, onDelta);
      return send(wx, buildChatRequest(config, text, sessionId, false), lang);
    },
    feedback(answerId, useful, comment) {
      return send(wx, buildFeedbackRequest(config, answerId, useful, comment), lang);
    },
  };
}

// The web chat page's address for <web-view>: HTTPS only (WeChat refuses anything else), embed mode on,
// the interface language passed along. '' when none is configured or it is not HTTPS.
function embedUrl(webUrl, lang) {
  const url = String(webUrl || '').trim();
  if (!/^https:\/\/[^\s/?#]+/i.test(url)) return '';
  const [head, hash = ''] = url.split('#');
  const params = ['embed=1', `lang=${uiLang(lang)}`].filter((p) => !new RegExp(`[?&]${p.split('=')[0]}=`).test(head));
  const joined = params.length ? `${head}${head.includes('?') ? '&' : '?'}${params.join('&')}` : head;
  return hash ? `${joined}#${hash}` : joined;
}

// A stable, anonymous id for X-Client-User-Id when no hashed openid is configured (see README).
function clientUserId(wx, random) {
  const key = 'opc_client_user_id';
  let id = wx.getStorageSync(key);
  if (!id) {
    const rnd = random || Math.random;
    id = `anon-${Date.now().toString(36)}-${Math.floor(rnd() * 1e12).toString(36)}`;
    wx.setStorageSync(key, id);
  }
  return id;
}

module.exports = {
  MESSAGES, buildChatRequest, buildFeedbackRequest, parseResponse, networkError, send, toMessage,
  createClient, clientUserId, retryAfterSeconds, uiLang, canStream, embedUrl,
};
