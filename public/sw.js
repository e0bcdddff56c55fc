// Pishkhan's service worker: the app shells (student app, its tools, request forms) cached for offline use.
// How it caches and updates: docs/service-worker.md.

const CACHE_PREFIX = "pishkhan-";
// The shells: the cache each is kept in, its index, and the navigations it answers.
const APP = { cache: "pishkhan-shell-v1", index: "/index.html" };
const TOOLS = { cache: "pishkhan-tools-v1", index: "/tools/index.html" };
const FORMS = { cache: "pishkhan-forms-v1", index: "/forms/index.html" };
// The student app's tools bundle's routes: the pre-check's and the one-page tools' (app/src/student/app.rs
// is_tools_route).
const TOOLS_ROUTES = ["/deadline/revocation", "/deadline/presentation", "/travel", "/discharge"];
const isToolsRoute = (path) => {
  const route = path.replace(/\/$/, "");
  return route === "/precheck" || route.startsWith("/precheck/") || TOOLS_ROUTES.includes(route);
};

/** The shell that answers a navigation to `path`. */
function shellFor(path) {
  const forms = path.startsWith("/requests/") || ["/drafts", "/track", "/signin"].some((p) => path === p || path.startsWith(p + "/"));
  if (forms) return FORMS;
  return isToolsRoute(path) ? TOOLS : APP;
}
// Files the shell needs that index.html does not name itself: the small icon only. The large
// and maskable icons are fetched by the browser when the app is installed, not on a first visit.
const EXTRA = ["/icons/icon-192.png"];
// File types worth precaching when index.html or a stylesheet references them.
const ASSET = /\.(?:js|mjs|wasm|css|woff2?|png|svg|ico|webmanifest|json)$/;
// Trunk's content-hashed names: app-<hex>.js, app-<hex>_bg.wasm, main-<hex>.css.
const HASHED = /-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css)$/;

self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP.cache);
      const response = await fetch(APP.index, { cache: "no-cache" });
      if (!response.ok) throw new Error(`index.html: HTTP ${response.status}`);
      await storeShell(cache, APP, response);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && ![APP.cache, TOOLS.cache, FORMS.cache].includes(name))
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  // The staff area is never cached: clerks work online, and its pages and answers are not the
  // student's to keep on a shared device.
  if (url.pathname === "/staff" || url.pathname.startsWith("/staff/")) return;
  // The sandbox payment gateway's pages are the server's, not the app's (a bank's in production).
  if (url.pathname.startsWith("/sandbox-gateway/")) return;
  if (url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/kiosk/")) return event.respondWith(networkFirst(event, url));
  if (request.mode === "navigate" && isAppRoute(url.pathname)) {
    event.respondWith(navigate(event, shellFor(url.pathname), url.pathname));
    return;
  }
  if (ASSET.test(url.pathname)) event.respondWith(cacheFirst(request, url));
});

// The other bundles, cached in the background when a page asks (public/register-sw.js, once the
// first visit is interactive and idle, unless the browser asks to save data): the student app's
// tools and the request forms' shells, kiosk mode's files when kiosk mode is on, and the prerendered pages. The answer goes back
// on the message's port.
const KIOSK_FILES = ["/kiosk/kiosk.js", "/kiosk/kiosk_bg.wasm", "/kiosk/kiosk.css"];
// The student app's first pages prerendered at build time (app/src/bin/prerender.rs), per
// language: /prerendered/<lang><route>.html, `/` as `/index`; their list in routes.json.
const PRERENDERED = "/prerendered/";

/** The cached prerendered page of a student app route in the language of the `pishkhan_lang`
    cookie (Persian without it), or null (no page for that route, no Cookie Store API here). */
async function prerenderedPage(cache, path) {
  if (!self.cookieStore) return null;
  let lang = "fa";
  try {
    if ((await self.cookieStore.get("pishkhan_lang"))?.value === "en") lang = "en";
  } catch {
    return null;
  }
  const route = path.replace(/\/+$/, "") || "/index";
  return (await cache.match(`${PRERENDERED}${lang}${route}.html`, { ignoreVary: true })) || null;
}

/** Caches the prerendered pages in `lang` (a build without them has no routes.json: nothing). */
async function cachePrerendered(cache, lang) {
  if (lang !== "fa" && lang !== "en") return;
  const list = await fetch(`${PRERENDERED}routes.json`, { cache: "no-cache" });
  if (!list.ok) return;
  const routes = await list.json();
  await Promise.all(
    routes.map((route) => cacheFile(cache, `${PRERENDERED}${lang}${route === "/" ? "/index" : route}.html`)),
  );
}
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-bundles") return;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      for (const shell of [TOOLS, FORMS]) {
        const cache = await caches.open(shell.cache);
        const cached = await cache.match(shell.index, { ignoreVary: true });
        const response = await revalidate(cache, shell, cached ? cached.text() : Promise.resolve(null));
        if (!response.ok) throw new Error(`${shell.index}: HTTP ${response.status}`);
      }
      const app = await caches.open(APP.cache);
      if (data.kiosk) await Promise.all(KIOSK_FILES.map((path) => cacheFile(app, path)));
      // Both languages: a switch made offline finds its pages too.
      for (const lang of ["fa", "en"]) await cachePrerendered(app, lang);
    })().then(
      () => port && port.postMessage({ ok: true }),
      (error) => port && port.postMessage({ ok: false, error: String(error) }),
    ),
  );
});

