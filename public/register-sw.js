/* Registers the service worker (public/sw.js: offline) once the app is interactive
   (`<html data-app-ready>`), the page has loaded and the main thread is idle, so nothing of it
   competes with the app's own download; then asks it to cache the other bundles in the background
   (the student app's tools, the request forms, and kiosk mode's files when it is on) so that every page works offline after
   this first visit — unless the browser asks to save data (`navigator.connection.saveData`, the
   setting behind the `Save-Data` header), which `<html data-save-data>` tells the start page.
   The outcome is `<html data-offline-bundles="cached|save-data|failed">`.
   Keeps the language shown in the `pishkhan_lang` cookie, by which the server and the worker pick
   a prerendered page (app/src/bin/prerender.rs) in the student's language.
   Also loads kiosk mode's bundle when it is on.
   A file (strict CSP: no inline script), run before the app's script, which may change the URL. */
const root = document.documentElement;
const saveData = Boolean(navigator.connection && navigator.connection.saveData);
if (saveData) root.setAttribute("data-save-data", "");

// On or off as Config::resolve and ::stored (app/src/kiosk/config.rs).
let kioskOn = false;
try {
  const key = "pishkhan.kiosk", query = location.search;
  let on = localStorage.getItem(key) === "1";
  query.replace(/[?&]kiosk=([^&]*)/g, (_, v) => {
    on = /^(1|true|on)$/.test(v) || (on && !/^(0|false|off)$/.test(v));
  });
  kioskOn = on;
  if (on) {
    document.head.insertAdjacentHTML("beforeend", '<link rel="stylesheet" href="/kiosk/kiosk.css">');
    import("/kiosk/kiosk.js").then(async (m) => {
      await m.default({ module_or_path: "/kiosk/kiosk_bg.wasm" });
      m.start(query);
    });
  } else {
    localStorage.removeItem(key);
    localStorage.removeItem(key + ".idle");
  }
} catch {}

const interactive = new Promise((resolve) => {
  if (root.hasAttribute("data-app-ready")) return resolve();
  const watch = new MutationObserver(() => {
    if (root.hasAttribute("data-app-ready")) {
      watch.disconnect();
      resolve();
    }
  });
  watch.observe(root, { attributes: true, attributeFilter: ["data-app-ready"] });
});

// The language the app shows (`<html lang>`, from local storage), from its start and every switch.
interactive.then(() => {
  const keep = () => {
    if (document.cookie.split("; ").includes("pishkhan_lang=" + root.lang)) return;
    document.cookie = "pishkhan_lang=" + root.lang + "; path=/; max-age=31536000; samesite=lax";
  };
  keep();
  new MutationObserver(keep).observe(root, { attributes: true, attributeFilter: ["lang"] });
});

if ("serviceWorker" in navigator) {
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else addEventListener("load", resolve, { once: true });
  });
  const idle = () =>
    new Promise((resolve) =>
      "requestIdleCallback" in window ? requestIdleCallback(resolve, { timeout: 2000 }) : setTimeout(resolve, 0),
    );
  const mark = (value) => root.setAttribute("data-offline-bundles", value);

  Promise.all([interactive, loaded])
    .then(idle)
    .then(() => navigator.serviceWorker.register("/sw.js", { scope: "/" }))
    .then(async () => {
      if (saveData) return mark("save-data");
      const { active } = await navigator.serviceWorker.ready;
      await idle();
      const channel = new MessageChannel();
      const answer = new Promise((resolve) => (channel.port1.onmessage = (event) => resolve(event.data)));
      active.postMessage({ type: "cache-bundles", kiosk: kioskOn }, [channel.port2]);
      const { ok, error } = await answer;
      if (!ok) throw new Error(error);
      mark("cached");
    })
    .catch((error) => {
      mark("failed");
      console.warn("Pishkhan: the service worker could not make every page available offline", error);
    });
}
