#!/usr/bin/env node
// Time to first delta through the mini-program client: ui/miniprogram/utils/api.js, streaming, over a wx.request
// built on node http (pieces as the socket delivers them), against the server at argv[2].
// Prints one JSON object: per-question milliseconds from ask() to the first onDelta and to the final answer.
// Normally run by bench/miniprogram.py, which starts the server; `node bench/miniprogram.js URL [repeat]`.
'use strict';
const path = require('node:path');
const api = require(path.join(__dirname, '..', 'ui', 'miniprogram', 'utils', 'api.js'));
const { nodeWx } = require(path.join(__dirname, '..', 'ui', 'miniprogram', 'tests', 'wx_node.js'));

const QUESTIONS = ['住房补贴每月多少？', 'How big is the training power voucher?', '创业贷款最高多少？',
  'What loans can graduates get?', '住房補貼每月多少錢？', 'What does Shanghai offer one-person companies?'];

async function main() {
  const [url, repeatArg] = process.argv.slice(2);
  const repeat = Number(repeatArg || 5);
  const client = api.createClient(nodeWx({ cuts: [Number.MAX_SAFE_INTEGER] }), { baseUrl: url, userId: 'bench', lang: 'zh' });
  if (!client.streaming) throw new Error('the client did not choose streaming');
  const first = [];
  const done = [];
  for (let round = 0; round <= repeat; round += 1) { // round 0 warms up and is not counted
    for (const question of QUESTIONS) {
      const t0 = process.hrtime.bigint();
      let t1 = null;
      const res = await client.ask(question, null, { onDelta: () => { if (t1 === null) t1 = process.hrtime.bigint(); } });
      const t2 = process.hrtime.bigint();
      if (!res.ok) throw new Error(JSON.stringify(res.error));
      if (round > 0) {
        first.push(Number((t1 ?? t2) - t0) / 1e6);
        done.push(Number(t2 - t0) / 1e6);
      }
    }
  }
  process.stdout.write(JSON.stringify({ questions: QUESTIONS.length, repeat, first_delta_ms: first, answer_ms: done }));
}

main().catch((err) => { console.error(err); process.exit(1); });
