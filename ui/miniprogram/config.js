// Deployment settings: edit before uploading (see README.md).
module.exports = {
  // The assistant's HTTPS address; add it to the request domain allowlist in the WeChat admin console.
  baseUrl: 'https://opc.example.com',
  // An API key issued for this mini-program (sent as "Authorization: Bearer <key>"), or '' if none is needed.
  apiKey: '',
  // Request timeout in milliseconds.
  timeout: 20000,
  // The plan's official text (shown in the notice; copied to the clipboard when tapped).
  officialUrl: 'https://www.sz.gov.cn/szzt2010/wgkzl/jcgk/jcygk/zdzcjc/content/mpost_12602688.html',
};
