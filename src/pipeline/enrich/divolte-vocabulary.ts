/**
 * Divolte's vocabulary for its nine `userAgent*` fields. Divolte filled them from UADetector with its
 * 2014.10 data (the `uadetector-resources` artifact), so a consumer written for Divolte filters on
 * UADetector's words: `Chrome Mobile`, `Android browser`, `Microsoft Corporation.` (with the dot),
 * Windows as its NT version (`6.1`, `10.0`), `""` for what it did not know and `unknown` as the name
 * of an agent it did not recognise. This module translates one ua-parser-js parse of the user-agent
 * string (never the client hints, which Divolte never saw) into those words.
 *
 * The tables are Footfall's own, written from the facts of that data set (names, producers, OS families
 * and UADetector's version rules); the data set itself is not shipped. Agents newer than 2014, which
 * UADetector misnamed or did not know (Edge, Samsung Internet, GPTBot, okhttp), get their real name in
 * the same style. Results are cached with the rest of the user-agent enrichment (user-agent.ts), so
 * this runs once per distinct user agent.
 */

/** Divolte's nine user-agent fields. */
export interface DivolteUserAgent {
  /** e.g. `Chrome`, `Chrome Mobile`, `Android browser`, `Mobile Firefox`, `Googlebot/2.1`, `cURL`. */
  readonly name: string | null;
  /** e.g. `Chrome`, `Android Browser`, `Googlebot`, `unknown`. */
  readonly family: string | null;
  /** e.g. `Google Inc.`, `Microsoft Corporation.`, `Mozilla Foundation`, `team Haxx`. */
  readonly vendor: string | null;
  /** `Browser`, `Mobile Browser`, `Robot`, `Library`, `Offline Browser`, `Other`. */
  readonly type: string | null;
  readonly version: string | null;
  /** `Personal computer`, `Smartphone`, `Tablet`, `Smart TV`, `Game console`, `Wearable computer`, `Other`. */
  readonly deviceCategory: string | null;
  /** e.g. `Windows`, `OS X`, `iOS`, `Android`, `Linux` (Chrome OS too), `BSD`. */
  readonly osFamily: string | null;
  /** Windows as its NT version (`10.0`, `6.1`, `5.1`); `""` for Linux and Chrome OS. */
  readonly osVersion: string | null;
  /** e.g. `Microsoft Corporation.`, `Apple Computer, Inc.` (OS X), `Apple Inc.` (iOS), `Google, Inc.`. */
  readonly osVendor: string | null;
}

/** What the translation reads: ua-parser-js's answer for the string alone, and isbot's. */
export interface StringParse {
  readonly browserName: string | null;
  readonly browserVersion: string | null;
  readonly engineName: string | null;
  readonly engineVersion: string | null;
  /** Footfall's OS name (`macOS`, `Chrome OS`, otherwise ua-parser-js's). */
  readonly osName: string | null;
  readonly osVersion: string | null;
  /** ua-parser-js's device type, without Footfall's `desktop` default. */
  readonly deviceType: string | null;
  readonly isBot: boolean;
}

/** What Divolte wrote for a user agent UADetector did not recognise, the empty string included. */
export const DIVOLTE_UNKNOWN: DivolteUserAgent = Object.freeze({
  name: 'unknown',
  family: 'unknown',
  vendor: '',
  type: '',
  version: '',
  deviceCategory: '',
  osFamily: '',
  osVersion: '',
  osVendor: '',
});

export function divolteUserAgent(ua: string, parse: StringParse): DivolteUserAgent {
  if (ua === '') return DIVOLTE_UNKNOWN;
  const library = libraryOf(ua);
  if (library !== null) return agent(library, library.type, parse, ua);
  if (parse.isBot) {
    // UADetector never looked at the OS of a robot, and filed every robot under `Other`.
    const robot = robotOf(ua);
    if (robot !== null) {
      return Object.freeze({
        name: robot.name,
        family: robot.family,
        vendor: robot.vendor,
        type: 'Robot',
        version: robot.version,
        deviceCategory: 'Other',
        osFamily: '',
        osVersion: '',
        osVendor: '',
      });
    }
  }
  const browser = browserOf(parse, ua);
  if (browser === null) return DIVOLTE_UNKNOWN;
  // A browser that isbot flags without it naming a robot is a headless or automated one: UADetector
  // typed the one it knew, PhantomJS, `Other`.
  return agent(browser, parse.isBot ? 'Other' : browser.type, parse, ua);
}

