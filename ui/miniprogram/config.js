// Deployment settings: edit before uploading (see README.md).
module.exports = {
  // The assistant's HTTPS address; add it to the request domain allowlist in the WeChat admin console.
  baseUrl: 'https://opc.example.com',
  // An API key issued for this mini-program (sent as "Authorization: Bearer <key>"), or '' if none is needed.
  apiKey: '',
  // Request timeout in milliseconds.
  timeout: 20000,
  // The assistant's own web chat page, shown in a <web-view> (pages/web) in its embed mode, e.g.
  // 'https://opc.example.com/?embed=1'. Needs the business-domain allowlist (README); '' hides the link.
  webUrl: '',
  // The plan's official text (shown in the notice; copied to the clipboard when tapped).
  officialUrl: 'https://www.sz.gov.cn/szzt2010/wgkzl/jcgk/jcygk/zdzcjc/content/mpost_12602688.html',
};
