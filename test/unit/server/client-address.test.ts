import { describe, expect, it } from 'vitest';
import { createClientAddressPolicy } from '../../../src/server/client-address.js';

describe('the client address policy', () => {
  const policy = createClientAddressPolicy(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);

  it('uses the peer address when no proxy is trusted', () => {
    const none = createClientAddressPolicy([]);
    expect(none.clientAddress('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
    expect(none.isTrusted('10.0.0.1')).toBe(false);
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(policy.clientAddress('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    expect(policy.clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.9.9.9')).toBe('198.51.100.7');
    expect(policy.clientAddress('192.0.2.1', ['6.6.6.6', '198.51.100.7'])).toBe('198.51.100.7');
  });

  it('handles IPv6 and IPv4-mapped addresses', () => {
    expect(policy.clientAddress('2001:db8::1', '2001:db9::5')).toBe('2001:db9::5');
    expect(policy.clientAddress('::ffff:10.0.0.1', '[2001:db9::7]:443')).toBe('2001:db9::7');
    expect(policy.clientAddress('::ffff:203.0.113.4', undefined)).toBe('203.0.113.4');
  });

  it('stops at a hop that is not an address instead of believing what lies beyond it', () => {
    expect(policy.clientAddress('10.0.0.2', '6.6.6.6, garbage, 10.0.0.3')).toBe('10.0.0.3');
    expect(policy.clientAddress('10.0.0.2', '198.51.100.7:5555')).toBe('198.51.100.7');
  });

  it('keeps the last trusted hop when every hop is trusted', () => {
    expect(policy.clientAddress('10.0.0.2', '10.0.0.7')).toBe('10.0.0.7');
  });

  it('rejects malformed trust entries', () => {
    expect(() => createClientAddressPolicy(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => createClientAddressPolicy(['example.com'])).toThrow(/not an IP/);
  });
});
