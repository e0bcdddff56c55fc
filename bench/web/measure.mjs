// Pishkhan's web benchmark, driven by run.sh (which builds what this measures):
//   node measure.mjs --server <pishkhan> --app <dist> --empty <dist> [--runs 5] [--out results.md]
//
// For the student app and for an empty Leptos page (the framework floor), each served by
// `pishkhan serve`:
//   - the bytes of everything a first visit downloads (raw, gzip -9, brotli q11, and what the
//     server actually sent for Accept-Encoding: br);
//   - cold load-to-interactive (fresh profile) and warm load-to-interactive (a repeat visit in
//     the same profile: for the app answered by its service worker, for the empty page by the
//     HTTP cache), median of --runs, in headless Chromium with 4x CPU throttling and Fast 3G
//     (DevTools protocol: 562.5 ms latency, 180000 B/s down, 84375 B/s up).
// "Interactive" is the moment <html> gets the attribute data-app-ready (set by the app after it
// mounted), timed with performance.now() from the start of the navigation.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const RUNS = Number(args.runs ?? 5);
const CHROMIUM = args.chromium ?? "/usr/bin/chromium";
const READY_TIMEOUT_MS = 120_000;
// If the app never sets data-app-ready, the time of Trunk's "TrunkApplicationStarted" event
// (fired once the wasm's main() returned, i.e. after mounting) is used instead, and said so.
const FALLBACK_GRACE_MS = 5_000;

const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: 180_000,
  uploadThroughput: 84_375,
  connectionType: "cellular3g",
};
const CPU_SLOWDOWN = 4;
const LOAD_BEFORE = os.loadavg();
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Runs in every page before its own scripts: records when data-app-ready appears.
function probe() {
  const bench = (window.__bench = { ready: null, started: null });
  const check = () => {
    const root = document.documentElement;
    if (bench.ready === null && root && root.hasAttribute("data-app-ready")) {
      bench.ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-app-ready"],
  });
  addEventListener("TrunkApplicationStarted", () => {
    bench.started = performance.now();
    check();
  });
}

/** Starts `pishkhan serve` on a free port; resolves to { url, stop }. */
function startServer(binary, dist) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--addr", "127.0.0.1:0", "--dist", dist], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.once("error", reject);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n")) {
        const match = line.match(/^pishkhan listening on (http:\/\/\S+)$/);
        if (!match) return reject(new Error(`unexpected first line: ${line}`));
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({
          url: match[1],
          stop: () =>
            new Promise((done) => {
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
      }
    });
  });
}

/** Emulation on one page: Fast 3G and 4x slower CPU. Returns the CDP session. */
async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", FAST_3G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return cdp;
}

/** Records every response a page receives over CDP: url, bytes on the wire, service worker. */
function recordTransfers(cdp) {
  const byId = new Map();
  cdp.on("Network.responseReceived", (e) => {
    byId.set(e.requestId, {
      url: e.response.url,
      status: e.response.status,
      fromServiceWorker: Boolean(e.response.fromServiceWorker),
      fromDiskCache: Boolean(e.response.fromDiskCache),
      bytes: 0,
    });
  });
  cdp.on("Network.loadingFinished", (e) => {
    const entry = byId.get(e.requestId);
    if (entry) entry.bytes = e.encodedDataLength;
  });
  return byId;
}

/** Loads `url` in `page` and resolves to { ms, via } once the app is interactive. */
async function loadToInteractive(page, url) {
  await page.goto(url, { waitUntil: "commit", timeout: READY_TIMEOUT_MS });
  const handle = await page.waitForFunction(
    (grace) => {
      const b = window.__bench;
      if (!b) return null;
      if (b.ready !== null) return { ms: b.ready, via: "data-app-ready" };
      if (b.started !== null && performance.now() - b.started > grace) {
        return { ms: b.started, via: "TrunkApplicationStarted" };
      }
      return null;
    },
    FALLBACK_GRACE_MS,
    { timeout: READY_TIMEOUT_MS, polling: 20 },
  );
  const ready = await handle.jsonValue();
  // Where the time went: the HTML in hand, and the app's script and wasm in hand.
  const phases = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const code = performance
      .getEntriesByType("resource")
      .filter((e) => /\.(?:js|wasm)$/.test(new URL(e.name).pathname))
      .filter((e) => !new URL(e.name).pathname.endsWith("register-sw.js"));
    return {
      html: nav ? nav.responseEnd : null,
      code: code.length ? Math.max(...code.map((e) => e.responseEnd)) : null,
    };
  });
  return { ...ready, ...phases };
}

