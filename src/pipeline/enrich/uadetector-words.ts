/**
 * UADetector's words, as Divolte wrote them: the names, producers and systems of the 2014.10 data of
 * UADetector (the `uadetector-resources` artifact Divolte pins), written down by hand for the agents
 * that matter, with a few newer ones in the same style. Read by divolte-vocabulary.ts; the data set
 * itself is not shipped.
 */

export const DEVICE_CATEGORIES: Readonly<Record<string, string>> = {
  mobile: 'Smartphone',
  tablet: 'Tablet',
  desktop: 'Personal computer',
  smarttv: 'Smart TV',
  console: 'Game console',
  wearable: 'Wearable computer',
};

// --- browsers --------------------------------------------------------------------------------------

export interface BrowserWords {
  readonly name: string;
  /** When it differs from the name (UADetector's family list lacked some names: `unknown`). */
  readonly family?: string;
  readonly vendor: string;
  /** Absent: `Mobile Browser` on a phone or tablet, else `Browser`. */
  readonly type?: string;
  /** The name UADetector gave the mobile build: on phones (and iOS) only, or on tablets as well. */
  readonly mobile?: BrowserWords & { readonly on: 'phone' | 'handheld' };
}

const GOOGLE = 'Google Inc.';

const MICROSOFT = 'Microsoft Corporation.';

const MOZILLA = 'Mozilla Foundation';

const OPERA = 'Opera Software ASA.';

export const CHROME: BrowserWords = {
  name: 'Chrome',
  vendor: GOOGLE,
  type: 'Browser',
  mobile: { on: 'phone', name: 'Chrome Mobile', vendor: GOOGLE, type: 'Mobile Browser' },
};

