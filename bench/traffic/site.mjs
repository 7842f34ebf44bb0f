// The web shop the realistic workload visits: its pages (a catalogue ranked for Zipf popularity),
// where visitors come from (referrers, campaign tags, ad click ids) and the custom events its pages
// send. Everything random comes from the caller's seeded generator.

export const ORIGIN = 'https://www.shop.example';

const DEPARTMENTS = {
  women: [
    'jackets',
    'dresses',
    'knitwear',
    'jeans',
    'trousers',
    'shirts',
    't-shirts',
    'sneakers',
    'boots',
    'bags',
  ],
  men: [
    'jackets',
    'coats',
    'knitwear',
    'jeans',
    'chinos',
    'shirts',
    't-shirts',
    'sneakers',
    'boots',
    'watches',
  ],
  kids: ['jackets', 'pyjamas', 't-shirts', 'trousers', 'shoes', 'school-bags', 'rainwear', 'swimwear'],
  home: ['bedding', 'towels', 'cushions', 'lamps', 'rugs', 'tableware', 'candles', 'storage'],
  outdoor: [
    'tents',
    'sleeping-bags',
    'backpacks',
    'hiking-boots',
    'rain-jackets',
    'headlamps',
    'cookware',
    'poles',
  ],
};
const ADJECTIVES = [
  'classic',
  'relaxed',
  'slim',
  'oversized',
  'organic',
  'recycled',
  'lightweight',
  'waterproof',
  'cropped',
  'vintage',
  'essential',
  'heavyweight',
  'ribbed',
  'quilted',
  'packable',
  'insulated',
];
const COLOURS = [
  'black',
  'navy',
  'olive',
  'sand',
  'grey',
  'white',
  'burgundy',
  'forest-green',
  'rust',
  'sky-blue',
  'charcoal',
  'cream',
];
const MATERIALS = [
  'cotton',
  'linen',
  'merino',
  'down',
  'fleece',
  'denim',
  'leather',
  'canvas',
  'nylon',
  'cashmere',
];
const SIZES = ['xs', 's', 'm', 'l', 'xl', '38', '40', '42', '44'];
const SORTS = ['popular', 'newest', 'price-asc', 'price-desc'];
const TOPICS = [
  'layering',
  'waterproofing',
  'packing',
  'caring-for-wool',
  'choosing-boots',
  'winter-camping',
  'capsule-wardrobe',
  'repairing-down',
  'trail-running',
  'sleeping-warm',
  'washing-denim',
  'city-cycling',
  'family-hikes',
  'festival-season',
];
const ANGLES = [
  'a-beginners-guide-to',
  'ten-rules-for',
  'what-we-learned-about',
  'the-truth-about',
  'our-team-on',
  'five-mistakes-in',
  'a-weekend-of',
  'the-science-of',
  'questions-about',
  'notes-on',
];
const PLACES = [
  'amsterdam',
  'rotterdam',
  'utrecht',
  'the-hague',
  'eindhoven',
  'groningen',
  'antwerp',
  'ghent',
  'brussels',
  'cologne',
  'dusseldorf',
  'berlin',
  'hamburg',
  'munich',
  'paris',
  'lille',
  'london',
  'manchester',
  'copenhagen',
  'stockholm',
  'oslo',
  'vienna',
  'zurich',
  'milan',
  'madrid',
  'barcelona',
  'lisbon',
  'dublin',
  'prague',
  'warsaw',
];
const HELP = [
  'shipping',
  'returns',
  'sizing',
  'payment',
  'contact',
  'faq',
  'gift-cards',
  'track-order',
  'warranty',
  'care-guide',
  'privacy',
  'terms',
  'cookies',
  'accessibility',
  'sustainability',
  'careers',
];

/**
 * The site's pages, most popular first: the home page, the department pages, then everything else
 * in a seeded shuffle so that products, searches and articles mix at every rank. Each page is
 * `{ url, kind, sku?, price?, query? }`; with Zipf popularity over this order the head gets most
 * traffic and the long tail of products and articles a visit or two each.
 */