interface Words {
  readonly name: string;
  readonly family: string;
  readonly vendor: string;
  readonly type: string;
  readonly version: string;
}

const NO_OS: Os = { osFamily: '', osVersion: '', osVendor: '' };

// Object literals throughout, never spreads: a spread of these varied shapes costs V8 some 3 µs, more
// than the rest of the translation together (bench/micro/enrich.mjs).
function agent(words: Words, type: string, parse: StringParse, ua: string): DivolteUserAgent {
  const os = osOf(ua, parse);
  return Object.freeze({
    name: words.name,
    family: words.family,
    vendor: words.vendor,
    type,
    version: words.version,
    deviceCategory: deviceCategoryOf(parse.deviceType, type),
    osFamily: os.osFamily,
    osVersion: os.osVersion,
    osVendor: os.osVendor,
  });
}

// --- device category --------------------------------------------------------------------------------

const DEVICE_CATEGORIES: Readonly<Record<string, string>> = {
  mobile: 'Smartphone',
  tablet: 'Tablet',
  desktop: 'Personal computer',
  smarttv: 'Smart TV',
  console: 'Game console',
  wearable: 'Wearable computer',
};

/** UADetector's rule: the device when the string names one, else by the agent's type. */
function deviceCategoryOf(deviceType: string | null, type: string): string {
  if (deviceType !== null) return DEVICE_CATEGORIES[deviceType] ?? 'Other';
  if (type === 'Mobile Browser') return 'Smartphone';
  if (type === 'Library' || type === 'Other') return 'Other';
  return 'Personal computer';
}

// --- browsers ---------------------------------------------------------------------------------------