/** By ua-parser-js browser name. */
export const BROWSERS: Readonly<Record<string, BrowserWords>> = {
  Chrome: CHROME,
  'Chrome WebView': CHROME,
  'Chrome Headless': { name: 'Chrome Headless', vendor: GOOGLE, type: 'Other' },
  Chromium: { name: 'Chromium', vendor: 'Google Inc. and contributors', type: 'Browser' },
  'Android Browser': {
    name: 'Android browser',
    family: 'Android Browser',
    vendor: GOOGLE,
    type: 'Mobile Browser',
  },
  Firefox: {
    name: 'Firefox',
    vendor: MOZILLA,
    type: 'Browser',
    mobile: { on: 'handheld', name: 'Mobile Firefox', vendor: MOZILLA, type: 'Mobile Browser' },
  },
  Iceweasel: { name: 'IceWeasel', vendor: 'Software in the Public Interest, Inc.', type: 'Browser' },
  Waterfox: { name: 'Waterfox', family: 'unknown', vendor: 'Waterfox developers', type: 'Browser' },
  SeaMonkey: { name: 'SeaMonkey', vendor: MOZILLA, type: 'Browser' },
  Camino: { name: 'Camino', vendor: MOZILLA, type: 'Browser' },
  Safari: { name: 'Safari', vendor: 'Apple Inc.', type: 'Browser' },
  'Mobile Safari': { name: 'Mobile Safari', vendor: 'Apple Inc.', type: 'Mobile Browser' },
  IE: { name: 'IE', vendor: MICROSOFT, type: 'Browser' },
  IEMobile: { name: 'IE Mobile', vendor: MICROSOFT, type: 'Mobile Browser' },
  Edge: { name: 'Edge', vendor: MICROSOFT },
  Opera: {
    name: 'Opera',
    vendor: OPERA,
    type: 'Browser',
    mobile: { on: 'handheld', name: 'Opera Mobile', vendor: OPERA, type: 'Mobile Browser' },
  },
  'Opera Mini': { name: 'Opera Mini', vendor: OPERA, type: 'Mobile Browser' },
  'Opera Mobi': { name: 'Opera Mobile', vendor: OPERA, type: 'Mobile Browser' },
  'Opera Touch': { name: 'Opera Touch', vendor: OPERA, type: 'Mobile Browser' },
  'Opera GX': { name: 'Opera GX', vendor: OPERA, type: 'Browser' },
  Yandex: {
    name: 'Yandex.Browser',
    vendor: 'Yandex ', // sic: UADetector's producer ends in a space
    type: 'Browser',
    mobile: {
      on: 'phone',
      name: 'Yandex.Browser mobile',
      family: 'unknown',
      vendor: 'Yandex ',
      type: 'Mobile Browser',
    },
  },
  Maxthon: { name: 'Maxthon', vendor: 'Maxthon Ltd', type: 'Browser' },
  Silk: { name: 'Silk', vendor: 'Amazon.com, Inc.', type: 'Mobile Browser' },
  UCBrowser: { name: 'UC Browser', vendor: 'UCWEB Technology Ltd.', type: 'Mobile Browser' },
  NokiaBrowser: { name: 'Nokia Web Browser', vendor: 'Nokia', type: 'Mobile Browser' },
  Dolphin: { name: 'Dolphin', vendor: 'Samsung', type: 'Mobile Browser' },
  Puffin: { name: 'Puffin', vendor: 'CloudMosa Inc.', type: 'Mobile Browser' },
  Konqueror: { name: 'Konqueror', vendor: 'KDE e.V.', type: 'Browser' },
  Epiphany: { name: 'Epiphany', vendor: 'GNOME Foundation', type: 'Browser' },
  Midori: { name: 'Midori', vendor: 'Christian Dywan', type: 'Browser' },
  Netscape: { name: 'Netscape Navigator', vendor: 'Netscape Communications Corp.', type: 'Browser' },
  Baidu: { name: 'Baidu Browser', vendor: 'Baidu, Inc.', type: 'Browser' },
  'Sogou Explorer': { name: 'Sogou Explorer', vendor: 'Sohu.com, Inc.', type: 'Browser' },
  PhantomJS: { name: 'PhantomJS', family: 'unknown', vendor: 'Ariya Hidayat', type: 'Other' },
  // Newer than UADetector's data: the real name, in its style.
  'Samsung Internet': { name: 'Samsung Internet', vendor: 'Samsung Electronics' },
  Vivaldi: { name: 'Vivaldi', vendor: 'Vivaldi Technologies', type: 'Browser' },
  Brave: { name: 'Brave', vendor: 'Brave Software', type: 'Browser' },
  Facebook: { name: 'Facebook', vendor: 'Facebook', type: 'Mobile Browser' },
  Instagram: { name: 'Instagram', vendor: 'Facebook', type: 'Mobile Browser' },
  DuckDuckGo: { name: 'DuckDuckGo', vendor: 'Duck Duck Go, Inc.', type: 'Mobile Browser' },
  GSA: { name: 'Google Search App', vendor: GOOGLE, type: 'Mobile Browser' },
};

export const BLACKBERRY: BrowserWords = {
  name: 'BlackBerry Browser',
  vendor: 'Research In Motion Limited',
  type: 'Mobile Browser',
};

// --- libraries -------------------------------------------------------------------------------------

interface Library {
  readonly pattern: RegExp;
  readonly name: string;
  readonly family?: string;
  readonly vendor: string;
  readonly type?: string;
}

