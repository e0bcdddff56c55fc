// Pishkhan's web benchmark, driven by run.sh (which builds what this measures):
//   node measure.mjs --server <pishkhan> --app <dist> --empty <dist> [--before <dist>]
//                    [--static <dist>] [--runs 5] [--out results.md]
//
// For the student app, an empty Leptos page (the framework floor), with --before an older build
// of the app (a before/after in the same run) and with --static the app's prerendered start page
// alone, no script (the browser's own floor for the first paint: committing, parsing and laying
// out that HTML), each served by `pishkhan serve`:
//   - first contentful paint, largest contentful paint, interactive (<html data-app-ready>),
//     cumulative layout shift, the moment the HTML arrived, and the bytes on the wire;
//   - cold (a fresh profile) and repeat (a new tab in the same profile: for the app answered by
//     its service worker, for the empty page by the HTTP cache);
//   - under two profiles: Fast 3G + 4x CPU throttling (DevTools protocol: 562.5 ms latency,
//     180000 B/s down, 84375 B/s up) and no throttling at all;
//   - median of --runs (runs interleaved page by page, so that drift hits every page alike);
//   - the bytes of what a first visit needs (its own requests and the worker's install precache),
//     raw, gzip -9, brotli q11 and as served, and apart what the worker caches in the background
//     once the page is interactive (the other bundles: public/register-sw.js).

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
const PROFILES = [
  { key: "slow", name: "Fast 3G + 4× CPU", network: FAST_3G, cpu: CPU_SLOWDOWN },
  { key: "fast", name: "no throttling", network: null, cpu: 1 },
];
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

// Runs in every page before its own scripts: records when data-app-ready appears, the paints
// and the layout shifts.
function probe() {
  const bench = (window.__bench = { ready: null, started: null, fcp: null, lcp: null, shifts: [] });
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
  const observe = (type, each) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({ type, buffered: true });
    } catch {}
  };
  observe("paint", (e) => {
    if (e.name === "first-contentful-paint") bench.fcp = e.startTime;
  });
  observe("largest-contentful-paint", (e) => (bench.lcp = e.startTime));
  observe("layout-shift", (e) => {
    if (!e.hadRecentInput) bench.shifts.push([e.startTime, e.value]);
  });
}

/** Cumulative layout shift as Chrome reports it: the largest session window of shifts (gaps
    under 1 s, windows at most 5 s long). */
function cls(shifts) {
  let best = 0, sum = 0, first = -Infinity, last = -Infinity;
  for (const [t, v] of shifts) {
    if (t - last >= 1000 || t - first >= 5000) {
      first = t;
      sum = 0;
    }
    sum += v;
    last = t;
    best = Math.max(best, sum);
  }
  return best;
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

/** The profile's emulation on one page (none when unthrottled). Returns the CDP session. */
async function throttle(context, page, profile) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (profile.network) await cdp.send("Network.emulateNetworkConditions", profile.network);
  if (profile.cpu !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  return cdp;
}

/** Records every response a page receives over CDP: url, bytes on the wire, when requested. */
function recordTransfers(cdp) {
  const byId = new Map();
  cdp.on("Network.requestWillBeSent", (e) => {
    byId.set(e.requestId, { url: e.request.url, sent: e.timestamp, bytes: 0 });
  });
  cdp.on("Network.responseReceived", (e) => {
    const entry = byId.get(e.requestId) ?? { url: e.response.url, bytes: 0 };
    Object.assign(entry, {
      status: e.response.status,
      fromServiceWorker: Boolean(e.response.fromServiceWorker),
      fromDiskCache: Boolean(e.response.fromDiskCache),
    });
    byId.set(e.requestId, entry);
  });
  cdp.on("Network.loadingFinished", (e) => {
    const entry = byId.get(e.requestId);
    if (entry) entry.bytes = e.encodedDataLength;
  });
  return byId;
}

/** Resolves once the page is interactive (or started, after the grace period): asked over the
    DevTools protocol with one small expression every 50 ms, not with Playwright's
    `waitForFunction`, whose injected script is compiled in the page as soon as it commits — about
    50 ms of the page's main thread at 4x CPU, between the HTML's arrival and the first paint,
    that no real visit has (bench/web/trace-paint.mjs shows it). The times themselves are
    recorded in the page (`probe`), so the polling interval does not change them. */
async function untilInteractive(cdp, { paintOnly = false } = {}) {
  const expression = `(() => {
    const b = window.__bench;
    if (!b) return null;
    if (${paintOnly} && b.fcp !== null) return { ms: b.fcp, via: "first paint (no script)" };
    if (b.ready !== null) return { ms: b.ready, via: "data-app-ready" };
    if (b.started !== null && performance.now() - b.started > ${FALLBACK_GRACE_MS}) {
      return { ms: b.started, via: "TrunkApplicationStarted" };
    }
    return null;
  })()`;
  const end = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const answer = await cdp.send("Runtime.evaluate", { expression, returnByValue: true }).catch(() => null);
    const value = answer?.result?.value;
    if (value) return value;
    if (Date.now() > end) throw new Error("the page never became interactive");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Loads `url` in `page` (`cdp`: its protocol session) and resolves to its timings once the app
    is interactive. */
async function loadToInteractive(page, cdp, url, options) {
  await page.goto(url, { waitUntil: "commit", timeout: READY_TIMEOUT_MS });
  const ready = await untilInteractive(cdp, options);
  // Let late paints and requests (fonts) finish before reading LCP and CLS.
  await page.waitForLoadState("load").catch(() => {});
  await page.waitForLoadState("networkidle").catch(() => {});
  const timings = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
    const code = resources
      .filter((e) => /\.(?:js|wasm)$/.test(new URL(e.name).pathname))
      .filter((e) => !new URL(e.name).pathname.endsWith("register-sw.js"));
    const started = (re) => {
      const hit = resources.filter((e) => re.test(new URL(e.name).pathname));
      return hit.length ? Math.min(...hit.map((e) => e.startTime)) : null;
    };
    const b = window.__bench;
    return {
      html: nav ? nav.responseEnd : null,
      code: code.length ? Math.max(...code.map((e) => e.responseEnd)) : null,
      wasmStart: started(/_bg\.wasm$/),
      fontStart: started(/\.woff2$/),
      fcp: b.fcp,
      lcp: b.lcp,
      shifts: b.shifts,
    };
  });
  return { ...ready, ...timings, cls: cls(timings.shifts) };
}