export function catalogue(rng, { products = 9000, articles = 1500, searches = 3000 } = {}) {
  const head = [{ url: `${ORIGIN}/`, kind: 'home' }];
  const tail = [];
  for (const [department, subs] of Object.entries(DEPARTMENTS)) {
    head.push({ url: `${ORIGIN}/c/${department}`, kind: 'category' });
    for (const sub of subs) {
      const base = `${ORIGIN}/c/${department}/${sub}`;
      tail.push({ url: base, kind: 'category' });
      for (let page = 2; page <= 5; page++) tail.push({ url: `${base}?page=${page}`, kind: 'category' });
      for (const sort of SORTS) tail.push({ url: `${base}?sort=${sort}`, kind: 'category' });
      for (const colour of COLOURS) tail.push({ url: `${base}?colour=${colour}`, kind: 'category' });
      for (const size of SIZES) tail.push({ url: `${base}?size=${size}&sort=popular`, kind: 'category' });
    }
  }
  const items = Object.values(DEPARTMENTS).flat();
  for (let i = 0; i < products; i++) {
    const item = rng.pick(items);
    const colour = rng.pick(COLOURS);
    const sku = `${100000 + i}`;
    const slug = `${rng.pick(ADJECTIVES)}-${rng.pick(MATERIALS)}-${item.replace(/s$/, '')}-${colour}`;
    const price = Math.round((9.95 + rng.next() * 240) * 100) / 100;
    const product = { url: `${ORIGIN}/p/${slug}-${sku}`, kind: 'product', sku, price };
    tail.push(product);
    // A third of the products are also reached with a preselected size or colour.
    if (i % 3 === 0) tail.push({ ...product, url: `${product.url}?size=${rng.pick(SIZES)}` });
  }
  for (let i = 0; i < searches; i++) {
    const words = [rng.pick([...COLOURS, ...ADJECTIVES, ...MATERIALS]), rng.pick(items)];
    if (i % 4 === 0) words.unshift(rng.pick(ADJECTIVES));
    const query = words.join(' ').replace(/-/g, ' ');
    const page = i % 7 === 0 ? '&page=2' : '';
    tail.push({ url: `${ORIGIN}/search?q=${query.replace(/ /g, '+')}${page}`, kind: 'search', query });
  }
  for (let i = 0; i < articles; i++) {
    const year = 2019 + (i % 7);
    const month = String(1 + ((i * 7) % 12)).padStart(2, '0');
    const slug = `${rng.pick(ANGLES)}-${rng.pick(TOPICS)}${i >= ANGLES.length * TOPICS.length ? `-${i}` : ''}`;
    tail.push({ url: `${ORIGIN}/journal/${year}/${month}/${slug}`, kind: 'article' });
  }
  for (const place of PLACES) tail.push({ url: `${ORIGIN}/stores/${place}`, kind: 'store' });
  for (const topic of HELP) tail.push({ url: `${ORIGIN}/help/${topic}`, kind: 'help' });
  for (const path of ['/account/login', '/account/orders', '/account/addresses', '/wishlist'])
    tail.push({ url: `${ORIGIN}${path}`, kind: 'account' });
  rng.shuffle(tail);
  return [...head, ...tail];
}

/** The checkout funnel after the cart; the confirmation URL carries the order number. */
export const CHECKOUT = ['/cart', '/checkout/shipping', '/checkout/payment', '/checkout/confirmation'].map(
  (path) => ({ url: `${ORIGIN}${path}`, kind: path.slice(path.lastIndexOf('/') + 1) }),
);

const SEARCH_ENGINES = [
  [20, 'https://www.google.com/'],
  [18, 'https://www.google.nl/'],
  [8, 'https://www.google.de/'],
  [3, 'https://www.google.be/'],
  [3, 'https://www.google.co.uk/'],
  [3, 'android-app://com.google.android.googlequicksearchbox/'],
  [7, 'https://www.bing.com/'],
  [3, 'https://duckduckgo.com/'],
  [2, 'https://www.ecosia.org/'],
  [1, 'https://search.yahoo.com/'],
];
const SOCIAL = [
  [25, 'https://l.facebook.com/', 'facebook'],
  [10, 'https://lm.facebook.com/', 'facebook'],
  [25, 'https://l.instagram.com/', 'instagram'],
  [8, 'https://t.co/', 'twitter'],
  [8, 'https://www.linkedin.com/', 'linkedin'],
  [4, 'android-app://com.linkedin.android/', 'linkedin'],
  [10, 'https://www.pinterest.com/', 'pinterest'],
  [6, 'https://www.reddit.com/', 'reddit'],
  [4, 'https://www.youtube.com/', 'youtube'],
];
const REFERRALS = [
  'https://tweakers.net/',
  'https://www.trustpilot.com/',
  'https://www.kieskeurig.nl/',
  'https://www.idealo.de/',
  'https://forum.hikers.example/',
  'https://news.ycombinator.com/',
  'https://www.outdoorgearlab.com/',
  'https://medium.com/',
];
const CAMPAIGNS = [
  'winter-sale-2025',
  'new-arrivals-w02',
  'outdoor-week',
  'loyalty-20-off',
  'free-shipping-weekend',
  'back-in-stock',
  'merino-launch',
  'last-chance',
  'member-preview',
  'gift-guide',
];

/** Base64url characters for ad click ids. */
const CLICK_ID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const clickId = (rng, prefix, length) => {
  let id = prefix;
  for (let i = 0; i < length; i++) id += CLICK_ID[Math.floor(rng.next() * 64)];
  return id;
};
const withQuery = (url, query) => `${url}${url.includes('?') ? '&' : '?'}${query}`;

/**
 * Where a visit comes from: its referrer (cross-site referrers are the origin only, as browsers send
 * them under the default referrer policy; none for typed, bookmarked and e-mail visits) and the
 * landing URL with the campaign tags and ad click ids that source adds. `returning` visitors come
 * direct more often.
 */