/** HTTP libraries and command-line tools, by how their user agent starts; the version is group 1. */
export const LIBRARIES: readonly Library[] = [
  { pattern: /^curl[/ ](\d[\w.-]*)/i, name: 'cURL', vendor: 'team Haxx' },
  {
    pattern: /^Wget\/(\d[\w.+-]*)/i,
    name: 'Wget',
    vendor: 'Free Software Foundation, Inc.',
    type: 'Offline Browser',
  },
  { pattern: /^python-requests\/(\d[\d.]*)/i, name: 'Python-requests', vendor: 'Kenneth Reitz' },
  { pattern: /^Python-urllib\/(\d[\d.]*)/i, name: 'Python-urllib', vendor: 'Python Software Foundation' },
  { pattern: /^Java\/(\d[\w.]*)/, name: 'Java', vendor: 'Sun Microsystems, Inc.' },
  {
    pattern: /^Apache-HttpClient\/(\d[\d.]*)/,
    name: 'Apache-HttpClient',
    family: 'Jakarta Commons-HttpClient',
    vendor: 'Apache Software Foundation',
  },
  { pattern: /^libwww-perl\/(\d[\w.]*)/, name: 'libwww-perl', vendor: 'Gisle Aas' },
  {
    pattern: /^Go (\d[\d.]*) package http|^Go-http-client\/(\d[\d.]*)/,
    name: 'Go http package',
    family: 'unknown',
    vendor: GOOGLE,
  },
  { pattern: /^PHP\/(\d[\w.]*)/, name: 'PHP', vendor: 'The PHP Group', type: 'Other' },
  // Newer than UADetector's data.
  { pattern: /^okhttp\/(\d[\w.-]*)/i, name: 'okhttp', vendor: 'Square, Inc.' },
  { pattern: /^PostmanRuntime\/(\d[\w.-]*)/, name: 'PostmanRuntime', vendor: 'Postman, Inc.' },
  {
    pattern:
      /^(?:axios|node-fetch|undici|got|aiohttp|python-httpx|httpx|Dart|reqwest|RestSharp|GuzzleHttp|Faraday|HTTPie|Ruby|node)\/(\d[\w.-]*)/i,
    name: '',
    vendor: '',
  },
];

// --- robots ----------------------------------------------------------------------------------------

export interface Robot {
  /** How UADetector spelled the robot's name. */
  readonly name: string;
  readonly family: string;
  readonly vendor: string;
  /** `Yahoo! Slurp` carried no version in UADetector's names. */
  readonly unversioned?: boolean;
}

/** By the lower-case token a robot names itself with. */
export const ROBOTS: Readonly<Record<string, Robot>> = {
  googlebot: { name: 'Googlebot', family: 'Googlebot', vendor: GOOGLE },
  'googlebot-image': { name: 'Googlebot-Image', family: 'Googlebot', vendor: GOOGLE },
  'googlebot-mobile': { name: 'Googlebot-Mobile', family: 'Googlebot', vendor: GOOGLE },
  'googlebot-news': { name: 'Googlebot-News', family: 'Googlebot', vendor: GOOGLE },
  'googlebot-video': { name: 'Googlebot-Video', family: 'Googlebot', vendor: GOOGLE },
  'mediapartners-google': { name: 'Mediapartners-Google', family: 'Googlebot', vendor: GOOGLE },
  'adsbot-google': { name: 'AdsBot-Google', family: 'AdsBot-Google', vendor: GOOGLE },
  bingbot: { name: 'bingbot', family: 'bingbot', vendor: 'Microsoft Corporation' }, // sic: no dot
  msnbot: { name: 'MSNBot', family: 'MSNBot', vendor: 'Microsoft Corporation' },
  slurp: { name: 'Yahoo! Slurp', family: 'Yahoo!', vendor: 'Yahoo! Inc.', unversioned: true },
  yandexbot: { name: 'YandexBot', family: 'YandexBot', vendor: 'Yandex LLC' },
  baiduspider: { name: 'Baiduspider', family: 'Baiduspider', vendor: 'Baidu' },
  facebookexternalhit: { name: 'FacebookExternalHit', family: 'FacebookExternalHit', vendor: 'Facebook' },
  ahrefsbot: { name: 'AhrefsBot', family: 'AhrefsBot', vendor: 'Ahrefs.com' },
  duckduckbot: { name: 'DuckDuckBot', family: 'DuckDuckBot', vendor: 'Duck Duck Go, Inc.' },
  mj12bot: { name: 'MJ12bot', family: 'MJ12bot', vendor: 'Majestic-12 Ltd' },
  semrushbot: { name: 'SemrushBot', family: 'SemrushBot', vendor: 'SEOQuake Team' },
  exabot: { name: 'Exabot', family: 'Exabot', vendor: 'Dassault Systèmes' },
  dotbot: { name: 'DotBot', family: 'DotBot', vendor: 'SEOmoz, Inc.' },
  rogerbot: { name: 'rogerbot', family: 'rogerbot', vendor: 'SEOmoz, Inc.' },
  ccbot: { name: 'CCBot', family: 'CCBot', vendor: 'CommonCrawl Foundation' },
  seznambot: { name: 'SeznamBot', family: 'SeznamBot', vendor: 'Seznam.cz, a.s.' },
  linkedinbot: { name: 'LinkedInBot', family: 'LinkedInBot', vendor: 'LinkedIn Inc.' },
  pinterest: { name: 'Pinterest', family: 'Pinterest', vendor: 'Pinterest, Inc.' },
  ia_archiver: { name: 'ia_archiver', family: 'ia_archiver', vendor: 'Alexa Internet, Inc.' },
  // Newer than UADetector's data.
  applebot: { name: 'Applebot', family: 'Applebot', vendor: 'Apple Inc.' },
  gptbot: { name: 'GPTBot', family: 'GPTBot', vendor: 'OpenAI' },
  'chatgpt-user': { name: 'ChatGPT-User', family: 'ChatGPT-User', vendor: 'OpenAI' },
  'oai-searchbot': { name: 'OAI-SearchBot', family: 'OAI-SearchBot', vendor: 'OpenAI' },
  claudebot: { name: 'ClaudeBot', family: 'ClaudeBot', vendor: 'Anthropic' },
  bytespider: { name: 'Bytespider', family: 'Bytespider', vendor: 'ByteDance' },
  petalbot: { name: 'PetalBot', family: 'PetalBot', vendor: 'Huawei' },
  twitterbot: { name: 'Twitterbot', family: 'Twitterbot', vendor: 'Twitter, Inc.' },
};

