// A `wx.request` shim on node's fetch, so the API client can call a real server in tests.
'use strict';

function fetchWx() {
  return {
    request({ url, method = 'GET', header = {}, data, timeout = 20000, success, fail }) {
      const body = data === undefined ? undefined : typeof data === 'string' ? data : JSON.stringify(data);
      fetch(url, { method, headers: header, body, signal: AbortSignal.timeout(timeout) })
        .then(async (res) => {
          const text = await res.text();
          let parsed = text;
          try { parsed = JSON.parse(text); } catch (e) { /* wx hands over the raw text too */ }
          success({ statusCode: res.status, data: parsed, header: Object.fromEntries(res.headers.entries()) });
        })
        .catch((err) => fail({ errMsg: `request:fail ${err.message}` }));
      return { abort() {} };
    },
  };
}

module.exports = { fetchWx };