export function landing(rng, page, returning) {
  const roll = rng.next() * 100;
  const direct = returning ? 40 : 22;
  if (roll < direct) return { source: 'direct', referrer: undefined, url: page.url };
  if (roll < direct + 32)
    return { source: 'search', referrer: rng.weighted(SEARCH_ENGINES)[1], url: page.url };
  if (roll < direct + 40) {
    // Paid search: Google's auto-tagging adds a gclid; a third of the ads also carry UTM tags.
    const tags =
      rng.next() < 0.33
        ? `utm_source=google&utm_medium=cpc&utm_campaign=${rng.pick(CAMPAIGNS)}&utm_term=${encodeURIComponent(page.query ?? 'shop')}&`
        : '';
    return {
      source: 'paid',
      referrer: 'https://www.google.com/',
      url: withQuery(page.url, `${tags}gclid=${clickId(rng, 'Cj0KCQiA', 72)}`),
    };
  }
  if (roll < direct + 52) {
    const [, referrer, network] = rng.weighted(SOCIAL);
    let url = page.url;
    if (rng.next() < 0.4)
      url = withQuery(url, `utm_source=${network}&utm_medium=social&utm_campaign=${rng.pick(CAMPAIGNS)}`);
    if (network === 'facebook' || network === 'instagram')
      url = withQuery(url, `fbclid=${clickId(rng, 'IwAR', 58)}`);
    return { source: 'social', referrer, url };
  }
  if (roll < direct + 61) {
    const campaign = rng.pick(CAMPAIGNS);
    const content = rng.pick(['hero', 'product-grid', 'footer', 'banner']);
    // Gmail's app opens links with its own referrer; web mail sends none.
    const referrer = rng.next() < 0.2 ? 'android-app://com.google.android.gm/' : undefined;
    return {
      source: 'email',
      referrer,
      url: withQuery(
        page.url,
        `utm_source=newsletter&utm_medium=email&utm_campaign=${campaign}&utm_content=${content}`,
      ),
    };
  }
  if (roll < direct + 66) {
    return {
      source: 'affiliate',
      referrer: 'https://www.awin1.com/',
      url: withQuery(
        page.url,
        `utm_source=awin&utm_medium=affiliate&utm_campaign=${10000 + Math.floor(rng.next() * 900)}&awc=${clickId(rng, '1234_', 24)}`,
      ),
    };
  }
  return { source: 'referral', referrer: rng.pick(REFERRALS), url: page.url };
}

/**
 * The custom events a page view sends after its pageView, as `[type, parameters]`: what a shop's
 * tag plan typically has (cart, search, scroll depth, filters, video, purchase), a few parameters
 * each. `order` is the order number on a confirmation page.
 */
export function customEvents(rng, page, order) {
  const events = [];
  const chance = (p) => rng.next() < p;
  switch (page.kind) {
    case 'product':
      if (chance(0.3)) events.push(['imageZoom', { sku: page.sku, image: 1 + Math.floor(rng.next() * 6) }]);
      if (chance(0.12)) events.push(['sizeGuideOpen', { sku: page.sku }]);
      if (chance(0.22))
        events.push([
          'addToCart',
          { sku: page.sku, price: page.price, currency: 'EUR', quantity: chance(0.9) ? 1 : 2 },
        ]);
      break;
    case 'category':
      if (chance(0.3))
        events.push([
          'filter',
          { facet: rng.pick(['colour', 'size', 'price', 'brand']), value: rng.pick(COLOURS) },
        ]);
      if (chance(0.4)) events.push(['scrollDepth', { percent: rng.pick([25, 50, 75, 100]) }]);
      break;
    case 'search':
      events.push([
        'search',
        {
          query: page.query,
          results: Math.floor(rng.next() * 240),
          page: page.url.endsWith('page=2') ? 2 : 1,
        },
      ]);
      if (chance(0.5)) events.push(['searchResultClick', { position: 1 + Math.floor(rng.next() * 12) }]);
      break;
    case 'article':
      events.push(['scrollDepth', { percent: rng.pick([25, 50, 75, 100]) }]);
      if (chance(0.1))
        events.push([
          'videoPlay',
          {
            video: `yt-${Math.floor(rng.next() * 400)}`,
            autoplay: false,
            seconds: 30 + Math.floor(rng.next() * 600),
          },
        ]);
      break;
    case 'home':
      if (chance(0.3))
        events.push(['bannerClick', { campaign: rng.pick(CAMPAIGNS), slot: 1 + Math.floor(rng.next() * 4) }]);
      break;
    case 'confirmation': {
      const items = Array.from({ length: 1 + Math.floor(rng.next() * 3) }, () => ({
        sku: `${100000 + Math.floor(rng.next() * 9000)}`,
        price: Math.round((9.95 + rng.next() * 240) * 100) / 100,
        quantity: 1,
      }));
      const value = Math.round(items.reduce((sum, item) => sum + item.price, 0) * 100) / 100;
      events.push([
        'purchase',
        { order, value, currency: 'EUR', coupon: chance(0.2) ? 'WINTER10' : null, items },
      ]);
      break;
    }
  }
  if (chance(0.04))
    events.push(['newsletterSignup', { placement: rng.pick(['footer', 'popup', 'checkout']) }]);
  if (chance(0.03)) events.push(['outboundClick', { href: rng.pick(REFERRALS) }]);
  return events;
}