/** One cold visit in a fresh profile, then one warm (repeat) visit in a new tab of it. */
async function visitPair(base, { serviceWorker }) {
  const profile = mkdtempSync(path.join(os.tmpdir(), "pishkhan-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
  });
  try {
    await context.addInitScript(probe);
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await throttle(context, page);
    const transfers = recordTransfers(cdp);
    const cold = await loadToInteractive(page, `${base}/`);
    await page.waitForLoadState("load");
    let shell = [];
    if (serviceWorker) {
      // The worker precaches the shell on install and claims the page on activate.
      shell = await page.evaluate(async () => {
        if (!("serviceWorker" in navigator)) return [];
        await navigator.serviceWorker.ready;
        while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
        const urls = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) urls.push(request.url);
        }
        return urls;
      });
    }
    // Let fonts and other late requests finish before counting.
    await page.waitForLoadState("networkidle").catch(() => {});
    const coldTransfers = [...transfers.values()];
    await page.close();

    const again = await context.newPage();
    const cdp2 = await throttle(context, again);
    const warmTransfers = recordTransfers(cdp2);
    const warm = await loadToInteractive(again, `${base}/`);
    const navigation = [...warmTransfers.values()].find((t) => t.url === `${base}/`);
    return {
      cold,
      warm: { ...warm, fromServiceWorker: Boolean(navigation?.fromServiceWorker) },
      coldTransfers,
      shell,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The file in `dist` that answers `pathname` (client routes get index.html). */
function fileFor(dist, pathname) {
  const relative = decodeURIComponent(pathname).replace(/^\/+/, "");
  const candidate = path.join(dist, relative);
  if (relative && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const last = relative.split("/").pop();
  if (!relative || !last.includes(".")) return path.join(dist, "index.html");
  return null;
}

/** Bytes the server sends for `pathname` with Accept-Encoding: br, and the encoding it used. */
function servedBrotli(base, pathname) {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${pathname}`, { headers: { "accept-encoding": "br" } }, (res) => {
        let bytes = 0;
        res.on("data", (chunk) => (bytes += chunk.length));
        res.on("end", () =>
          resolve({ bytes, encoding: res.headers["content-encoding"] ?? "identity" }),
        );
      })
      .on("error", reject);
  });
}

async function sizes(base, dist, pathnames) {
  const rows = [];
  for (const pathname of [...pathnames].sort()) {
    const file = fileFor(dist, pathname);
    if (!file) continue;
    const raw = readFileSync(file);
    const gzip = zlib.gzipSync(raw, { level: 9 }).length;
    const brotli = zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }).length;
    const served = await servedBrotli(base, pathname);
    rows.push({ pathname, raw: raw.length, gzip, brotli, served: served.bytes, encoding: served.encoding });
  }
  const total = (key) => rows.reduce((sum, row) => sum + row[key], 0);
  return { rows, raw: total("raw"), gzip: total("gzip"), brotli: total("brotli"), served: total("served") };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n) => (n / 1000).toFixed(1);
const sec = (ms) => (ms / 1000).toFixed(2);

/** Summarises the runs of one page. */
async function summarise(name, server, dist, visits, { serviceWorker }) {
  // What the first visit downloads: the page's own requests plus what the worker precached
  // (and sw.js itself), same origin, by path.
  const origin = new URL(server.url).origin;
  const pathnames = new Set();
  for (const t of visits[0].coldTransfers) {
    const url = new URL(t.url);
    if (url.origin === origin && !url.pathname.startsWith("/api/")) pathnames.add(url.pathname);
  }
  for (const u of visits[0].shell) pathnames.add(new URL(u).pathname);
  if (serviceWorker && visits[0].shell.length) pathnames.add("/sw.js");
  // "/" and "/index.html" are the same file.
  if (pathnames.has("/") && pathnames.has("/index.html")) pathnames.delete("/index.html");
  const bytes = await sizes(server.url, dist, pathnames);
  const wire = visits[0].coldTransfers.reduce((sum, t) => sum + t.bytes, 0);
  return {
    name,
    bytes,
    wire,
    cold: median(visits.map((v) => v.cold.ms)),
    warm: median(visits.map((v) => v.warm.ms)),
    phases: Object.fromEntries(
      ["cold", "warm"].flatMap((kind) =>
        ["html", "code"].map((phase) => [
          `${kind}_${phase}`,
          median(visits.map((v) => v[kind][phase] ?? NaN)),
        ]),
      ),
    ),
    coldAll: visits.map((v) => v.cold.ms),
    warmAll: visits.map((v) => v.warm.ms),
    via: [...new Set(visits.flatMap((v) => [v.cold.via, v.warm.via]))],
    warmFromServiceWorker: visits.every((v) => v.warm.fromServiceWorker),
  };
}

/** Both pages, runs interleaved (app, empty, app, …) so that drift hits both alike. */
async function measureBoth() {
  const pages = [
    { key: "app", name: "student app", dist: args.app, serviceWorker: true, visits: [] },
    { key: "empty", name: "empty Leptos page", dist: args.empty, serviceWorker: false, visits: [] },
  ];
  for (const page of pages) page.server = await startServer(args.server, page.dist);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const page of pages) {
        const visit = await visitPair(page.server.url, page);
        process.stderr.write(
          `${page.name} run ${i + 1}/${RUNS}: cold ${sec(visit.cold.ms)} s (${visit.cold.via}), ` +
            `warm ${sec(visit.warm.ms)} s (${visit.warm.fromServiceWorker ? "service worker" : "network/HTTP cache"})\n`,
        );
        page.visits.push(visit);
      }
    }
    const out = {};
    for (const page of pages) {
      out[page.key] = await summarise(page.name, page.server, page.dist, page.visits, page);
    }
    return out;
  } finally {
    for (const page of pages) await page.server.stop();
  }
}

function report(app, empty) {
  const lines = [];
  const say = (s = "") => lines.push(s);
  const chromiumVersion = args["chromium-version"] ?? "Chromium";
  say("# Web benchmark: first-visit bytes and load-to-interactive");
  say();
  say(`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`bash bench/web/run.sh\` ` +
    `on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"} (${chromiumVersion}, ` +
    `playwright-core, median of ${RUNS}).`);
  say();
  say("## Summary");
  say();
  say("| | student app | empty Leptos page | target |");
  say("|---|---:|---:|---|");
  const ratio = app.cold / empty.cold;
  say(`| first visit, brotli (q11) | ${kb(app.bytes.brotli)} kB | ${kb(empty.bytes.brotli)} kB | ≤ 250 kB: ${app.bytes.brotli <= 250_000 ? "met" : "**missed**"} |`);
  say(`| first visit, as served (Accept-Encoding: br) | ${kb(app.bytes.served)} kB | ${kb(empty.bytes.served)} kB | |`);
  say(`| first visit, gzip -9 | ${kb(app.bytes.gzip)} kB | ${kb(empty.bytes.gzip)} kB | |`);
  say(`| first visit, raw | ${kb(app.bytes.raw)} kB | ${kb(empty.bytes.raw)} kB | |`);
  say(`| cold load-to-interactive | ${sec(app.cold)} s | ${sec(empty.cold)} s | ≤ 1.3 × empty: ${ratio.toFixed(2)} × ${ratio <= 1.3 ? "met" : "**missed**"} |`);
  say(`| warm (repeat visit) load-to-interactive | ${sec(app.warm)} s${app.warmFromServiceWorker ? " (service worker)" : " (**not** from the service worker)"} | ${sec(empty.warm)} s (HTTP cache) | ≤ 0.4 s: ${app.warm <= 400 ? "met" : "**missed**"} |`);
  say();
  say("Median time at which the page had its HTML, and its script and wasm (navigation and resource " +
    "timing), then interactive, seconds:");
  say();
  say("| | HTML | script + wasm | interactive |");
  say("|---|---:|---:|---:|");
  for (const [r, kind] of [[app, "cold"], [app, "warm"], [empty, "cold"], [empty, "warm"]]) {
    say(`| ${r.name}, ${kind} | ${sec(r.phases[`${kind}_html`])} | ${sec(r.phases[`${kind}_code`])} | ${sec(r[kind])} |`);
  }
  say();
  say(`Load average of the machine (${os.cpus().length} cores) before and after the runs: ` +
    `${LOAD_BEFORE.map((x) => x.toFixed(1)).join(" ")} → ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} ` +
    "(1, 5, 15 min); times are only comparable within one run, and only on an otherwise idle machine across runs.");
  say();
  say(`All runs, seconds — app cold: ${app.coldAll.map(sec).join(", ")}; app warm: ${app.warmAll.map(sec).join(", ")}; ` +
    `empty cold: ${empty.coldAll.map(sec).join(", ")}; empty warm: ${empty.warmAll.map(sec).join(", ")}.`);
  say();
  for (const r of [app, empty]) {
    if (!r.via.includes("data-app-ready") || r.via.length > 1) {
      say(`**Note:** for the ${r.name} "interactive" was taken (in some runs) from Trunk's ` +
        `\`TrunkApplicationStarted\` event because \`data-app-ready\` never appeared: ${r.via.join(", ")}.`);
      say();
    }
  }
  for (const r of [app, empty]) {
    say(`## What a first visit downloads: ${r.name}`);
    say();
    say("| path | raw | gzip -9 | brotli q11 | served (br) |");
    say("|---|---:|---:|---:|---:|");
    for (const row of r.bytes.rows) {
      say(`| \`${row.pathname}\` | ${row.raw} | ${row.gzip} | ${row.brotli} | ${row.served} ${row.encoding === "identity" ? "(as is)" : `(${row.encoding})`} |`);
    }
    say(`| **total** | **${r.bytes.raw}** | **${r.bytes.gzip}** | **${r.bytes.brotli}** | **${r.bytes.served}** |`);
    say();
    say(`Bytes on the wire seen by the page during its cold load (DevTools \`encodedDataLength\`, headers included, the service worker's own fetches not included): ${r.wire}.`);
    say();
  }
  say("## How it was measured");
  say();
  say("- Builds: `trunk build --release --offline` of `app/index.html` and of `bench/empty-app/index.html` " +
    "(an empty Leptos 0.8 CSR page that mounts one paragraph and sets `data-app-ready`), both with the " +
    "`wasm-release` profile (`opt-level = \"z\"`, LTO, `codegen-units = 1`, `panic = \"abort\"`) and " +
    "`wasm-opt -Oz` (npm binaryen 132), each into its own dist directory.");
  say("- Each dist is served by the project's server, `target/release/pishkhan serve --addr 127.0.0.1:0 --dist <dir>` " +
    "(brotli/gzip, precompressed `.br`/`.gz` files when present, immutable caching of hashed files).");
  say("- Browser: Chromium (`/usr/bin/chromium`) through playwright-core, `" + CHROMIUM_ARGS.join(" ") +
    "`, a fresh `--user-data-dir` per run, viewport 390×844.");
  say("- Emulation on every page through a DevTools protocol session: `Emulation.setCPUThrottlingRate` 4 and " +
    "`Network.emulateNetworkConditions` latency 562.5 ms, download 180000 B/s (1.44 Mbit/s), upload 84375 B/s (Fast 3G).");
  say("- Cold: the first visit to `/` in the fresh profile. Warm: then, in the same profile, a new tab loads `/` again " +
    "(for the app after its service worker is active and controls the page: the navigation and every file come " +
    "from the worker's cache; for the empty page from the HTTP cache, with a revalidation of index.html over the emulated network).");
  say("- Load-to-interactive: `performance.now()` (0 = navigation start) when `<html>` gets `data-app-ready`, " +
    "seen by a MutationObserver installed before the page's scripts.");
  say("- Bytes: every same-origin file the page requested during the cold visit plus everything the service " +
    "worker precached (and `sw.js`); raw, gzip level 9 and brotli quality 11 computed from the dist files " +
    "(Node's zlib), and what the server actually sends for `Accept-Encoding: br`. kB = 1000 bytes.");
  return lines.join("\n") + "\n";
}

/** In --out, everything from this line on is kept when the report above it is rewritten. */
const KEEP = "<!-- measure.mjs rewrites the report above this line and keeps everything below it -->";

async function main() {
  for (const key of ["server", "app", "empty"]) {
    if (!args[key]) throw new Error(`--${key} is required`);
  }
  const { app, empty } = await measureBoth();
  const text = report(app, empty);
  process.stdout.write(text);
  if (args.out) {
    // Sections other scripts keep in the same file (autosave.mjs, notes) follow KEEP and stay.
    const old = existsSync(args.out) ? readFileSync(args.out, "utf8") : "";
    const kept = old.indexOf(KEEP);
    writeFileSync(args.out, kept >= 0 ? `${text}\n${old.slice(kept)}` : text);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