export const KNOWN_ROBOT =
  /(googlebot(?:-image|-mobile|-news|-video)?|mediapartners-google|adsbot-google|bingbot|msnbot|slurp|yandexbot|baiduspider|facebookexternalhit|ahrefsbot|duckduckbot|mj12bot|semrushbot|exabot|dotbot|rogerbot|ccbot|seznambot|linkedinbot|pinterest|ia_archiver|applebot|gptbot|chatgpt-user|oai-searchbot|claudebot|bytespider|petalbot|twitterbot)(?:\/(v?\d+(?:\.\d+)*))?/i;

// --- operating systems -----------------------------------------------------------------------------

export type VersionRule = 'parser' | 'windows' | 'symbian' | 'bsd' | 'none';

interface OsWords {
  readonly family: string;
  readonly vendor: string;
  readonly version: VersionRule;
}

const WINDOWS: OsWords = { family: 'Windows', vendor: MICROSOFT, version: 'windows' };

/** By Footfall's lower-case OS name. UADetector had version rules for some families only. */
export const SYSTEMS: Readonly<Record<string, OsWords>> = {
  windows: WINDOWS,
  'windows phone': WINDOWS,
  'windows phone os': WINDOWS,
  'windows mobile': WINDOWS,
  'windows ce': WINDOWS,
  'windows rt': WINDOWS,
  xbox: WINDOWS,
  macos: { family: 'OS X', vendor: 'Apple Computer, Inc.', version: 'parser' },
  ios: { family: 'iOS', vendor: 'Apple Inc.', version: 'parser' },
  android: { family: 'Android', vendor: 'Google, Inc.', version: 'parser' },
  'chrome os': { family: 'Linux', vendor: GOOGLE, version: 'none' },
  freebsd: { family: 'BSD', vendor: 'FreeBSD Foundation', version: 'bsd' },
  netbsd: { family: 'BSD', vendor: 'NetBSD Foundation, Inc.', version: 'bsd' },
  openbsd: { family: 'BSD', vendor: '', version: 'bsd' },
  dragonfly: { family: 'BSD', vendor: 'DragonFly BSD Team', version: 'bsd' },
  solaris: { family: 'Solaris', vendor: 'Sun Microsystems, Inc.', version: 'none' },
  blackberry: { family: 'BlackBerry OS', vendor: 'BlackBerry Ltd', version: 'none' },
  'rim tablet os': { family: 'BlackBerry OS', vendor: 'Research In Motion Limited', version: 'none' },
  symbian: { family: 'Symbian OS', vendor: 'Symbian Foundation', version: 'symbian' },
  webos: { family: 'webOS', vendor: 'Hewlett-Packard', version: 'parser' },
  bada: { family: 'Bada', vendor: 'Samsung Electronics', version: 'parser' },
  tizen: { family: 'Tizen', vendor: 'Tizen Project', version: 'none' },
  'firefox os': { family: 'Firefox OS', vendor: MOZILLA, version: 'none' },
  sailfish: { family: 'Sailfish', vendor: 'Jolla Ltd.', version: 'none' },
  meego: { family: 'MeeGo', vendor: 'Nokia and The Linux Foundation', version: 'none' },
  haiku: { family: 'Haiku OS', vendor: 'Haiku Inc.', version: 'none' },
  beos: { family: 'BeOS', vendor: 'Be, Inc.', version: 'none' },
  aix: { family: 'AIX', vendor: 'IBM Corporation', version: 'none' },
  'os/2': { family: 'OS/2', vendor: 'IBM Corporation', version: 'none' },
  'hp-ux': { family: 'HP-UX', vendor: 'Hewlett-Packard Development Company, L.P.', version: 'none' },
  irix: { family: 'IRIX', vendor: 'Silicon Graphics, Inc.', version: 'none' },
  morphos: { family: 'MorphOS', vendor: 'MorphOS development team', version: 'none' },
  'risc os': { family: 'RISC OS', vendor: 'RISCOS Ltd', version: 'none' },
  palm: { family: 'Palm OS', vendor: 'Palm, Inc.', version: 'none' },
  nintendo: { family: 'Nintendo', vendor: 'Nintendo of America Inc.', version: 'none' },
  // Newer than UADetector's data.
  harmonyos: { family: 'HarmonyOS', vendor: 'Huawei', version: 'parser' },
  kaios: { family: 'KaiOS', vendor: 'KaiOS Technologies', version: 'parser' },
  fuchsia: { family: 'Fuchsia', vendor: GOOGLE, version: 'parser' },
  playstation: { family: 'PlayStation', vendor: 'Sony Interactive Entertainment', version: 'parser' }, // see playStationOs
};

