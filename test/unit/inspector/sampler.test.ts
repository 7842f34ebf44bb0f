import { describe, expect, it } from 'vitest';
import { RateSampler } from '../../../src/inspector/sampler.js';

describe('the inspector sampler', () => {
  it('lets a small burst through whole', () => {
    const clock = { now: 0 };
    const sampler = new RateSampler(200, () => clock.now);
    let admitted = 0;
    for (let i = 0; i < 50; i++) if (sampler.admit()) admitted++;
    expect(admitted).toBe(50);
    expect(sampler.skipped).toBe(0);
  });

  it('thins a flood of 5,000 events a second to its rate, spread over the second, and counts the rest', () => {
    const clock = { now: 0 };
    const sampler = new RateSampler(200, () => clock.now);
    const admittedAt: number[] = [];
    // Ten seconds of one event every 0.2 ms.
    for (let i = 0; i < 50_000; i++) {
      clock.now = i * 0.2;
      if (sampler.admit()) admittedAt.push(clock.now);
    }
    // 200 a second for 10 s, plus the first burst of a quarter second's worth.
    expect(admittedAt.length).toBeGreaterThanOrEqual(2000);
    expect(admittedAt.length).toBeLessThanOrEqual(2051);
    expect(sampler.skipped).toBe(50_000 - admittedAt.length);
    // Spread: after the first burst, each tenth of a second gets its share (20), not the first 200 of each second.
    const inLastSecond = admittedAt.filter((t) => t >= 9000);
    const perTenth = Array.from({ length: 10 }, (_, k) =>
      inLastSecond.filter((t) => t >= 9000 + k * 100 && t < 9100 + k * 100),
    ).map((list) => list.length);
    for (const count of perTenth) {
      expect(count).toBeGreaterThanOrEqual(19);
      expect(count).toBeLessThanOrEqual(21);
    }
  });

  it('refills while traffic is quiet, up to one burst', () => {
    const clock = { now: 0 };
    const sampler = new RateSampler(4, () => clock.now);
    expect(sampler.admit()).toBe(true);
    expect(sampler.admit()).toBe(false);
    clock.now = 10_000;
    expect(sampler.admit()).toBe(true);
    expect(sampler.admit()).toBe(false);
    expect(sampler.skipped).toBe(2);
  });
});
