/**
 * User agents and the nine values Divolte Collector writes for them (`builtin:divolte`). Columns:
 * user agent, then name, family, vendor, type, version, device category, OS family, OS version, OS
 * vendor.
 *
 * The first five tables hold what Divolte 0.10 writes, taken from running its parser (uadetector-core
 * 0.9.22 with the uadetector-resources 2014.10 data, the versions Divolte pins) over each string;
 * Footfall must write the same. The punctuation is UADetector's (`Microsoft Corporation.`, `Google,
 * Inc.` for Android, `Yandex ` with its trailing space).
 *
 * NEWER holds agents UADetector's 2014 data did not know or misnamed. Footfall names them in Divolte's
 * style; the comment above each row says what Divolte writes instead.
 */
export type Row = readonly [
  userAgent: string,
  name: string,
  family: string,
  vendor: string,
  type: string,
  version: string,
  deviceCategory: string,
  osFamily: string,
  osVersion: string,
  osVendor: string,
];

/** Desktop browsers, 2010 to 2014. */
// prettier-ignore
export const DESKTOP_2010_2014: readonly Row[] = [
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.104', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 5.1) AppleWebKit/534.16 (KHTML, like Gecko) Chrome/10.0.648.204 Safari/534.16', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '10.0.648.204', 'Personal computer', 'Windows', '5.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.124 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '37.0.2062.124', 'Personal computer', 'OS X', '10.9.5', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '36.0.1985.125', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/37.0.2062.94 Chrome/37.0.2062.94 Safari/537.36', 'Chromium', 'Chromium', 'Google Inc. and contributors', 'Browser', '37.0.2062.94', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (X11; CrOS x86_64 6158.70.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.110 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.110', 'Personal computer', 'Linux', '', 'Google Inc.'],
  ['Mozilla/5.0 (Windows; U; Windows NT 5.1; en-US; rv:1.9.2.13) Gecko/20101203 Firefox/3.6.13', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '3.6.13', 'Personal computer', 'Windows', '5.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.3; WOW64; rv:33.0) Gecko/20100101 Firefox/33.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '33.0', 'Personal computer', 'Windows', '6.3', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.0; rv:24.0) Gecko/20100101 Firefox/24.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '24.0', 'Personal computer', 'Windows', '6.0', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '31.0', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:32.0) Gecko/20100101 Firefox/32.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '32.0', 'Personal computer', 'OS X', '10.9', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:24.0) Gecko/20140903 Firefox/24.0 Iceweasel/24.8.0', 'IceWeasel', 'IceWeasel', 'Software in the Public Interest, Inc.', 'Browser', '24.8.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '6.0', 'Personal computer', 'Windows', '5.1', 'Microsoft Corporation.'],
  ['Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '8.0', 'Personal computer', 'Windows', '5.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '9.0', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '10.0', 'Personal computer', 'Windows', '6.2', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0) like Gecko', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '11.0', 'Personal computer', 'Windows', '6.3', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '11.0', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10_6_4; en-us) AppleWebKit/533.18.1 (KHTML, like Gecko) Version/5.0.2 Safari/533.18.5', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '5.0.2', 'Personal computer', 'OS X', '10.6.4', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/600.1.25 (KHTML, like Gecko) Version/8.0 Safari/600.1.25', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '8.0', 'Personal computer', 'OS X', '10.10', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (Windows; U; Windows NT 6.1; en-US) AppleWebKit/533.20.25 (KHTML, like Gecko) Version/5.0.4 Safari/533.20.27', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '5.0.4', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.17', 'Opera', 'Opera', 'Opera Software ASA.', 'Browser', '12.17', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36 OPR/25.0.1614.63', 'Opera', 'Opera', 'Opera Software ASA.', 'Browser', '25.0.1614.63', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 YaBrowser/14.8.1985.12084 Safari/537.36', 'Yandex.Browser', 'Yandex.Browser', 'Yandex ', 'Browser', '14.8.1985.12084', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/4.0 (compatible; MSIE 5.0; Windows 98)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '5.0', 'Personal computer', 'Windows', '98', 'Microsoft Corporation.'],
  ['Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.0)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '6.0', 'Personal computer', 'Windows', '5.0', 'Microsoft Corporation.'],
  ['Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.0)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '7.0', 'Personal computer', 'Windows', '6.0', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; ARM; Trident/6.0; Touch)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '10.0', 'Personal computer', 'Windows', '6.2', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:32.0) Gecko/20100101 Firefox/32.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '32.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0 Iceweasel/31.2.0', 'IceWeasel', 'IceWeasel', 'Software in the Public Interest, Inc.', 'Browser', '31.2.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; Debian; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '31.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; Linux i686) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/34.0.1847.116 Chrome/34.0.1847.116 Safari/537.36', 'Chromium', 'Chromium', 'Google Inc. and contributors', 'Browser', '34.0.1847.116', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (X11; U; Linux x86_64; en-US) AppleWebKit/534.16 (KHTML, like Gecko) Ubuntu/10.10 Chromium/10.0.648.133 Chrome/10.0.648.133 Safari/534.16', 'Chromium', 'Chromium', 'Google Inc. and contributors', 'Browser', '10.0.648.133', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (X11; FreeBSD amd64; rv:31.0) Gecko/20100101 Firefox/31.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '31.0', 'Personal computer', 'BSD', '', 'FreeBSD Foundation'],
  ['Mozilla/5.0 (X11; U; SunOS sun4u; en-US; rv:1.9.2.13) Gecko/20101203 Firefox/3.6.13', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '3.6.13', 'Personal computer', 'Solaris', '', 'Sun Microsystems, Inc.'],
  ['Mozilla/5.0 (X11; U; Linux x86_64; en-US; rv:1.9.2.13) Gecko/20101206 Ubuntu/10.10 (maverick) Firefox/3.6.13', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '3.6.13', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:28.0) Gecko/20100101 Firefox/28.0 Mint/16', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '28.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; U; Linux i686; en-US; rv:1.9.2.13) Gecko/20101209 CentOS/3.6-2.el5.centos Firefox/3.6.13', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '3.6.13', 'Personal computer', 'Linux', '', 'CentOS Project'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.1 (KHTML, like Gecko) Maxthon/4.4.2.1000 Chrome/30.0.1599.101 Safari/537.36', 'Maxthon', 'Maxthon', 'Maxthon Ltd', 'Browser', '4.4.2.1000', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; U; PPC Mac OS X 10_5_8; en-us) AppleWebKit/531.21.8 (KHTML, like Gecko) Version/4.0.4 Safari/531.21.10', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '4.0.4', 'Personal computer', 'OS X', '10.5.8', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (Windows NT 6.4; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.111', 'Personal computer', 'Windows', '6.4', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.111', 'Personal computer', 'Windows', '6.3', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.111', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; rv:33.0) Gecko/20100101 Firefox/33.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '33.0', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; rv:33.0) Gecko/20100101 Firefox/33.0 Waterfox/33.0', 'Waterfox', 'unknown', 'Waterfox developers', 'Browser', '33.0', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/31.0.1650.63 Safari/537.36 OPR/18.0.1284.68', 'Opera', 'Opera', 'Opera Software ASA.', 'Browser', '18.0.1284.68', 'Personal computer', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/600.1.17 (KHTML, like Gecko) Version/7.1 Safari/537.85.10', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '7.1', 'Personal computer', 'OS X', '10.9.5', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.111 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.111', 'Personal computer', 'OS X', '10.10.0', 'Apple Computer, Inc.'],
];