interface BrowserWords {
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
const CHROME: BrowserWords = {
  name: 'Chrome',
  vendor: GOOGLE,
  type: 'Browser',
  mobile: { on: 'phone', name: 'Chrome Mobile', vendor: GOOGLE, type: 'Mobile Browser' },
};

/** By ua-parser-js browser name. */
const BROWSERS: Readonly<Record<string, BrowserWords>> = {
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

const BLACKBERRY: BrowserWords = {
  name: 'BlackBerry Browser',
  vendor: 'Research In Motion Limited',
  type: 'Mobile Browser',
};

function browserOf(parse: StringParse, ua: string): Words | null {
  const parsed = parse.browserName;
  if (parsed === null) return null;
  let version = parse.browserVersion ?? '';
  let words = BROWSERS[parsed];
  if (parsed === 'Android Browser' && parse.engineName === 'Blink') {
    // Android 4.4's WebView and Samsung's stock browser carry a Chrome token, which UADetector read.
    words = CHROME;
    version = parse.engineVersion ?? version;
  } else if (parse.osName === 'BlackBerry' || parse.osName === 'RIM Tablet OS') {
    words = BLACKBERRY;
    version = ''; // UADetector's BlackBerry patterns capture no version
  } else if (parsed === 'NokiaBrowser' && /Symbian/.test(ua)) {
    version = ''; // likewise its Symbian pattern, which comes first
  }
  const handheld =
    parse.deviceType === 'mobile' || parse.deviceType === 'tablet' || parse.deviceType === 'wearable';
  if (words === undefined) {
    return {
      name: parsed,
      family: parsed,
      vendor: '',
      type: handheld ? 'Mobile Browser' : 'Browser',
      version,
    };
  }
  const mobile = words.mobile;
  if (mobile !== undefined) {
    const phone = parse.deviceType === 'mobile' || parse.osName === 'iOS';
    if (mobile.on === 'phone' ? phone : phone || handheld) words = mobile;
  }
  return {
    name: words.name,
    family: words.family ?? words.name,
    vendor: words.vendor,
    type: words.type ?? (handheld ? 'Mobile Browser' : 'Browser'),
    version,
  };
}

// --- libraries ------------------------------------------------------------------------------------

interface Library {
  readonly pattern: RegExp;
  readonly name: string;
  readonly family?: string;
  readonly vendor: string;
  readonly type?: string;
}

/** HTTP libraries and command-line tools, by how their user agent starts; the version is group 1. */
const LIBRARIES: readonly Library[] = [
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

function libraryOf(ua: string): Words | null {
  // Every library's user agent starts with a letter and none with Mozilla: one test rules most out.
  if (ua.startsWith('Mozilla') || ua.startsWith('Opera')) return null;
  for (const library of LIBRARIES) {
    const match = library.pattern.exec(ua);
    if (match === null) continue;
    const name = library.name || (/^[^/]+/.exec(ua)?.[0] ?? ua);
    return {
      name,
      family: library.family ?? name,
      vendor: library.vendor,
      type: library.type ?? 'Library',
      version: match[1] ?? match[2] ?? '',
    };
  }
  return null;
}

// --- robots -----------------------------------------------------------------------------------------

interface Robot {
  /** How UADetector spelled the robot's name. */
  readonly name: string;
  readonly family: string;
  readonly vendor: string;
  /** `Yahoo! Slurp` carried no version in UADetector's names. */
  readonly unversioned?: boolean;
}

/** By the lower-case token a robot names itself with. */
const ROBOTS: Readonly<Record<string, Robot>> = {
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

const KNOWN_ROBOT =
  /(googlebot(?:-image|-mobile|-news|-video)?|mediapartners-google|adsbot-google|bingbot|msnbot|slurp|yandexbot|baiduspider|facebookexternalhit|ahrefsbot|duckduckbot|mj12bot|semrushbot|exabot|dotbot|rogerbot|ccbot|seznambot|linkedinbot|pinterest|ia_archiver|applebot|gptbot|chatgpt-user|oai-searchbot|claudebot|bytespider|petalbot|twitterbot)(?:\/(v?\d+(?:\.\d+)*))?/i;
const ANY_ROBOT =
  /(?:^|[\s;(,])([A-Za-z][\w.-]*?(?:bot|crawler|spider|slurp|fetcher|scraper|archiver)[\w-]*)(?:\/(v?\d+(?:\.\d+)*))?/i;
const COMPATIBLE = /compatible;\s*([A-Za-z][^;/)\s]*)(?:\/(v?\d+(?:\.\d+)*))?/;

/** `Googlebot/2.1` as UADetector named it: the robot's name, `/`, its version as written. */
function robotOf(ua: string): Omit<Words, 'type'> | null {
  const known = KNOWN_ROBOT.exec(ua);
  if (known !== null) {
    const robot = ROBOTS[(known[1] as string).toLowerCase()] as Robot;
    const written = robot.unversioned ? undefined : known[2];
    return named(robot.name, written, robot.family, robot.vendor);
  }
  const other = ANY_ROBOT.exec(ua) ?? COMPATIBLE.exec(ua);
  if (other === null) return null;
  const token = other[1] as string;
  return named(token, other[2], token, '');
}

function named(
  name: string,
  written: string | undefined,
  family: string,
  vendor: string,
): Omit<Words, 'type'> {
  if (written === undefined) return { name, family, vendor, version: '' };
  return { name: `${name}/${written}`, family, vendor, version: written.replace(/^v/, '') };
}

// --- operating systems ------------------------------------------------------------------------------

type VersionRule = 'parser' | 'windows' | 'symbian' | 'bsd' | 'none';

interface OsWords {
  readonly family: string;
  readonly vendor: string;
  readonly version: VersionRule;
}

const WINDOWS: OsWords = { family: 'Windows', vendor: MICROSOFT, version: 'windows' };

/** By Footfall's lower-case OS name. UADetector had version rules for some families only. */
const SYSTEMS: Readonly<Record<string, OsWords>> = {
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
const DISTRIBUTIONS: readonly (readonly [RegExp, string])[] = [
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
const WINDOWS_VERSIONS = [
  /Windows NT\s?(\d+(?:\.\d+)*)/,
  /Windows Phone OS (\d+(?:\.\d+)*)/,
  /Windows CE (\d+(?:\.\d+)*)/,
  /Win 9x (\d+(?:\.\d+)*)/,
  /Windows (\d+(?:\.\d+)*)/,
];

interface Os {
  readonly osFamily: string;
  readonly osVersion: string;
  readonly osVendor: string;
}

function osOf(ua: string, parse: StringParse): Os {
  // ua-parser-js reads J2ME as no system at all and misses Windows on an Xbox.
  if (/J2ME/i.test(ua)) return { osFamily: 'JVM', osVersion: '', osVendor: 'Sun Microsystems, Inc.' };
  if (/^Java\//.test(ua)) {
    return {
      osFamily: 'JVM',
      osVersion: /^Java\/(\d[\w.]*)/.exec(ua)?.[1] ?? '',
      osVendor: 'Sun Microsystems, Inc.',
    };
  }
  const name = parse.osName ?? (/Windows/.test(ua) ? 'Windows' : null);
  if (name === null) {
    return /Darwin/.test(ua)
      ? { osFamily: 'Mac OS', osVersion: '', osVendor: 'Apple Computer, Inc.' }
      : NO_OS;
  }
  const key = name.toLowerCase();
  const words = SYSTEMS[key];
  if (words === undefined) {
    // Every Linux distribution is `Linux`; an OS UADetector never heard of keeps its name.
    if (key === 'linux' || LINUX_NAMES.has(key))
      return { osFamily: 'Linux', osVersion: '', osVendor: distributionVendor(ua) };
    return { osFamily: name, osVersion: parse.osVersion ?? '', osVendor: '' };
  }
  if (key === 'playstation') return playStationOs(parse.osVersion);
  let family = words.family;
  if (key === 'nintendo' && /wii/i.test(parse.osVersion ?? '')) family = 'Wii OS';
  return {
    osFamily: family,
    osVersion: osVersionOf(words.version, ua, parse.osVersion),
    osVendor: words.vendor,
  };
}

const LINUX_NAMES = new Set([
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

/** UADetector named each PlayStation's system; the ones after the Vita keep Sony's name. */
function playStationOs(version: string | null): Os {
  if (version === '3')
    return { osFamily: 'XrossMediaBar (XMB)', osVersion: '', osVendor: 'Sony Computer Entertainment' };
  if (version === '4')
    return { osFamily: 'BSD', osVersion: '', osVendor: 'Sony Computer Entertainment, Inc.' };
  if (version === 'Vita')
    return { osFamily: 'LiveArea', osVersion: '', osVendor: 'Sony Computer Entertainment' };
  return { osFamily: 'PlayStation', osVersion: version ?? '', osVendor: 'Sony Interactive Entertainment' };
}

function distributionVendor(ua: string): string {
  for (const [test, vendor] of DISTRIBUTIONS) if (test.test(ua)) return vendor;
  return '';
}

function osVersionOf(rule: VersionRule, ua: string, parsed: string | null): string {
  switch (rule) {
    case 'parser':
      return parsed ?? '';
    case 'windows':
      for (const pattern of WINDOWS_VERSIONS) {
        const match = pattern.exec(ua);
        if (match !== null) return match[1] as string;
      }
      return '';
    case 'symbian':
      return /SymbianOS\/(\d+(?:\.\d+)*)/.exec(ua)?.[1] ?? '';
    case 'bsd':
      return /\w+bsd\s?(\d+(?:\.\d+)*)/i.exec(ua)?.[1] ?? '';
    case 'none':
      return '';
  }
}