/** A client route (no file extension) or the index itself. */
function isAppRoute(path) {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last === "" || last === "index.html" || !last.includes(".");
}

/** The shell's cached index (or the route's cached prerendered page) at once; a fresh index (and
    its files) fetched in the background. */
async function navigate(event, shell, path) {
  const cache = await caches.open(shell.cache);
  const cached = await cache.match(shell.index, { ignoreVary: true });
  // Read the cached copy's text now: the response itself goes to the page.
  const refresh = revalidate(cache, shell, cached ? cached.clone().text() : Promise.resolve(null));
  if (cached) {
    event.waitUntil(
      refresh.catch((error) => console.warn("Pishkhan: app update check failed", error)),
    );
    // The prerendered pages (the main bundle's and the tools') are kept in the app's cache.
    const pages = shell === FORMS ? null : shell === APP ? cache : await caches.open(APP.cache);
    return (pages && (await prerenderedPage(pages, path))) || cached;
  }
  // Nothing cached yet (the tools' or the forms' shell before the background caching has reached
  // it, or a cleared cache): the network answers at once (the server picks the prerendered page
  // in the cookie's language), and the shell is cached meanwhile (the page's own requests for the
  // same hashed files share the HTTP cache's download).
  event.waitUntil(refresh.catch((error) => console.warn("Pishkhan: caching a shell failed", error)));
  return fetch(event.request);
}

/** Fetches the shell's index; when it differs from the cached one (`oldText`), caches the new
    shell. Resolves to the fresh response, for a page that had no cached one. */
async function revalidate(cache, shell, oldText) {
  const response = await fetch(shell.index, { cache: "no-cache" });
  if (!response.ok) return response;
  const fresh = await response.clone().text();
  if (fresh !== (await oldText)) await storeShell(cache, shell, response.clone());
  return response;
}

/** Caches every file the shell's `indexResponse` needs, then the index itself, then drops the
    rest of that shell's cache. */
async function storeShell(cache, shell, indexResponse) {
  const html = await indexResponse.clone().text();
  const base = new URL(shell.index, self.location.origin).href;
  const wanted = new Set([...references(html, base), ...(shell === APP ? EXTRA : [])]);
  const stylesheets = [];
  await Promise.all(
    [...wanted].map(async (path) => {
      await cacheFile(cache, path);
      if (path.endsWith(".css")) stylesheets.push(path);
    }),
  );
  // Files named by the stylesheets (fonts), relative to each stylesheet.
  for (const sheet of stylesheets) {
    const response = await cache.match(sheet, { ignoreVary: true });
    if (!response) continue;
    const css = await response.text();
    const base = new URL(sheet, self.location.origin).href;
    for (const path of references(css, base)) {
      if (wanted.has(path)) continue;
      wanted.add(path);
      await cacheFile(cache, path);
    }
  }
  await cache.put(shell.index, indexResponse);
  wanted.add(shell.index);
  // Prerendered pages name the old files: dropped too, cached again by the next page's request.
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (!wanted.has(path) && !path.startsWith("/kiosk/")) await cache.delete(request);
  }
}

/** Same-origin paths of the assets named in `text` (quoted or url(...)), resolved against `base`. */
function references(text, base) {
  const found = new Set();
  const pattern = /(?:["'(])([^"'()\s<>]+?)(?:["')])/g;
  for (const match of text.matchAll(pattern)) {
    let url;
    try {
      url = new URL(match[1], base);
    } catch {
      continue;
    }
    if (url.origin !== self.location.origin) continue;
    if (!ASSET.test(url.pathname) || url.pathname === "/sw.js") continue;
    found.add(url.pathname);
  }
  return found;
}

/** Puts one file in the cache: a hashed file only when missing (its content never changes,
    and the HTTP cache usually has it from the page's own load), any other file revalidated
    with the server (usually a 304). */
async function cacheFile(cache, path) {
  const hashed = HASHED.test(path);
  if (hashed && (await cache.match(path, { ignoreVary: true }))) return;
  const response = await fetch(path, { cache: hashed ? "default" : "no-cache" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  await cache.put(path, response);
}

/** Cache-first for the shell's files; a miss goes to the network (and is kept when it is one of
    Trunk's hashed files, which never change). */
async function cacheFirst(request, url) {
  const cached = await caches.match(url.pathname, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && HASHED.test(url.pathname)) {
    const shell = [FORMS, TOOLS].find((s) => url.pathname.startsWith(s.index.replace("index.html", ""))) || APP;
    const cache = await caches.open(shell.cache);
    await cache.put(url.pathname, response.clone());
  }
  return response;
}

/** The network, a copy kept; the copy when the network fails. */
async function networkFirst(event, url) {
  const cache = await caches.open(APP.cache);
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(cache.put(url.pathname, response.clone()));
    return response;
  } catch (error) {
    return (await cache.match(url.pathname, { ignoreVary: true })) || Promise.reject(error);
  }
}