/** Phones, tablets and consoles, 2010 to 2014. */
// prettier-ignore
export const MOBILE_2010_2014: readonly Row[] = [
  ['Mozilla/5.0 (iPhone; U; CPU iPhone OS 4_0 like Mac OS X; en-us) AppleWebKit/532.9 (KHTML, like Gecko) Version/4.0.5 Mobile/8A293 Safari/6531.22.7', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '4.0.5', 'Smartphone', 'iOS', '4.0', 'Apple Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '7.0', 'Smartphone', 'iOS', '7.1.2', 'Apple Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 8_0 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) Version/8.0 Mobile/12A365 Safari/600.1.4', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '8.0', 'Smartphone', 'iOS', '8.0', 'Apple Inc.'],
  ['Mozilla/5.0 (iPad; CPU OS 7_0_4 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 Mobile/11B554a Safari/9537.53', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '7.0', 'Tablet', 'iOS', '7.0.4', 'Apple Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) CriOS/38.0.2125.67 Mobile/12B411 Safari/600.1.4', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.67', 'Smartphone', 'iOS', '8.1', 'Apple Inc.'],
  ['Mozilla/5.0 (iPod touch; CPU iPhone OS 7_1 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D167 Safari/9537.53', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '7.0', 'Smartphone', 'iOS', '7.1', 'Apple Inc.'],
  ['Mozilla/5.0 (Linux; U; Android 2.3.6; en-us; Nexus S Build/GRK39F) AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1', 'Android browser', 'Android Browser', 'Google Inc.', 'Mobile Browser', '4.0', 'Smartphone', 'Android', '2.3.6', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; U; Android 4.0.4; en-gb; GT-I9300 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30', 'Android browser', 'Android Browser', 'Google Inc.', 'Mobile Browser', '4.0', 'Smartphone', 'Android', '4.0.4', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; GT-P5110 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30', 'Android browser', 'Android Browser', 'Google Inc.', 'Mobile Browser', '4.0', 'Tablet', 'Android', '4.0.4', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.102', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.4; Nexus 7 Build/KTU84P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.102', 'Tablet', 'Android', '4.4.4', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/30.0.0.0 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '30.0.0.0', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; en-us; SAMSUNG SGH-M919 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/1.5 Chrome/28.0.1500.94 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '28.0.1500.94', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Android; Mobile; rv:33.0) Gecko/33.0 Firefox/33.0', 'Mobile Firefox', 'Mobile Firefox', 'Mozilla Foundation', 'Mobile Browser', '33.0', 'Smartphone', 'Android', '', 'Google, Inc.'],
  ['Mozilla/5.0 (Android; Tablet; rv:33.0) Gecko/33.0 Firefox/33.0', 'Mobile Firefox', 'Mobile Firefox', 'Mozilla Foundation', 'Mobile Browser', '33.0', 'Tablet', 'Android', '', 'Google, Inc.'],
  ['Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Lumia 920)', 'IE Mobile', 'IE Mobile', 'Microsoft Corporation.', 'Mobile Browser', '10.0', 'Smartphone', 'Windows', '', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; NOKIA; Lumia 800)', 'IE Mobile', 'IE Mobile', 'Microsoft Corporation.', 'Mobile Browser', '9.0', 'Smartphone', 'Windows', '7.5', 'Microsoft Corporation.'],
  ['Opera/9.80 (J2ME/MIDP; Opera Mini/7.1.32052/29.3417; U; en) Presto/2.8.119 Version/11.10', 'Opera Mini', 'Opera Mini', 'Opera Software ASA.', 'Mobile Browser', '7.1.32052', 'Smartphone', 'JVM', '', 'Sun Microsystems, Inc.'],
  ['Opera/9.80 (Android 2.3.4; Linux; Opera Mobi/ADR-1301080958) Presto/2.11.355 Version/12.10', 'Opera Mobile', 'Opera Mobile', 'Opera Software ASA.', 'Mobile Browser', '12.10', 'Smartphone', 'Android', '2.3.4', 'Google, Inc.'],
  ['Mozilla/5.0 (BlackBerry; U; BlackBerry 9900; en) AppleWebKit/534.11+ (KHTML, like Gecko) Version/7.1.0.346 Mobile Safari/534.11+', 'BlackBerry Browser', 'BlackBerry Browser', 'Research In Motion Limited', 'Mobile Browser', '', 'Smartphone', 'BlackBerry OS', '', 'BlackBerry Ltd'],
  ['Mozilla/5.0 (BB10; Touch) AppleWebKit/537.10+ (KHTML, like Gecko) Version/10.0.9.2372 Mobile Safari/537.10+', 'BlackBerry Browser', 'BlackBerry Browser', 'Research In Motion Limited', 'Mobile Browser', '', 'Smartphone', 'BlackBerry OS', '', 'BlackBerry Ltd'],
  ['Mozilla/5.0 (Linux; U; en-us; KFTT Build/IML74K) AppleWebKit/535.19 (KHTML, like Gecko) Silk/3.13 Safari/535.19 Silk-Accelerated=true', 'Silk', 'Silk', 'Amazon.com, Inc.', 'Mobile Browser', '3.13', 'Tablet', 'Linux', '', ''],
  ['Mozilla/5.0 (Symbian/3; Series60/5.2 NokiaN8-00/012.002; Profile/MIDP-2.1 Configuration/CLDC-1.1 ) AppleWebKit/533.4 (KHTML, like Gecko) NokiaBrowser/7.3.0 Mobile Safari/533.4 3gpp-gba', 'Nokia Web Browser', 'Nokia Web Browser', 'Nokia', 'Mobile Browser', '', 'Smartphone', 'Symbian OS', '', 'Symbian Foundation'],
  ['Mozilla/5.0 (iPad; CPU OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) CriOS/38.0.2125.67 Mobile/12B410 Safari/600.1.4', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.67', 'Tablet', 'iOS', '8.1', 'Apple Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36 OPR/25.0.1619.84037', 'Opera Mobile', 'Opera Mobile', 'Opera Software ASA.', 'Mobile Browser', '25.0.1619.84037', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Mobile; rv:32.0) Gecko/32.0 Firefox/32.0', 'Mobile Firefox', 'Mobile Firefox', 'Mozilla Foundation', 'Mobile Browser', '32.0', 'Smartphone', 'Firefox OS', '', 'Mozilla Foundation'],
  ['Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 630) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537', 'IE Mobile', 'IE Mobile', 'Microsoft Corporation.', 'Mobile Browser', '11.0', 'Smartphone', 'Windows', '', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; Xbox)', 'IE', 'IE', 'Microsoft Corporation.', 'Browser', '9.0', 'Game console', 'Windows', '6.1', 'Microsoft Corporation.'],
  ['Opera/9.30 (Nintendo Wii; U; ; 3642; en)', 'Opera', 'Opera', 'Opera Software ASA.', 'Browser', '9.30', 'Game console', 'Wii OS', '', 'Nintendo of America Inc.'],
  ['Mozilla/5.0 (SAMSUNG; SAMSUNG-GT-S8500/S8500XXJL2; U; Bada/1.2; en-us) AppleWebKit/533.1 (KHTML, like Gecko) Dolfin/2.2 Mobile WVGA SMM-MMS/1.2.0 OPN-B', 'Dolphin', 'Dolphin', 'Samsung', 'Mobile Browser', '2.2', 'Smartphone', 'Bada', '1.2', 'Samsung Electronics'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; SM-G900F Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/34.0.1847.114 YaBrowser/14.7.1916.6183.00 Mobile Safari/537.36', 'Yandex.Browser mobile', 'unknown', 'Yandex ', 'Mobile Browser', '14.7.1916.6183.00', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) OPiOS/9.0.0.82143 Mobile/12B411 Safari/9537.53', 'Opera Mini', 'Opera Mini', 'Opera Software ASA.', 'Mobile Browser', '9.0.0.82143', 'Smartphone', 'iOS', '8.1', 'Apple Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.1.2; GT-I9100 Build/JZO54K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.102', 'Smartphone', 'Android', '4.1.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; U; Android 4.4.2; en-us; SM-G900V Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/1.6 Chrome/28.0.1500.94 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '28.0.1500.94', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; U; Android 2.2; en-us; Nexus One Build/FRF91) AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1', 'Android browser', 'Android Browser', 'Google Inc.', 'Mobile Browser', '4.0', 'Smartphone', 'Android', '2.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.2.2; GT-I9505 Build/JDQ39) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/31.0.1650.59 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '31.0.1650.59', 'Smartphone', 'Android', '4.2.2', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 5.0; Nexus 5 Build/LRX21O) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.102', 'Smartphone', 'Android', '5.0', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 4.4.2; SAMSUNG-SM-N900A Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '38.0.2125.102', 'Smartphone', 'Android', '4.4.2', 'Google, Inc.'],
];

/** Robots, libraries and tools, 2010 to 2014 (robots as UADetector listed them, by exact string). */
// prettier-ignore
export const ROBOTS_AND_LIBRARIES: readonly Row[] = [
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot/2.1', 'Googlebot', 'Google Inc.', 'Robot', '2.1', 'Other', '', '', ''],
  ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Googlebot/2.1', 'Googlebot', 'Google Inc.', 'Robot', '2.1', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'bingbot/2.0', 'bingbot', 'Microsoft Corporation', 'Robot', '2.0', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)', 'Yahoo! Slurp', 'Yahoo!', 'Yahoo! Inc.', 'Robot', '', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', 'YandexBot/3.0', 'YandexBot', 'Yandex LLC', 'Robot', '3.0', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'Baiduspider/2.0', 'Baiduspider', 'Baidu', 'Robot', '2.0', 'Other', '', '', ''],
  ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'FacebookExternalHit/1.1', 'FacebookExternalHit', 'Facebook', 'Robot', '1.1', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; AhrefsBot/5.0; +http://ahrefs.com/robot/)', 'AhrefsBot/5.0', 'AhrefsBot', 'Ahrefs.com', 'Robot', '5.0', 'Other', '', '', ''],
  ['DuckDuckBot/1.0; (+http://duckduckgo.com/duckduckbot.html)', 'DuckDuckBot/1.0', 'DuckDuckBot', 'Duck Duck Go, Inc.', 'Robot', '1.0', 'Other', '', '', ''],
  ['curl/7.35.0', 'cURL', 'cURL', 'team Haxx', 'Library', '7.35.0', 'Other', '', '', ''],
  ['Wget/1.15 (linux-gnu)', 'Wget', 'Wget', 'Free Software Foundation, Inc.', 'Offline Browser', '1.15', 'Personal computer', 'Linux', '', ''],
  ['python-requests/2.4.3 CPython/2.7.8 Linux/3.13.0-36-generic', 'Python-requests', 'Python-requests', 'Kenneth Reitz', 'Library', '2.4.3', 'Other', 'Linux', '', ''],
  ['Python-urllib/2.7', 'Python-urllib', 'Python-urllib', 'Python Software Foundation', 'Library', '2.7', 'Other', '', '', ''],
  ['Java/1.7.0_67', 'Java', 'Java', 'Sun Microsystems, Inc.', 'Library', '1.7.0_67', 'Other', 'JVM', '1.7.0_67', 'Sun Microsystems, Inc.'],
  ['Apache-HttpClient/4.3.5 (java 1.5)', 'Apache-HttpClient', 'Jakarta Commons-HttpClient', 'Apache Software Foundation', 'Library', '4.3.5', 'Other', '', '', ''],
  ['libwww-perl/6.08', 'libwww-perl', 'libwww-perl', 'Gisle Aas', 'Library', '6.08', 'Other', '', '', ''],
  ['Go 1.1 package http', 'Go http package', 'unknown', 'Google Inc.', 'Library', '1.1', 'Other', '', '', ''],
  ['Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/534.34 (KHTML, like Gecko) PhantomJS/1.9.8 Safari/534.34', 'PhantomJS', 'unknown', 'Ariya Hidayat', 'Other', '1.9.8', 'Other', 'Linux', '', ''],
  ['Googlebot-Image/1.0', 'Googlebot-Image/1.0', 'Googlebot', 'Google Inc.', 'Robot', '1.0', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; MJ12bot/v1.4.5; http://www.majestic12.co.uk/bot.php?+)', 'MJ12bot/v1.4.5', 'MJ12bot', 'Majestic-12 Ltd', 'Robot', '1.4.5', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; SemrushBot/0.98~bl; +http://www.semrush.com/bot.html)', 'SemrushBot/0.98', 'SemrushBot', 'SEOQuake Team', 'Robot', '0.98', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; Exabot/3.0; +http://www.exabot.com/go/robot)', 'Exabot/3.0', 'Exabot', 'Dassault Systèmes', 'Robot', '3.0', 'Other', '', '', ''],
  ['Mozilla/5.0 (compatible; DotBot/1.1; http://www.opensiteexplorer.org/dotbot, help@moz.com)', 'DotBot/1.1', 'DotBot', 'SEOmoz, Inc.', 'Robot', '1.1', 'Other', '', '', ''],
  ['Wget/1.12 (linux-gnu)', 'Wget', 'Wget', 'Free Software Foundation, Inc.', 'Offline Browser', '1.12', 'Personal computer', 'Linux', '', ''],
  ['curl/7.19.7 (x86_64-redhat-linux-gnu) libcurl/7.19.7 NSS/3.13.1.0 zlib/1.2.3 libidn/1.18 libssh2/1.2.2', 'cURL', 'cURL', 'team Haxx', 'Library', '7.19.7', 'Other', 'Linux', '', ''],
  ['Python-urllib/3.4', 'Python-urllib', 'Python-urllib', 'Python Software Foundation', 'Library', '3.4', 'Other', '', '', ''],
  ['Java/1.8.0_25', 'Java', 'Java', 'Sun Microsystems, Inc.', 'Library', '1.8.0_25', 'Other', 'JVM', '1.8.0_25', 'Sun Microsystems, Inc.'],
  ['Apache-HttpClient/4.2.3 (java 1.5)', 'Apache-HttpClient', 'Jakarta Commons-HttpClient', 'Apache Software Foundation', 'Library', '4.2.3', 'Other', '', '', ''],
  ['python-requests/2.2.1 CPython/2.7.6 Darwin/13.4.0', 'Python-requests', 'Python-requests', 'Kenneth Reitz', 'Library', '2.2.1', 'Other', 'Mac OS', '', 'Apple Computer, Inc.'],
  ['PHP/5.4.33', 'PHP', 'PHP', 'The PHP Group', 'Other', '5.4.33', 'Other', '', '', ''],
];

/** Today's browsers that UADetector still reads right (Windows 10 is NT `10.0`). */
// prettier-ignore
export const TODAY_AS_DIVOLTE: readonly Row[] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '124.0.0.0', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '124.0.0.0', 'Personal computer', 'OS X', '10.15.7', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '124.0.0.0', 'Personal computer', 'Linux', '', ''],
  ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '124.0.0.0', 'Personal computer', 'Linux', '', 'Google Inc.'],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '124.0.0.0', 'Smartphone', 'Android', '10', 'Google, Inc.'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '124.0.6367.82', 'Smartphone', 'Android', '14', 'Google, Inc.'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '125.0', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '125.0', 'Personal computer', 'OS X', '14.4', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Firefox', 'Firefox', 'Mozilla Foundation', 'Browser', '125.0', 'Personal computer', 'Linux', '', 'Canonical Ltd.'],
  ['Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0', 'Mobile Firefox', 'Mobile Firefox', 'Mozilla Foundation', 'Mobile Browser', '125.0', 'Smartphone', 'Android', '14', 'Google, Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1', 'Chrome Mobile', 'Chrome Mobile', 'Google Inc.', 'Mobile Browser', '124.0.6367.88', 'Smartphone', 'iOS', '17.4.1', 'Apple Inc.'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '17.4.1', 'Personal computer', 'OS X', '10.15.7', 'Apple Computer, Inc.'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '17.4.1', 'Smartphone', 'iOS', '17.4.1', 'Apple Inc.'],
  ['Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', 'Mobile Safari', 'Mobile Safari', 'Apple Inc.', 'Mobile Browser', '16.6', 'Tablet', 'iOS', '16.6', 'Apple Inc.'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0', 'Opera', 'Opera', 'Opera Software ASA.', 'Browser', '109.0.0.0', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36', 'Yandex.Browser', 'Yandex.Browser', 'Yandex ', 'Browser', '24.4.0.0', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  ['curl/8.5.0', 'cURL', 'cURL', 'team Haxx', 'Library', '8.5.0', 'Other', '', '', ''],
  ['python-requests/2.31.0', 'Python-requests', 'Python-requests', 'Kenneth Reitz', 'Library', '2.31.0', 'Other', '', '', ''],
  ['Wget/1.21.4', 'Wget', 'Wget', 'Free Software Foundation, Inc.', 'Offline Browser', '1.21.4', 'Personal computer', '', '', ''],
];

