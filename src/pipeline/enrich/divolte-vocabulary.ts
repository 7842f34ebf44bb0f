/**
 * Divolte's vocabulary for its nine `userAgent*` fields. Divolte filled them from UADetector with its
 * 2014.10 data (the `uadetector-resources` artifact), so a consumer written for Divolte filters on
 * UADetector's words: `Chrome Mobile`, `Android browser`, `Microsoft Corporation.` (with the dot),
 * Windows as its NT version (`6.1`, `10.0`), `""` for what it did not know and `unknown` as the name
 * of an agent it did not recognise. This module translates one ua-parser-js parse of the user-agent
 * string (never the client hints, which Divolte never saw) into those words.
 *
 * The tables (uadetector-words.ts) are Footfall's own, written from the facts of that data set (names,
 * producers, OS families and UADetector's version rules); the data set itself is not shipped. The
 * rules here follow UADetector's where ua-parser-js sees the string differently (Android 4.4's WebView
 * is `Chrome Mobile`, a robot has no OS, Windows reports its NT version). Agents newer than 2014, which
 * UADetector misnamed or did not know (Edge, Samsung Internet, GPTBot, okhttp), get their real name in
 * the same style. Results are cached with the rest of the user-agent enrichment (user-agent.ts), so
 * this runs once per distinct user agent.
 */

import {
  BLACKBERRY,
  BROWSERS,
  CHROME,
  DEVICE_CATEGORIES,
  DISTRIBUTIONS,
  KNOWN_ROBOT,
  LIBRARIES,
  LINUX_NAMES,
  ROBOTS,
  SYSTEMS,
  WINDOWS_VERSIONS,
  type Robot,
  type VersionRule,
} from './uadetector-words.js';

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

/** UADetector's rule: the device when the string names one, else by the agent's type. */
function deviceCategoryOf(deviceType: string | null, type: string): string {
  if (deviceType !== null) return DEVICE_CATEGORIES[deviceType] ?? 'Other';
  if (type === 'Mobile Browser') return 'Smartphone';
  if (type === 'Library' || type === 'Other') return 'Other';
  return 'Personal computer';
}

// --- browsers ---------------------------------------------------------------------------------------

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
