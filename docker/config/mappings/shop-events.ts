/**
 * A mapping in a shop's own terms, showing the TypeScript form of the Divolte mapping DSL's constructs:
 * conditions (`when ... apply`), early exits (`stop()`), regular expressions on URL parts (`match`),
 * query parameters, event parameters by path, cookies, headers, geo and user-agent values. Its schema is
 * shop-events.avsc.
 */
import type { JsonValue, Mapper } from 'footfall';

/** One record of shop-events.avsc. */
export interface ShopEvent {
  timestamp: number;
  partyId: string | null;
  eventType: string;
  pageType: 'home' | 'product' | 'search' | 'cart' | 'other' | 'app';
  productId: string | null;
  price: number | null;
  quantity: number | null;
  searchQuery: string | null;
  campaign: string | null;
  clickId: string | null;
  internalReferrer: boolean | null;
  consented: boolean;
  language: string | null;
  country: string | null;
  city: string | null;
  deviceCategory: string | null;
  tags: string[];
}

const PRODUCT_PAGE = /^\/products\/(?<id>[\w-]+)\/?$/;

const shopEvents: Mapper<ShopEvent> = (event, ctx) => {
  const ua = ctx.userAgent();
  // Divolte: `when userAgent().type().equalTo('Robot') stop()`. Null discards the event.
  if (ua.isBot) return null;

  const location = ctx.location();
  const path = location?.path ?? null;
  const productPage = path === null ? null : PRODUCT_PAGE.exec(path);

  let pageType: ShopEvent['pageType'] = 'other';
  if (event.sourceType === 'json') pageType = 'app';
  else if (path === '/') pageType = 'home';
  else if (productPage) pageType = 'product';
  else if (path === '/search') pageType = 'search';
  else if (path?.startsWith('/cart')) pageType = 'cart';

  const geo = ctx.geo();
  return {
    timestamp: event.receivedAt,
    partyId: ctx.doNotTrack ? null : event.partyId,
    eventType: event.eventType ?? 'unknown',
    pageType,
    productId: productPage?.groups?.id ?? text(ctx.parameter('product.id')),
    price: number(ctx.parameter('product.price')),
    quantity: integer(ctx.parameter('quantity')),
    searchQuery: pageType === 'search' ? (location?.param('q') ?? null) : null,
    campaign: ctx.campaign().utmCampaign,
    clickId: ctx.campaign().clickId,
    internalReferrer: ctx.referrerInternal(),
    consented: ctx.cookie('consent') === 'yes',
    language: ctx.header('accept-language')?.split(/[,;]/)[0]?.trim() || null,
    country: geo?.countryCode ?? null,
    city: geo?.cityName ?? null,
    deviceCategory: ua.footfall.deviceCategory,
    tags: strings(ctx.parameter('product.tags')),
  };
};

export default shopEvents;

// Divolte's `parse ... to int32` and friends: a value of the wrong shape is absent, never an error.
function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function number(value: JsonValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function integer(value: JsonValue | undefined): number | null {
  const n = number(value);
  return n !== null && Number.isInteger(n) && Math.abs(n) <= 2 ** 31 - 1 ? n : null;
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
