import { describe, expect, it } from 'vitest';
import { createUserAgentParser } from '../../../../src/pipeline/enrich/user-agent.js';
import {
  DESKTOP_2010_2014,
  GARBAGE,
  MOBILE_2010_2014,
  NEWER,
  ROBOTS_AND_LIBRARIES,
  TODAY_AS_DIVOLTE,
  type Row,
} from './divolte-vocabulary.cases.js';

const parse = createUserAgentParser(1000);

function expected(row: Row) {
  const [, name, family, vendor, type, version, deviceCategory, osFamily, osVersion, osVendor] = row;
  return { name, family, vendor, type, version, deviceCategory, osFamily, osVersion, osVendor };
}

describe("Divolte's user-agent vocabulary (builtin:divolte)", () => {
  const tables = {
    'a desktop browser of 2010 to 2014': DESKTOP_2010_2014,
    'a phone, tablet or console of 2010 to 2014': MOBILE_2010_2014,
    'a robot or library of 2010 to 2014': ROBOTS_AND_LIBRARIES,
    'a current browser UADetector still reads right': TODAY_AS_DIVOLTE,
    'a string nothing recognises': GARBAGE,
    'a newer agent, in Divolte’s style': NEWER,
  };
  for (const [what, rows] of Object.entries(tables)) {
    it.each(rows.map((row) => [row[0], row] as const))(
      `writes what Divolte writes for ${what}: %s`,
      (ua, row) => {
        expect(parse(ua, {}).divolte).toEqual(expected(row));
      },
    );
  }

  it('covers at least 60 agents Divolte recognised, old and new', () => {
    const recognised = [
      ...DESKTOP_2010_2014,
      ...MOBILE_2010_2014,
      ...ROBOTS_AND_LIBRARIES,
      ...TODAY_AS_DIVOLTE,
    ];
    expect(recognised.length).toBeGreaterThanOrEqual(60);
    expect(new Set(recognised.map((row) => row[0])).size).toBe(recognised.length);
  });

  it('reads the string alone, as Divolte never saw a client hint', () => {
    const windows =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    const windows11 = parse(windows, {
      'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
      'sec-ch-ua-platform': '"Windows"',
      'sec-ch-ua-platform-version': '"15.0.0"',
    });
    expect(windows11.footfall.osVersion).toBe('11');
    expect(windows11.divolte).toMatchObject({ osVersion: '10.0', osVendor: 'Microsoft Corporation.' });
  });

  it('writes null without a User-Agent header and unknown for an empty one', () => {
    expect(Object.values(parse(null, {}).divolte).every((value) => value === null)).toBe(true);
    expect(parse('', {}).divolte).toEqual({
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
  });

  it('keeps Footfall’s own words next to Divolte’s', () => {
    const chromeMobile =
      'Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.102 Mobile Safari/537.36';
    const info = parse(chromeMobile, {});
    expect(info.divolte).toMatchObject({ name: 'Chrome Mobile', osVendor: 'Google, Inc.' });
    expect(info.footfall).toMatchObject({ name: 'Chrome', osVendor: 'Google Inc.' });
    expect(Object.isFrozen(info.divolte)).toBe(true);
  });
});