/** One cold visit in a fresh profile, then one repeat visit in a new tab of it. */
async function visitPair(base, { serviceWorker, background: inBackground, paintOnly }, profile) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pishkhan-bench-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
  });
  try {
    await context.addInitScript(probe);
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await throttle(context, page, profile);
    const transfers = recordTransfers(cdp);
    const cold = await loadToInteractive(page, cdp, `${base}/`, { paintOnly });
    let shell = [];
    let background = null;
    if (serviceWorker) {
      // The worker precaches the shell on install; then the page asks it to cache the other
      // bundles in the background (public/register-sw.js), and says when that ended.
      const state = await page.evaluate(async (inBackground) => {
        if (!("serviceWorker" in navigator)) return { urls: [], background: null };
        await navigator.serviceWorker.ready;
        while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
        const root = document.documentElement;
        // A build from before the background caching never says when it ended.
        const background = !inBackground ? null : await new Promise((resolve) => {
          const done = () => root.getAttribute("data-offline-bundles");
          if (done()) return resolve(done());
          const watch = new MutationObserver(() => done() && (watch.disconnect(), resolve(done())));
          watch.observe(root, { attributes: true, attributeFilter: ["data-offline-bundles"] });
        });
        const urls = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) urls.push(request.url);
        }
        return { urls, background };
      }, inBackground);
      shell = state.urls;
      background = state.background;
    }
    const coldTransfers = [...transfers.values()];
    await page.close();

    const again = await context.newPage();
    const cdp2 = await throttle(context, again, profile);
    const repeatTransfers = recordTransfers(cdp2);
    const repeat = await loadToInteractive(again, cdp2, `${base}/`, { paintOnly });
    const navigation = [...repeatTransfers.values()].find((t) => t.url === `${base}/`);
    const wire = (list) => list.reduce((sum, t) => sum + t.bytes, 0);
    return {
      cold: { ...cold, wire: wire(coldTransfers) },
      repeat: {
        ...repeat,
        wire: wire([...repeatTransfers.values()]),
        fromServiceWorker: Boolean(navigation?.fromServiceWorker),
      },
      coldTransfers,
      shell,
      background,
    };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file in `dist` that answers `pathname` without a cookie (a client route: its Persian
    prerendered page when the build has one, else index.html). */
