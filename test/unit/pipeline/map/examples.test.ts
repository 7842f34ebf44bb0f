// Importing the example mappings statically also puts them under the type check of `npm run
// typecheck`, including their `import type { Mapper } from 'footfall'`.
import { describe, expect, it } from 'vitest';
import minimalClicks from '../../../../docker/config/mappings/minimal-clicks.js';
import shopEvents from '../../../../docker/config/mappings/shop-events.js';
import { EventContext } from '../../../../src/pipeline/map/context.js';
import { SYNTHETIC_EVENTS, syntheticEnrichment } from '../../../../src/pipeline/map/synthetic.js';
import { verifyMapper } from '../../../../src/pipeline/map/verify.js';
import { createCodec, resolveSchema } from '../../../../src/schema/index.js';

const dir = 'docker/config/mappings';

describe('the example mappings', () => {
  it('pass the start-up check against their schemas', () => {
    const clicks = createCodec(resolveSchema('minimal-clicks.avsc', dir));
    const shop = createCodec(resolveSchema('shop-events.avsc', dir));
    expect(verifyMapper(minimalClicks, clicks, { what: 'minimal' }).encoded).toBe(SYNTHETIC_EVENTS.length);
    expect(verifyMapper(shopEvents, shop, { what: 'shop' })).toEqual({
      encoded: 3,
      discarded: ['a JSON-source event that asks not to be tracked'],
    });
  });

  it('map the shop’s product pages, prices and campaigns', () => {
    const { event, flags } = SYNTHETIC_EVENTS[1]!;
    const ctx = new EventContext(
      { ...event, location: 'https://shop.example.com/products/p-42?utm_campaign=spring' },
      flags,
      syntheticEnrichment(),
    );
    expect(shopEvents(ctx.event, ctx)).toMatchObject({
      pageType: 'product',
      productId: 'p-42',
      price: 19.95,
      quantity: 2,
      campaign: 'spring',
      internalReferrer: true,
      country: 'US',
      deviceCategory: 'Smartphone',
      tags: ['sale'],
    });
  });
});
