import { describe, expect, it } from 'vitest';
import { collectorPerTest } from '../../support/collector.js';

const { start } = collectorPerTest('server: { shutdownDelay: 0 }\n');

describe('the demo page and the inspector', () => {
  it('says how to switch the inspector on while it is off', async () => {
    const c = await start();
    const page = await c.app.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('<code>FOOTFALL_INSPECTOR=true</code>');
    expect(page.body).not.toContain('/inspect"');
  });

  it('links to the inspector on the admin listener while it is on', async () => {
    const c = await start(
      'admin: { host: 0.0.0.0, port: 18291 }\ninspector: { enabled: true, token: 0123456789abcdef }\n',
    );
    const page = await c.app.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('<a href="http://127.0.0.1:18291/inspect">inspector</a>');
    // The token is the admin listener's secret; the public page never shows it.
    expect(page.body).not.toContain('0123456789abcdef');
  });
});