function fileFor(dist, pathname) {
  const relative = decodeURIComponent(pathname).replace(/^\/+/, "");
  const candidate = path.join(dist, relative);
  if (relative && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const last = relative.split("/").pop();
  if (!relative || !last.includes(".")) {
    const prerendered = path.join(dist, "prerendered", "fa", `${relative.replace(/\/+$/, "") || "index"}.html`);
    return existsSync(prerendered) ? prerendered : path.join(dist, "index.html");
  }
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
  const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n) => (n / 1000).toFixed(1);
const sec = (ms) => (Number.isNaN(ms) ? "–" : (ms / 1000).toFixed(2));

/** Files cached in the background after the first visit is interactive (the other bundles, the
    prerendered pages). */
const isBackground = (pathname) =>
  ["/forms/", "/tools/", "/kiosk/", "/prerendered/"].some((p) => pathname.startsWith(p));

/** Summarises the runs of one page: bytes from the first run of the first profile, medians of
    every metric per profile and kind (cold, repeat). */
async function summarise(page) {
  const first = page.visits[PROFILES[0].key][0];
  const origin = new URL(page.server.url).origin;
  const needed = new Set();
  const later = new Set();
  for (const t of first.coldTransfers) {
    const url = new URL(t.url);
    if (url.origin === origin && !url.pathname.startsWith("/api/")) needed.add(url.pathname);
  }
  for (const u of first.shell) {
    const pathname = new URL(u).pathname;
    (isBackground(pathname) ? later : needed).add(pathname);
  }
  if (page.serviceWorker && first.shell.length) needed.add("/sw.js");
  // "/" and "/index.html" are the same file.
  if (needed.has("/") && needed.has("/index.html")) needed.delete("/index.html");
  const metrics = ["fcp", "lcp", "ms", "cls", "html", "code", "wasmStart", "fontStart", "wire"];
  const stats = {};
  for (const profile of PROFILES) {
    const visits = page.visits[profile.key];
    for (const kind of ["cold", "repeat"]) {
      const m = (stats[`${profile.key}_${kind}`] = {});
      for (const metric of metrics) m[metric] = median(visits.map((v) => v[kind][metric]));
      m.fcpAfterHtml = median(visits.map((v) => v[kind].fcp - v[kind].html));
      m.all = visits.map((v) => v[kind].ms);
      m.via = [...new Set(visits.map((v) => v[kind].via))];
    }
    stats[`${profile.key}_repeatFromServiceWorker`] = visits.every((v) => v.repeat.fromServiceWorker);
  }
  return {
    name: page.name,
    bytes: await sizes(page.server.url, page.dist, needed),
    later: await sizes(page.server.url, page.dist, later),
    background: [...new Set(page.visits[PROFILES[0].key].map((v) => v.background))],
    stats,
  };
}

/** Every page, runs interleaved (app, empty, before, app, …) so that drift hits all alike. */
async function measureAll() {
  const pages = [
    { key: "app", name: "student app", dist: args.app, serviceWorker: true, background: true },
    { key: "empty", name: "empty Leptos page", dist: args.empty, serviceWorker: false },
  ];
  if (args.before) pages.push({ key: "before", name: "student app before", dist: args.before, serviceWorker: true, background: false });
  if (args.static) {
    pages.push({ key: "static", name: "its start page's HTML alone", dist: args.static, serviceWorker: false, paintOnly: true });
  }
  for (const page of pages) {
    page.server = await startServer(args.server, page.dist);
    page.visits = Object.fromEntries(PROFILES.map((p) => [p.key, []]));
  }
  try {
    for (const profile of PROFILES) {
      for (let i = 0; i < RUNS; i++) {
        for (const page of pages) {
          const visit = await visitPair(page.server.url, page, profile);
          process.stderr.write(
            `${profile.name}, ${page.name} run ${i + 1}/${RUNS}: cold FCP ${sec(visit.cold.fcp)} s, ` +
              `interactive ${sec(visit.cold.ms)} s (${visit.cold.via}), CLS ${visit.cold.cls.toFixed(3)}; ` +
              `repeat ${sec(visit.repeat.ms)} s (${visit.repeat.fromServiceWorker ? "service worker" : "network/HTTP cache"})\n`,
          );
          page.visits[profile.key].push(visit);
        }
      }
    }
    const out = {};
    for (const page of pages) out[page.key] = await summarise(page);
    return out;
  } finally {
    for (const page of pages) await page.server.stop();
  }
}

function report({ app, empty, before, static: floor }) {
  const lines = [];
  const say = (s = "") => lines.push(s);
  const chromiumVersion = args["chromium-version"] ?? "Chromium";
  const ok = (met) => (met ? "met" : "**missed**");
  say("# Web benchmark: first paint, interactive, layout shift and bytes");
  say();
  say(`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`bash bench/web/run.sh\` ` +
    `on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"} (${chromiumVersion}, ` +
    `playwright-core, median of ${RUNS}).`);
  say();
  say(`Load average of the machine (${os.cpus().length} cores) before and after the runs: ` +
    `${LOAD_BEFORE.map((x) => x.toFixed(1)).join(" ")} → ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} ` +
    "(1, 5, 15 min); times are only comparable within one run, and only on an otherwise idle machine across runs.");
  say();
  const slow = app.stats.slow_cold;
  const ratio = slow.ms / empty.stats.slow_cold.ms;
  say("## Goals (Fast 3G + 4× CPU)");
  say();
  say("| goal | measured | |");
  say("|---|---:|---|");
  const floorNote = floor
    ? ` (the same HTML with no script, no web font: ${Math.round(floor.stats.slow_cold.fcpAfterHtml)} ms)`
    : "";
  say(`| first contentful paint within 150 ms of the HTML's arrival (cold) | ${Math.round(slow.fcpAfterHtml)} ms${floorNote} | ${ok(slow.fcpAfterHtml <= 150)} |`);
  say(`| interactive ≤ 1.3 × the empty page (cold) | ${sec(slow.ms)} s = ${ratio.toFixed(2)} × ${sec(empty.stats.slow_cold.ms)} s | ${ok(ratio <= 1.3)} |`);
  say(`| repeat visit interactive ≤ 0.4 s | ${sec(app.stats.slow_repeat.ms)} s${app.stats.slow_repeatFromServiceWorker ? " (service worker)" : " (**not** all from the service worker)"} | ${ok(app.stats.slow_repeat.ms <= 400)} |`);
  say(`| first-visit transfer ≤ 200 kB brotli | ${kb(app.bytes.brotli)} kB (served: ${kb(app.bytes.served)} kB) | ${ok(app.bytes.brotli <= 200_000)} |`);
  say(`| CLS ≤ 0.02 (cold) | ${slow.cls.toFixed(3)} | ${ok(slow.cls <= 0.02)} |`);
  say();
  const pages = [app, empty, ...(before ? [before] : []), ...(floor ? [floor] : [])];
  for (const profile of PROFILES) {
    say(`## ${profile.name}: medians, seconds (CLS unitless, bytes on the wire in kB)`);
    say();
    say("| page, visit | HTML in | FCP | FCP − HTML | LCP | wasm requested | font requested | script + wasm in | interactive | CLS | on the wire |");
    say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const page of pages) {
      for (const kind of ["cold", "repeat"]) {
        const m = page.stats[`${profile.key}_${kind}`];
        say(`| ${page.name}, ${kind} | ${sec(m.html)} | ${sec(m.fcp)} | ${sec(m.fcpAfterHtml)} | ${sec(m.lcp)} | ` +
          `${sec(m.wasmStart)} | ${sec(m.fontStart)} | ${sec(m.code)} | ${sec(m.ms)} | ${m.cls.toFixed(3)} | ${kb(m.wire)} |`);
      }
    }
    say();
    say(`Interactive, all runs (s): ` + pages.map((p) => `${p.name} cold ${p.stats[`${profile.key}_cold`].all.map(sec).join(", ")}; ` +
      `repeat ${p.stats[`${profile.key}_repeat`].all.map(sec).join(", ")}`).join(" — ") + ".");
    say();
  }
  for (const r of pages) {
    const via = Object.values(r.stats).flatMap((m) => m.via ?? []);
    if (via.some((v) => v === "TrunkApplicationStarted")) {
      say(`**Note:** for the ${r.name} "interactive" was taken (in some runs) from Trunk's ` +
        `\`TrunkApplicationStarted\` event because \`data-app-ready\` never appeared.`);
      say();
    }
  }
  for (const r of pages) {
    say(`## What a first visit downloads: ${r.name}`);
    say();
    say("| path | raw | gzip -9 | brotli q11 | served (br) |");
    say("|---|---:|---:|---:|---:|");
    for (const row of r.bytes.rows) {
      say(`| \`${row.pathname}\` | ${row.raw} | ${row.gzip} | ${row.brotli} | ${row.served} ${row.encoding === "identity" ? "(as is)" : `(${row.encoding})`} |`);
    }
    say(`| **total** | **${r.bytes.raw}** | **${r.bytes.gzip}** | **${r.bytes.brotli}** | **${r.bytes.served}** |`);
    say();
    if (r.later.rows.length) {
      say(`Cached by the service worker in the background once the page was interactive and idle ` +
        `(\`data-offline-bundles\`: ${r.background.join(", ")}), not part of the first visit: ` +
        `${r.later.rows.length} files (the tools bundle's shell: the pre-check and the one-page tools; the forms'; the prerendered pages in both languages), ` +
        `${kb(r.later.brotli)} kB brotli (${kb(r.later.served)} kB served), of which ` +
        r.later.rows.filter((row) => row.pathname.endsWith(".wasm")).map((row) => `\`${row.pathname}\` ${kb(row.brotli)} kB`).join(", ") + ".");
      say();
    }
  }
  say("## How it was measured");
  say();
  say("- Builds: `scripts/build-app.sh` (every bundle, `trunk build --release --offline`, the `wasm-release` profile " +
    "(`opt-level = \"z\"`, LTO, `codegen-units = 1`, `panic = \"abort\"`) and `wasm-opt -Oz` (npm binaryen 132)) copied " +
    "to its own directory; `trunk build --release --offline` of `bench/empty-app/index.html` (an empty Leptos 0.8 CSR " +
    "page that mounts one paragraph and sets `data-app-ready`)" + (before ? "; the \"before\" app is an earlier build kept in a directory of its own (`--before`)" : "") +
    (floor ? "; \"its start page's HTML alone\" is the app's prerendered `/` (Persian) with every script, preload and link removed " +
      "and `data-fonts-later` set as the inline script sets it on a first visit (run.sh): what the browser itself takes to " +
      "commit, parse and paint that HTML; its \"interactive\" is its first contentful paint." : "."));
  say("- Each dist is served by the project's server, `target/release/pishkhan serve --addr 127.0.0.1:0 --dist <dir>` " +
    "(brotli/gzip, precompressed `.br`/`.gz` files when present, immutable caching of hashed files).");
  say("- Browser: Chromium (`/usr/bin/chromium`) through playwright-core, `" + CHROMIUM_ARGS.join(" ") +
    "`, a fresh `--user-data-dir` per cold visit, viewport 390×844.");
  say("- Throttled profile, on every page through a DevTools protocol session: `Emulation.setCPUThrottlingRate` 4 and " +
    "`Network.emulateNetworkConditions` latency 562.5 ms, download 180000 B/s (1.44 Mbit/s), upload 84375 B/s (Fast 3G). " +
    "The other profile: none of it.");
  say("- Cold: the first visit to `/` in the fresh profile. Repeat: then, in the same profile, a new tab loads `/` again " +
    "(for the app after its service worker is active and has finished caching in the background: the navigation and every " +
    "file come from the worker's cache; for the empty page from the HTTP cache, with a revalidation of index.html).");
  say("- Times are `performance.now()` in the page (0 = navigation start): HTML in = the navigation's `responseEnd`; FCP " +
    "and LCP from `PerformanceObserver` (`paint`, `largest-contentful-paint`, buffered); interactive = when `<html>` gets " +
    "`data-app-ready` (a MutationObserver installed before the page's scripts; until then the page is only asked, over the " +
    "DevTools protocol, for what it recorded: no Playwright script runs in it); CLS = the largest session window of " +
    "`layout-shift` entries without recent input (gaps < 1 s, windows ≤ 5 s), read once the page is interactive and the " +
    "network idle; wasm/font requested = the earliest `startTime` of a `*_bg.wasm` / `*.woff2` resource.");
  say("- Bytes: every same-origin file the page requested during the cold visit plus everything the service " +
    "worker precached at install (and `sw.js`); raw, gzip level 9 and brotli quality 11 computed from the dist files " +
    "(Node's zlib), and what the server actually sends for `Accept-Encoding: br`; what the worker caches in the " +
    "background after the page is interactive (`/forms/`, `/tools/`, `/kiosk/`, `/prerendered/`) is listed apart. On the wire = DevTools " +
    "`encodedDataLength` of the page's own requests, headers included (not the worker's fetches). kB = 1000 bytes.");
  return lines.join("\n") + "\n";
}

/** In --out, everything from this line on is kept when the report above it is rewritten. */
const KEEP = "<!-- measure.mjs rewrites the report above this line and keeps everything below it -->";

async function main() {
  for (const key of ["server", "app", "empty"]) {
    if (!args[key]) throw new Error(`--${key} is required`);
  }
  const text = report(await measureAll());
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
