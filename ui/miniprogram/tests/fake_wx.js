// A fake `wx` runtime (the edge we don't own): wx.request answers from a scripted responder,
// storage is a Map, toasts and clipboard are recorded.
'use strict';

function fakeWx(responder) {
  const wx = {
    requests: [],
    toasts: [],
    storage: new Map(),
    clipboard: null,
    request(options) {
      wx.requests.push(options);
      const reply = responder(options, wx.requests.length);
      setImmediate(() => {
        if (reply.fail) options.fail(reply.fail);
        else options.success({ statusCode: reply.statusCode, data: reply.data, header: reply.header || {} });
      });
      return { abort() {} };
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

module.exports = { fakeWx, json, apiError };
