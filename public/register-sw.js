/* Registers Pishkhan's service worker (public/sw.js), which keeps the app working offline.
   Loaded with <script defer> from index.html (no inline script, for a strict CSP). Registration
   waits for the page's own load, so the worker's precaching never competes with the first
   download of the app. */
if ("serviceWorker" in navigator) {
  const register = () =>
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
      console.warn("Pishkhan: the service worker could not be registered", error);
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
