// The user agents of the realistic workload and the request headers each kind of client sends with a
// tracking pixel. Weights are shares of human page views, roughly a European web shop's in late 2024:
// about 60% phones (iOS ahead of Android), a third desktops, the rest tablets and in-app browsers.
// Robots are drawn separately (see BOT_SHARE in index.mjs) with their own weights.

const ios = (os, safari) =>
  `Mozilla/5.0 (iPhone; CPU iPhone OS ${os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${safari} Mobile/15E148 Safari/604.1`;
// Chrome on Android sends the reduced user agent ("Android 10; K") since version 110.
const androidChrome = (major, tablet = false) =>
  `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 ${tablet ? '' : 'Mobile '}Safari/537.36`;
const windowsChrome = (major, suffix = '') =>
  `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36${suffix}`;
const macChrome = (major, suffix = '') =>
  `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36${suffix}`;

/**
 * Human browsers. `device` picks the screen sizes, `family` the Accept headers, `hints` the
 * Sec-CH-UA brand and platform a Chromium browser sends with every request over HTTPS.
 */
export const BROWSERS = [
  // Safari on iPhone and iPad
  { weight: 90, device: 'phone', family: 'safari', ua: ios('18_1_1', '18.1.1') },
  { weight: 55, device: 'phone', family: 'safari', ua: ios('18_2', '18.2') },
  { weight: 40, device: 'phone', family: 'safari', ua: ios('17_6_1', '17.6') },
  { weight: 20, device: 'phone', family: 'safari', ua: ios('17_5_1', '17.5') },
  { weight: 12, device: 'phone', family: 'safari', ua: ios('16_7_10', '16.6') },
  { weight: 8, device: 'phone', family: 'safari', ua: ios('15_8_3', '15.6.6') },
  {
    weight: 25,
    device: 'tablet',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 12,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 4,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15',
  },
  {
    weight: 10,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/343.0.695551749 Mobile/15E148 Safari/604.1',
  },
  // Chrome and others on Android
  {
    weight: 75,
    device: 'phone',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'Android'],
    ua: androidChrome(131),
  },
  {
    weight: 35,
    device: 'phone',
    family: 'chrome',
    hints: ['Google Chrome', 130, 'Android'],
    ua: androidChrome(130),
  },
  {
    weight: 12,
    device: 'phone',
    family: 'chrome',
    hints: ['Google Chrome', 129, 'Android'],
    ua: androidChrome(129),
  },
  {
    weight: 8,
    device: 'tablet',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'Android'],
    ua: androidChrome(131, true),
  },
  {
    weight: 20,
    device: 'phone',
    family: 'chrome',
    hints: ['Samsung Internet', 26, 'Android'],
    ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  {
    weight: 10,
    device: 'phone',
    family: 'chrome',
    hints: ['Samsung Internet', 25, 'Android'],
    ua: 'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  },
  {
    weight: 4,
    device: 'phone',
    family: 'firefox',
    ua: 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
  },
  {
    weight: 3,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; Android 9; SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.5414.117 Mobile Safari/537.36',
  },
  {
    weight: 3,
    device: 'phone',
    family: 'chrome',
    hints: ['Opera', 86, 'Android'],
    ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/86.0.0.0',
  },
  {
    weight: 3,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; U; Android 13; en-gb; 2201117TG Build/TKQ1.221114.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.7.0-gn',
  },
  // Desktop Chrome, Edge, Opera
  {
    weight: 80,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'Windows'],
    ua: windowsChrome(131),
  },
  {
    weight: 30,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 130, 'Windows'],
    ua: windowsChrome(130),
  },
  {
    weight: 8,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 129, 'Windows'],
    ua: windowsChrome(129),
  },
  {
    weight: 30,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'macOS'],
    ua: macChrome(131),
  },
  {
    weight: 5,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'Linux'],
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 4,
    device: 'desktop',
    family: 'chrome',
    hints: ['Google Chrome', 131, 'Chrome OS'],
    ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 40,
    device: 'desktop',
    family: 'chrome',
    hints: ['Microsoft Edge', 131, 'Windows'],
    ua: windowsChrome(131, ' Edg/131.0.0.0'),
  },
  {
    weight: 12,
    device: 'desktop',
    family: 'chrome',
    hints: ['Microsoft Edge', 130, 'Windows'],
    ua: windowsChrome(130, ' Edg/130.0.0.0'),
  },
  {
    weight: 3,
    device: 'desktop',
    family: 'chrome',
    hints: ['Microsoft Edge', 131, 'macOS'],
    ua: macChrome(131, ' Edg/131.0.0.0'),
  },
  {
    weight: 5,
    device: 'desktop',
    family: 'chrome',
    hints: ['Opera', 115, 'Windows'],
    ua: windowsChrome(130, ' OPR/115.0.0.0'),
  },
  // Desktop Firefox and Safari
  {
    weight: 18,
    device: 'desktop',
    family: 'firefox',
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    weight: 5,
    device: 'desktop',
    family: 'firefox',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    weight: 3,
    device: 'desktop',
    family: 'firefox',
    ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  },
  {
    weight: 3,
    device: 'desktop',
    family: 'firefox',
    ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  },
  {
    weight: 22,
    device: 'desktop',
    family: 'safari',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Safari/605.1.15',
  },
  {
    weight: 8,
    device: 'desktop',
    family: 'safari',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  },
  // In-app browsers and web views
  {
    weight: 18,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 357.0.0.23.85 (iPhone15,3; iOS 18_1_1; en_US; en; scale=3.00; 1290x2796; 654838428)',
  },
  {
    weight: 10,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; Android 14; SM-S911B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 Instagram 357.0.0.49.108 Android (34/14; 480dpi; 1080x2340; samsung; SM-S911B; dm1q; qcom; en_US; 652286011)',
  },
  {
    weight: 14,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/489.0.0.47.107;FBBV/657447425;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.6.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/659414427]',
  },
  {
    weight: 9,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/489.0.0.58.108;]',
  },
  {
    weight: 5,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; Android 12; moto g(30) Build/S0RCS32.41-10-19-10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36',
  },
  {
    weight: 5,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  },
  {
    weight: 3,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.6411',
  },
  {
    weight: 3,
    device: 'phone',
    family: 'chrome',
    ua: 'Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.102 Mobile Safari/537.36 [Pinterest/Android]',
  },
  {
    weight: 4,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/13.14.0.42 (like Safari/8619.1.26.30.5, panda)',
  },
  {
    weight: 4,
    device: 'phone',
    family: 'safari',
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 musical_ly_35.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/NL',
  },
];

