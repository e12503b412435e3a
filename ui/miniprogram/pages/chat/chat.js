// The chat page: one conversation (session id from the server), answers streamed as they are written and
// then shown with numbered sources, 👍/👎 feedback. All HTTP goes through utils/api.js.
const { createClient, embedUrl, toMessage } = require('../../utils/api.js');

const TEXT = {
  zh: {
    title: '深圳 AI OPC 政策助手',
    notice: '回答仅供参考，不构成法律意见；以官方发布的计划原文为准。',
    official: '复制官方原文链接',
    placeholder: '例：住房补贴每月多少？',
    send: '发送',
    newChat: '新对话',
    web: '网页版',
    sources: '来源',
    nearest: '可参考的相近条款：',
    thinking: '正在查找条款…',
    copied: '链接已复制',
    thanks: '谢谢反馈',
    switchLang: 'English',
    examples: ['住房补贴每月多少？', '创业贷款最高多少？', 'How big is the training power voucher?'],
  },
  en: {
    title: 'Shenzhen AI OPC Policy Assistant',
    notice: 'Answers are for information only and are not legal advice; the official text of the plan prevails.',
    official: 'Copy the official text link',
    placeholder: 'e.g. What loans can I get?',
    send: 'Send',
    newChat: 'New conversation',
    web: 'Web version',
    sources: 'Sources',
    nearest: 'Nearest clauses:',
    thinking: 'Looking up the clauses…',
    copied: 'Link copied',
    thanks: 'Thanks for the feedback',
    switchLang: '中文',
    examples: ['How much is the housing subsidy per month?', 'What loans can graduates get?', '算力券最高多少？'],
  },
};

// Streamed text is drawn at most this often: every setData crosses to the render thread, so one per
// delta would flood it on a fast stream.
const RENDER_INTERVAL_MS = 80;

// Built with Component() (WeChat supports it for pages: lifecycle methods such as onLoad sit in `methods`),
// so miniprogram-simulate can render this very file in tests.
Component({
  data: { lang: 'zh', t: TEXT.zh, messages: [], input: '', sessionId: null, loading: false, error: '', web: false },

  methods: {
    onLoad() {
      const app = getApp();
      this.config = app.globalData.config;
      this.userId = app.globalData.userId;
      this.setLang(app.globalData.lang || 'zh');
      this.setData({ web: Boolean(embedUrl(this.config.webUrl, 'zh')) });
    },

    onUnload() {
      clearTimeout(this.renderTimer);
    },

    setLang(lang) {
      this.client = createClient(wx, { ...this.config, userId: this.userId, lang });
      this.setData({ lang, t: TEXT[lang] });
    },

    onToggleLang() {
      this.setLang(this.data.lang === 'zh' ? 'en' : 'zh');
    },

    onInput(e) {
      this.setData({ input: e.detail.value });
    },

    onSend() {
      return this.ask(this.data.input);
    },

    onExample(e) {
      return this.ask(e.currentTarget.dataset.q);
    },

    async ask(question) {
      const text = String(question || '').trim();
      if (this.data.loading || !text) return;
      const before = this.data.messages;
      const at = before.length + 1; // where the answer goes, streamed or not
      this.setData({
        messages: before.concat([{ role: 'user', text }, { role: 'assistant', streaming: true, text: '' }]),
        input: '', loading: true, error: '',
      });
      this.streamed = '';
      this.shown = '';
      // Leading edge at once (the first words show without delay), then at most one draw per interval.
      const draw = () => {
        this.renderTimer = null;
        if (this.shown === this.streamed) return;
        this.shown = this.streamed;
        this.setData({ [`messages[${at}].text`]: this.streamed });
        this.renderTimer = setTimeout(draw, RENDER_INTERVAL_MS);
      };
      const onDelta = (piece) => {
        this.streamed += piece;
        if (!this.renderTimer) draw();
      };
      const res = await this.client.ask(text, this.data.sessionId, { onDelta });
      clearTimeout(this.renderTimer);
      this.renderTimer = null;
      if (res.ok) {
        // The final answer replaces the streamed text (the grounding gate may have rewritten it).
        this.setData({
          [`messages[${at}]`]: toMessage(res.data, this.data.lang),
          sessionId: res.data.session_id || this.data.sessionId,
          loading: false,
        });
      } else {
        // Nothing changes but the message: the question goes back into the box to retry or fix.
        this.setData({ messages: before, input: text, loading: false, error: res.error.message });
        wx.showToast({ title: res.error.message, icon: 'none', duration: 3000 });
      }
    },

    onToggleCitation(e) {
      const { m, c } = e.currentTarget.dataset;
      const expanded = this.data.messages[m].citations[c].expanded;
      this.setData({ [`messages[${m}].citations[${c}].expanded`]: !expanded });
    },

    async onFeedback(e) {
      const { m, useful } = e.currentTarget.dataset;
      const message = this.data.messages[m];
      if (!message || message.role !== 'assistant' || message.streaming || message.feedback !== null) return;
      const res = await this.client.feedback(message.answerId, useful === true || useful === 'true');
      if (!res.ok) {
        wx.showToast({ title: res.error.message, icon: 'none', duration: 3000 });
        return;
      }
      this.setData({ [`messages[${m}].feedback`]: res.data.useful ? 'up' : 'down' });
      wx.showToast({ title: this.data.t.thanks, icon: 'none' });
    },

    onNewChat() {
      if (this.data.loading) return; // the answer on its way belongs to the current conversation
      this.setData({ messages: [], sessionId: null, input: '', error: '' });
    },

    onOpenWeb() {
      wx.navigateTo({ url: `/pages/web/web?lang=${this.data.lang}` });
    },

    // Mini-programs cannot open outside web pages, so links are copied for the browser.
    onCopyLink(e) {
      const url = (e && e.currentTarget.dataset.url) || this.config.officialUrl;
      wx.setClipboardData({ data: url, success: () => wx.showToast({ title: this.data.t.copied, icon: 'none' }) });
    },
  },
});
