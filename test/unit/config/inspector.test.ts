import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';

const TOKEN = 'a-token-of-sixteen-or-more';

function issuesWith(env: Record<string, string>) {
  const result = loadConfig({ env });
  return result.ok ? [] : result.issues.map(({ path, message, origin }) => ({ path, message, origin }));
}

describe('the inspector configuration', () => {
  it('is off by default', () => {
    const result = loadConfig({ env: {} });
    expect(result.ok && result.config.inspector).toEqual({
      enabled: false,
      token: null,
      bufferSize: 500,
      maxEventsPerSecond: 200,
    });
  });

  it('needs no token while the admin listener is on loopback', () => {
    expect(issuesWith({ FOOTFALL_INSPECTOR: 'true' })).toEqual([]);
    expect(issuesWith({ FOOTFALL_INSPECTOR: 'true', FOOTFALL_ADMIN_HOST: '::1' })).toEqual([]);
  });

  it('refuses to start without a token when the admin listener is reachable from elsewhere', () => {
    expect(issuesWith({ FOOTFALL_INSPECTOR: 'true', FOOTFALL_ADMIN_HOST: '0.0.0.0' })).toEqual([
      {
        path: 'inspector.token',
        message: expect.stringContaining('a token is needed while admin.host (0.0.0.0) is not loopback'),
        origin: 'default',
      },
    ]);
    const result = loadConfig({
      env: { FOOTFALL_INSPECTOR: 'true', FOOTFALL_ADMIN_HOST: '0.0.0.0', FOOTFALL_INSPECTOR_TOKEN: TOKEN },
    });
    expect(result.ok && result.config.inspector.token).toBe(TOKEN);
  });

  it('refuses a short token', () => {
    expect(issuesWith({ FOOTFALL_INSPECTOR_TOKEN: 'short' })).toEqual([
      {
        path: 'inspector.token',
        message: expect.stringContaining('16 characters'),
        origin: 'environment variable FOOTFALL_INSPECTOR_TOKEN',
      },
    ]);
  });

  it('refuses workers: the inspector lives in one process', () => {
    expect(issuesWith({ FOOTFALL_INSPECTOR: 'true', FOOTFALL_WORKERS: '2' })).toEqual([
      {
        path: 'inspector.enabled',
        message: 'the inspector runs in a single process: set server.workers to 1 while inspecting',
        origin: 'environment variable FOOTFALL_INSPECTOR',
      },
    ]);
  });
});
