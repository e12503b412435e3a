const config = require('./config.js');
const { clientUserId } = require('./utils/api.js');

App({
  onLaunch() {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
    this.globalData.lang = info.language && info.language.startsWith('en') ? 'en' : 'zh';
    // Replace with a salted hash of the user's openid from your backend when you have one (README).
    this.globalData.userId = wx.getStorageSync('opc_openid_hash') || clientUserId(wx);
  },
  globalData: { config, lang: 'zh', userId: '' },
});
