/**
 * Footfall's modern vocabulary for Divolte's nine `userAgent*` fields, as `builtin:footfall` writes
 * them: family and vendor of a browser, family and vendor of an OS, the device category, from what
 * ua-parser-js says today. Pure look-ups, documented in docs/enrichment-and-mappings.md ("User agent
 * values"). Divolte's own words, for `builtin:divolte`, are in divolte-vocabulary.ts.
 */

const LINUX_FAMILY = new Set([
  'Linux',
  'Ubuntu',
  'Kubuntu',
  'Xubuntu',
  'Lubuntu',
  'Debian',
  'Fedora',
  'Mint',
  'Arch',
  'Gentoo',
  'Slackware',
  'SUSE',
  'openSUSE',
  'Red Hat',
  'RedHat',
  'CentOS',
  'Mandriva',
  'Manjaro',
  'Deepin',
  'elementary OS',
  'PCLinuxOS',
  'Zenwalk',
  'Linpus',
]);

// Every Linux distribution plus the other desktop systems ua-parser-js names.
const DESKTOP_OS = new Set([
  ...LINUX_FAMILY,
  'Windows',
  'macOS',
  'Chrome OS',
  'FreeBSD',
  'OpenBSD',
  'NetBSD',
  'DragonFly',
  'Solaris',
  'Haiku',
  'BeOS',
  'OS/2',
  'AIX',
  'Unix',
]);

export function isDesktopOs(name: string): boolean {
  return DESKTOP_OS.has(name);
}

export function normaliseOsName(name: string | undefined): string | null {
  if (name === undefined) return null;
  if (name === 'Mac OS') return 'macOS';
  if (name === 'Chromium OS') return 'Chrome OS';
  return name;
}

/** Divolte's OS family names: macOS is `OS X`, every Linux distribution `Linux`, every BSD `BSD`. */
export function osFamilyOf(osName: string | null): string | null {
  if (osName === null) return null;
  if (osName === 'macOS') return 'OS X';
  if (osName.startsWith('Windows')) return 'Windows';
  if (LINUX_FAMILY.has(osName)) return 'Linux';
  if (/BSD$|^DragonFly$/.test(osName)) return 'BSD';
  return osName;
}

const OS_VENDORS: Readonly<Record<string, string>> = {
  Windows: 'Microsoft Corporation',
  'OS X': 'Apple Computer, Inc.',
  iOS: 'Apple Computer, Inc.',
  watchOS: 'Apple Computer, Inc.',
  Android: 'Google Inc.',
  'Chrome OS': 'Google Inc.',
  Fuchsia: 'Google Inc.',
  Linux: 'Linux Foundation',
  Tizen: 'Samsung Electronics',
  webOS: 'LG Electronics',
  HarmonyOS: 'Huawei',
  KaiOS: 'KaiOS Technologies',
  PlayStation: 'Sony',
  Xbox: 'Microsoft Corporation',
  Nintendo: 'Nintendo',
  BlackBerry: 'BlackBerry',
  Symbian: 'Nokia',
};

/** The vendor Divolte named for an OS family, or for the OS itself when its family has none. */
export function osVendorOf(osFamily: string | null, osName: string | null): string | null {
  return osFamily === null ? null : (OS_VENDORS[osFamily] ?? OS_VENDORS[osName ?? ''] ?? null);
}

const DEVICE_CATEGORIES: Readonly<Record<string, string>> = {
  desktop: 'Personal computer',
  mobile: 'Smartphone',
  tablet: 'Tablet',
  smarttv: 'Smart TV',
  console: 'Game console',
  wearable: 'Other',
  embedded: 'Other',
  xr: 'Other',
};

export function deviceCategoryOf(deviceType: string | null): string | null {
  return deviceType === null ? null : (DEVICE_CATEGORIES[deviceType] ?? 'Other');
}

/** Variants of one browser share a family: Chrome Headless and Chrome WebView are Chrome. */
export function familyOf(name: string | null): string | null {
  if (name === null) return null;
  return name.replace(/ (?:Headless|WebView|Mobile)$/, '');
}

const BROWSER_VENDORS: readonly (readonly [RegExp, string])[] = [
  [
    /^(?:Chrome|Chromium|Android Browser|GSA|Google|AdsBot-Google|Mediapartners-Google|APIs-Google|FeedFetcher-Google)/i,
    'Google Inc.',
  ],
  [/^(?:Safari|Mobile Safari|Applebot)/i, 'Apple Inc.'],
  [/^(?:Firefox|Mobile Firefox)/i, 'Mozilla Foundation'],
  [/^(?:Edge|IE|IEMobile|bingbot|BingPreview|msnbot)/i, 'Microsoft Corporation'],
  [/^Opera/i, 'Opera Software ASA'],
  [/^Samsung Internet/i, 'Samsung Electronics'],
  [/^Yandex/i, 'Yandex'],
  [/^Brave/i, 'Brave Software'],
  [/^Vivaldi/i, 'Vivaldi Technologies'],
  [/^(?:Facebook|Instagram|facebookexternalhit|meta-externalagent)/i, 'Meta Platforms'],
  [/^(?:GPTBot|ChatGPT-User|OAI-SearchBot)/i, 'OpenAI'],
  [/^DuckDuck/i, 'DuckDuckGo'],
  [/^Baidu/i, 'Baidu'],
];

export function vendorOf(name: string | null): string | null {
  if (name === null) return null;
  for (const [pattern, vendor] of BROWSER_VENDORS) if (pattern.test(name)) return vendor;
  return null;
}