/** Strings nothing recognises: `unknown`, and `""` for the rest. */
// prettier-ignore
export const GARBAGE: readonly Row[] = [
  ['Ruby', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['garbage', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['-', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['Mozilla/5.0', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['Mozilla/5.0 (compatible)', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['%zz', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['12345', 'unknown', 'unknown', '', '', '', '', '', '', ''],
  ['<script>alert(1)</script>', 'unknown', 'unknown', '', '', '', '', '', '', ''],
];

/** Newer agents, in Divolte's style (see the file's comment). */
// prettier-ignore
export const NEWER: readonly Row[] = [
  // Divolte: "Android browser", "Android Browser", "Google Inc.", "Mobile Browser", "4.0", "Smartphone", "Android", "4.0.4", "Google, Inc."
  ['Mozilla/5.0 (Linux; U; Android 4.0.4; en-US; GT-S6012 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 UCBrowser/9.8.0.435 U3/0.8.0 Mobile Safari/534.30', 'UC Browser', 'UC Browser', 'UCWEB Technology Ltd.', 'Mobile Browser', '9.8.0.435', 'Smartphone', 'Android', '4.0.4', 'Google, Inc.'],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['Twitterbot/1.0', 'Twitterbot/1.0', 'Twitterbot', 'Twitter, Inc.', 'Robot', '1.0', 'Other', '', '', ''],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "38.0.2125.102", "Personal computer", "Android", "4.4.2", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 4.4.2; SM-T530 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '38.0.2125.102', 'Tablet', 'Android', '4.4.2', 'Google, Inc.'],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "42.0.2311.135", "Personal computer", "Windows", "10.0", "Microsoft Corporation."
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.10240', 'Edge', 'Edge', 'Microsoft Corporation.', 'Browser', '12.10240', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "124.0.0.0", "Personal computer", "Android", "10", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36', 'Chrome', 'Chrome', 'Google Inc.', 'Browser', '124.0.0.0', 'Tablet', 'Android', '10', 'Google, Inc.'],
  // Divolte: "Mobile Safari", "Mobile Safari", "Apple Inc.", "Mobile Browser", "", "Smartphone", "iOS", "17.4.1", "Apple Inc."
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15', 'Mobile Firefox', 'Mobile Firefox', 'Mozilla Foundation', 'Mobile Browser', '125.0', 'Smartphone', 'iOS', '17.4.1', 'Apple Inc.'],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "124.0.0.0", "Personal computer", "Windows", "10.0", "Microsoft Corporation."
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80', 'Edge', 'Edge', 'Microsoft Corporation.', 'Browser', '124.0.2478.80', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  // Divolte: "Chrome Mobile", "Chrome Mobile", "Google Inc.", "Mobile Browser", "124.0.0.0", "Smartphone", "Android", "10", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64', 'Edge', 'Edge', 'Microsoft Corporation.', 'Mobile Browser', '124.0.2478.64', 'Smartphone', 'Android', '10', 'Google, Inc.'],
  // Divolte: "Chrome Mobile", "Chrome Mobile", "Google Inc.", "Mobile Browser", "117.0.0.0", "Smartphone", "Android", "14", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36', 'Samsung Internet', 'Samsung Internet', 'Samsung Electronics', 'Mobile Browser', '24.0', 'Smartphone', 'Android', '14', 'Google, Inc.'],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "124.0.6367.60", "Personal computer", "Linux", "", ""
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36', 'Chrome Headless', 'Chrome Headless', 'Google Inc.', 'Other', '124.0.6367.60', 'Other', 'Linux', '', ''],
  // Divolte: "Mobile Safari", "Mobile Safari", "Apple Inc.", "Mobile Browser", "", "Smartphone", "iOS", "17.4.1", "Apple Inc."
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/462.0.0.38.101;FBBV/589187399;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4.1;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]', 'Facebook', 'Facebook', 'Facebook', 'Mobile Browser', '462.0.0.38.101', 'Smartphone', 'iOS', '17.4.1', 'Apple Inc.'],
  // Divolte: "Chrome Mobile", "Chrome Mobile", "Google Inc.", "Mobile Browser", "124.0.6367.82", "Smartphone", "Android", "14", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 327.0.0.37.93 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; shiba; en_US; 586331560)', 'Instagram', 'Instagram', 'Facebook', 'Mobile Browser', '327.0.0.37.93', 'Smartphone', 'Android', '14', 'Google, Inc.'],
  // Divolte: "Chrome", "Chrome", "Google Inc.", "Browser", "124.0.0.0", "Personal computer", "Windows", "10.0", "Microsoft Corporation."
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Vivaldi/6.7.3329.17', 'Vivaldi', 'Vivaldi', 'Vivaldi Technologies', 'Browser', '6.7.3329.17', 'Personal computer', 'Windows', '10.0', 'Microsoft Corporation.'],
  // Divolte: "Chrome Mobile", "Chrome Mobile", "Google Inc.", "Mobile Browser", "124.0.6367.155", "Smartphone", "Android", "6.0.1", "Google, Inc."
  ['Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.155 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Googlebot/2.1', 'Googlebot', 'Google Inc.', 'Robot', '2.1', 'Other', '', '', ''],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)', 'GPTBot/1.2', 'GPTBot', 'OpenAI', 'Robot', '1.2', 'Other', '', '', ''],
  // Divolte: "Safari", "Safari", "Apple Inc.", "Browser", "13.1.1", "Personal computer", "OS X", "10.15.5", "Apple Computer, Inc."
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)', 'Applebot/0.1', 'Applebot', 'Apple Inc.', 'Robot', '0.1', 'Other', '', '', ''],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['Go-http-client/1.1', 'Go http package', 'unknown', 'Google Inc.', 'Library', '1.1', 'Other', '', '', ''],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['okhttp/4.12.0', 'okhttp', 'okhttp', 'Square, Inc.', 'Library', '4.12.0', 'Other', '', '', ''],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['axios/1.6.8', 'axios', 'axios', '', 'Library', '1.6.8', 'Other', '', '', ''],
  // Divolte: "unknown", "unknown", "", "", "", "", "", "", ""
  ['PostmanRuntime/7.37.0', 'PostmanRuntime', 'PostmanRuntime', 'Postman, Inc.', 'Library', '7.37.0', 'Other', '', '', ''],
  // Divolte: "Safari", "Safari", "Apple Inc.", "Browser", "13.0", "Game console", "", "", ""
  ['Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '13.0', 'Game console', 'PlayStation', '5', 'Sony Interactive Entertainment'],
  // Divolte: "Safari", "Safari", "Apple Inc.", "Browser", "537.36", "Smart TV", "Linux", "", ""
  ['Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36', 'Safari', 'Safari', 'Apple Inc.', 'Browser', '', 'Smart TV', 'Tizen', '', 'Tizen Project'],
];
