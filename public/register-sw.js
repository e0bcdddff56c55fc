/* Registers the service worker (public/sw.js: offline) once the page has loaded, so its
   precaching never competes with the app's download; loads kiosk mode's bundle when it is on.
   A file (strict CSP: no inline script), run before the app's script, which may change the URL. */
if ("serviceWorker" in navigator) {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
      console.warn("Pishkhan: the service worker could not be registered", error);
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

// On or off as Config::resolve and ::stored (app/src/kiosk/config.rs).
try {
  const key = "pishkhan.kiosk", query = location.search;
  let on = localStorage.getItem(key) === "1";
  query.replace(/[?&]kiosk=([^&]*)/g, (_, v) => {
    on = /^(1|true|on)$/.test(v) || (on && !/^(0|false|off)$/.test(v));
  });
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
