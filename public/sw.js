// Pishkhan's service worker: the app shells (student app, request forms) cached for offline use.
// How it caches and updates: docs/service-worker.md.

const CACHE_PREFIX = "pishkhan-";
// The shells: the cache each is kept in, its index, and the navigations it answers.
const APP = { cache: "pishkhan-shell-v1", index: "/index.html" };
const FORMS = { cache: "pishkhan-forms-v1", index: "/forms/index.html" };

/** The shell that answers a navigation to `path`. */
function shellFor(path) {
  const forms = path.startsWith("/requests/") || ["/drafts", "/track", "/signin"].some((p) => path === p || path.startsWith(p + "/"));
  return forms ? FORMS : APP;
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
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== APP.cache && name !== FORMS.cache)
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
  if (url.pathname === "/sw.js") return;
  if (url.pathname.startsWith("/kiosk/")) return event.respondWith(networkFirst(event, url));
  if (request.mode === "navigate" && isAppRoute(url.pathname)) {
    event.respondWith(navigate(event, shellFor(url.pathname)));
    return;
  }
  if (ASSET.test(url.pathname)) event.respondWith(cacheFirst(request, url));
});

/** A client route (no file extension) or the index itself. */
function isAppRoute(path) {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return last === "" || last === "index.html" || !last.includes(".");
}

/** The shell's cached index at once; a fresh one (and its files) fetched in the background. */
async function navigate(event, shell) {
  const cache = await caches.open(shell.cache);
  const cached = await cache.match(shell.index, { ignoreVary: true });
  // Read the cached copy's text now: the response itself goes to the page.
  const refresh = revalidate(cache, shell, cached ? cached.clone().text() : Promise.resolve(null));
  if (cached) {
    event.waitUntil(
      refresh.catch((error) => console.warn("Pishkhan: app update check failed", error)),
    );
    return cached;
  }
  // Nothing cached yet (the worker installed but the cache was cleared): the network.
  try {
    return await refresh;
  } catch (error) {
    return fetch(event.request);
  }
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
    const cache = await caches.open(url.pathname.startsWith("/forms/") ? FORMS.cache : APP.cache);
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
