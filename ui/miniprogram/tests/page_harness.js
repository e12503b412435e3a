// Loads pages/chat/chat.js the way the WeChat runtime would: globals Page, getApp and wx,
// then gives back a page instance whose setData merges into data (top-level keys, as the page uses).
'use strict';
const path = require('node:path');

const CHAT = path.join(__dirname, '..', 'pages', 'chat', 'chat.js');
const API = path.join(__dirname, '..', 'utils', 'api.js');

function loadChatPage(wx, globalData) {
  let definition = null;
  global.wx = wx;
  global.getApp = () => ({ globalData });
  global.Page = (def) => { definition = def; };
  delete require.cache[CHAT];
  delete require.cache[API];
  require(CHAT);
  const page = Object.create(definition);
  page.data = JSON.parse(JSON.stringify(definition.data));
  page.setData = (patch) => { Object.assign(page.data, patch); };
  page.onLoad();
  return page;
}

const tap = (dataset) => ({ currentTarget: { dataset } });

module.exports = { loadChatPage, tap };
