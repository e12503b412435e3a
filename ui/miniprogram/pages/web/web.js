// The web chat page (opc serve's "/?embed=1") in a <web-view>: for mini-programs that prefer the web page to
// the native one. Its domain must be on the business-domain allowlist (README).
const { embedUrl } = require('../../utils/api.js');

const MESSAGES = {
  zh: { missing: '未配置网页版地址（config.js 的 webUrl，须为 HTTPS）。', failed: '网页加载失败，请检查网络或业务域名配置。' },
  en: { missing: 'No web page address is configured (webUrl in config.js, HTTPS only).', failed: 'The page could not be loaded: check the network or the business-domain allowlist.' },
};

Component({
  data: { src: '', message: '' },

  methods: {
    onLoad(query) {
      const { config, lang } = getApp().globalData;
      this.lang = (query && query.lang) || lang || 'zh';
      const src = embedUrl(config.webUrl, this.lang);
      this.setData({ src, message: src ? '' : MESSAGES[this.lang === 'en' ? 'en' : 'zh'].missing });
    },

    onError() {
      this.setData({ src: '', message: MESSAGES[this.lang === 'en' ? 'en' : 'zh'].failed });
    },
  },
});
