// Renders pages/chat with the official miniprogram-simulate (WXML compiled by WeChat's own compiler, WXSS
// scoped and inserted) in a jsdom document. Globals the WeChat runtime provides (getApp, wx) come from the
// test: `wx` is the edge (fake_wx.js or wx_node.js).
'use strict';
const path = require('node:path');
const { JSDOM } = require('jsdom');

const ROOT = path.join(__dirname, '..');
const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'https://servicewechat.com/' });
for (const key of ['window', 'document', 'Element', 'Node', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver']) {
  global[key] = key === 'window' ? dom.window : dom.window[key];
}
const simulate = require('miniprogram-simulate');

// Loads pages/<name>/<name> as the runtime would open it (onLoad with the page's query).
function loadPage(name, wx, globalData, query = {}) {
  global.wx = wx;
  global.getApp = () => ({ globalData });
  const id = simulate.load(path.join(ROOT, 'pages', name, name), name, { rootPath: ROOT });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad(query);
  return page;
}

const loadChatPage = (wx, globalData) => loadPage('chat', wx, globalData);

// Text of every rendered element matching a page-level class (simulate prefixes classes with the tag name).
const all = (page, cls, name = 'chat') => [...page.dom.querySelectorAll(`.${name}--${cls}`)];
const texts = (page, cls, name) => all(page, cls, name).map((e) => e.textContent.trim());

async function until(check, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await simulate.sleep(5);
  }
}

// Events reach the page a microtask later, as in the runtime; these resolve once the handler has run.
async function type(page, text) {
  page.querySelector('.input').dispatchEvent('input', { detail: { value: text } });
  await simulate.sleep(0);
}

async function tap(page, selector, index = 0) {
  const targets = page.querySelectorAll(selector);
  if (!targets[index]) throw new Error(`nothing to tap at ${selector}[${index}]`);
  targets[index].dispatchEvent('tap');
  await simulate.sleep(0);
}

module.exports = { loadPage, loadChatPage, all, texts, until, type, tap, simulate };