/**
 * Robots, crawlers, monitors and HTTP libraries that fetch the pixel: rendering crawlers run the
 * tracker, the rest replay or probe its URLs.
 */
export const BOTS = [
  {
    weight: 30,
    family: 'chrome',
    device: 'phone',
    ua: 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  {
    weight: 10,
    family: 'chrome',
    device: 'desktop',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36',
  },
  {
    weight: 12,
    family: 'chrome',
    device: 'desktop',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36',
  },
  {
    weight: 8,
    family: 'other',
    device: 'desktop',
    ua: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  },
  {
    weight: 6,
    family: 'other',
    device: 'desktop',
    ua: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
  },
  {
    weight: 4,
    family: 'other',
    device: 'desktop',
    ua: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  },
  {
    weight: 2,
    family: 'other',
    device: 'desktop',
    ua: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
  },
  {
    weight: 4,
    family: 'safari',
    device: 'desktop',
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  },
  {
    weight: 3,
    family: 'other',
    device: 'desktop',
    ua: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  },
  {
    weight: 4,
    family: 'other',
    device: 'desktop',
    ua: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  },
  {
    weight: 6,
    family: 'chrome',
    device: 'desktop',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36',
  },
  {
    weight: 3,
    family: 'chrome',
    device: 'phone',
    ua: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  },
  {
    weight: 3,
    family: 'other',
    device: 'desktop',
    ua: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
  },
  { weight: 3, family: 'library', device: 'desktop', ua: 'curl/8.5.0' },
  { weight: 3, family: 'library', device: 'desktop', ua: 'python-requests/2.32.3' },
  { weight: 1, family: 'library', device: 'desktop', ua: 'Go-http-client/1.1' },
];

/** Clients of the JSON source: apps posting their own events, and servers forwarding a browser's. */
export const APP_CLIENTS = [
  { weight: 30, ua: 'Shop/5.14.2 (com.example.shop; build:51402; iOS 18.1.1) Alamofire/5.9.1' },
  { weight: 12, ua: 'Shop/5.14.1 (com.example.shop; build:51401; iOS 17.6.1) Alamofire/5.9.1' },
  { weight: 8, ua: 'Shop/5142 CFNetwork/1568.200.51 Darwin/24.1.0' },
  { weight: 25, ua: 'okhttp/4.12.0' },
  { weight: 10, ua: 'Dalvik/2.1.0 (Linux; U; Android 14; SM-S921B Build/UP1A.231005.007)' },
  { weight: 5, ua: 'Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230901.001)' },
  { weight: 5, ua: 'node' },
  { weight: 5, ua: 'python-requests/2.32.3' },
];

/** Screen, viewport and device pixel ratio by device; the tracker sends each base 36. */
export const SCREENS = {
  phone: [
    { weight: 30, screen: [390, 844], viewport: [390, 664], ratio: 3 },
    { weight: 20, screen: [393, 852], viewport: [393, 659], ratio: 3 },
    { weight: 20, screen: [412, 915], viewport: [412, 783], ratio: 2.625 },
    { weight: 15, screen: [360, 800], viewport: [360, 668], ratio: 3 },
    { weight: 10, screen: [375, 667], viewport: [375, 553], ratio: 2 },
    { weight: 5, screen: [430, 932], viewport: [430, 739], ratio: 3 },
  ],
  tablet: [
    { weight: 60, screen: [820, 1180], viewport: [820, 1106], ratio: 2 },
    { weight: 40, screen: [800, 1280], viewport: [800, 1184], ratio: 2 },
  ],
  desktop: [
    { weight: 35, screen: [1920, 1080], viewport: [1903, 945], ratio: 1 },
    { weight: 20, screen: [1536, 864], viewport: [1519, 730], ratio: 1.25 },
    { weight: 15, screen: [1440, 900], viewport: [1440, 788], ratio: 2 },
    { weight: 10, screen: [2560, 1440], viewport: [2543, 1289], ratio: 1 },
    { weight: 10, screen: [1366, 768], viewport: [1349, 625], ratio: 1 },
    { weight: 10, screen: [1280, 720], viewport: [1263, 585], ratio: 1.5 },
  ],
};

export const LANGUAGES = [
  { weight: 30, value: 'nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7' },
  { weight: 25, value: 'en-US,en;q=0.9' },
  { weight: 15, value: 'de-DE,de;q=0.9,en;q=0.8' },
  { weight: 10, value: 'en-GB,en;q=0.9' },
  { weight: 8, value: 'fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7' },
  { weight: 5, value: 'nl-BE,nl;q=0.9' },
  { weight: 4, value: 'es-ES,es;q=0.9' },
  { weight: 3, value: 'pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7' },
];

const ACCEPT = {
  chrome: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  safari:
    'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
  firefox: 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
};
const ENCODING = {
  chrome: 'gzip, deflate, br, zstd',
  safari: 'gzip, deflate, br',
  firefox: 'gzip, deflate, br, zstd',
};

/**
 * The headers a client sends with a pixel request from a page of `origin` (the collector serves the
 * site's own domain): a browser's image request with its Accept, language, Referer (the page's origin
 * under the default referrer policy) and fetch metadata, and for Chromium its client hints; a
 * library or crawler little more than its user agent.
 */
export function pixelHeaders(agent, language, origin) {
  if (agent.family === 'library' || agent.family === 'other')
    return agent.family === 'library'
      ? { 'user-agent': agent.ua, accept: '*/*', 'accept-encoding': 'gzip, deflate' }
      : { 'user-agent': agent.ua, accept: '*/*', 'accept-encoding': 'gzip, deflate, br' };
  const headers = {
    'user-agent': agent.ua,
    accept: ACCEPT[agent.family],
    'accept-language': language,
    'accept-encoding': ENCODING[agent.family],
    referer: `${origin}/`,
  };
  if (agent.hints) {
    const [brand, major, platform] = agent.hints;
    headers['sec-ch-ua'] = `"${brand}";v="${major}", "Chromium";v="${major}", "Not_A Brand";v="24"`;
    headers['sec-ch-ua-mobile'] = agent.device === 'phone' ? '?1' : '?0';
    headers['sec-ch-ua-platform'] = `"${platform}"`;
  }
  headers['sec-fetch-dest'] = 'image';
  headers['sec-fetch-mode'] = 'no-cors';
  headers['sec-fetch-site'] = 'same-site';
  return headers;
}