/**
 * Linux distributions UADetector named, with the test it used: most want `Linux` before the
 * distribution's name, which browsers stopped writing long ago (`X11; Fedora; Linux x86_64`).
 */
export const DISTRIBUTIONS: readonly (readonly [RegExp, string])[] = [
  [/centos/i, 'CentOS Project'],
  [/ubuntu/i, 'Canonical Ltd.'],
  [/linux.*debian/i, 'Software in the Public Interest, Inc.'],
  [/linux.*fedora/i, 'Red Hat, Inc.'],
  [/linux.*gentoo/i, 'Gentoo Foundation, Inc.'],
  [/linux.*red ?hat/i, 'Red Hat, Inc.'],
  [/linux.*slackware/i, 'Slackware Linux, Inc.'],
  [/linux.*suse/i, 'Novell, Inc.'],
  [/Linux Mint/i, 'clem'],
];

/** UADetector's Windows version: the number after `Windows NT` and friends, tried in this order. */
export const WINDOWS_VERSIONS = [
  /Windows NT\s?(\d+(?:\.\d+)*)/,
  /Windows Phone OS (\d+(?:\.\d+)*)/,
  /Windows CE (\d+(?:\.\d+)*)/,
  /Win 9x (\d+(?:\.\d+)*)/,
  /Windows (\d+(?:\.\d+)*)/,
];

export const LINUX_NAMES = new Set([
  'ubuntu',
  'kubuntu',
  'xubuntu',
  'lubuntu',
  'debian',
  'fedora',
  'mint',
  'arch',
  'gentoo',
  'slackware',
  'suse',
  'opensuse',
  'red hat',
  'redhat',
  'centos',
  'mandriva',
  'mageia',
  'manjaro',
  'deepin',
  'elementary os',
  'pclinuxos',
  'zenwalk',
  'linpus',
  'knoppix',
]);
