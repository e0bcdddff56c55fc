// What the first paint waits for: one cold visit to `/` under measure.mjs's throttled profile
// (Fast 3G + 4x CPU), with a Chrome trace (DevTools protocol `Tracing`), summarised as the page's
// main-thread work between the HTML's arrival (the navigation's `responseEnd`) and the first
// contentful paint, by trace event, and the frames the compositor drew or skipped meanwhile.
//
//   node bench/web/trace-paint.mjs --server target/debug/pishkhan --dist dist [--runs 3]
//                                  [--cpu 4] [--fast] [--repeat] [--save trace.json]
//
// --fast: no throttling. --repeat: the repeat visit traced instead (a first visit, its service
// worker's background caching awaited, then `/` in a new tab), with the window up to interactive.
// --save: the last run's raw trace, for chrome://tracing or Perfetto.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]?.startsWith("--") ? true : all[i + 1] ?? true]);
    return pairs;
  }, []),
);
const RUNS = Number(args.runs ?? 3);
const CPU = args.fast ? 1 : Number(args.cpu ?? 4);
const NETWORK = args.fast
  ? null
  : { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375, connectionType: "cellular3g" };
const CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "blink",
  "blink.user_timing",
  "loading",
  "navigation",
  "v8",
  "v8.execute",
  "cc",
  "benchmark",
  "renderer.scheduler",
  "fonts",
];

function startServer(binary, dist) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ["serve", "--addr", "127.0.0.1:0", "--dist", dist], { stdio: ["ignore", "pipe", "inherit"] });
    child.once("error", reject);
    child.stdout.once("data", (chunk) => {
      const match = String(chunk).match(/pishkhan listening on (http:\/\/\S+)/);
      if (!match) return reject(new Error(`unexpected: ${chunk}`));
      resolve({ url: match[1], stop: () => new Promise((done) => (child.once("exit", done), child.kill("SIGTERM"))) });
    });
  });
}

/** Waits until `<html data-app-ready>`, asking with one small expression every 50 ms. */
async function untilReady(cdp, timeout = 120_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const { result } = await cdp
      .send("Runtime.evaluate", { expression: 'document.documentElement.hasAttribute("data-app-ready")', returnByValue: true })
      .catch(() => ({ result: { value: false } }));
    if (result.value === true) return;
    if (Date.now() > end) throw new Error("data-app-ready never appeared");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function traceOnce(base) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pishkhan-trace-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 390, height: 844 },
  });
  try {
    // When <html data-app-ready> appears (a MutationObserver, as measure.mjs's probe).
    await context.addInitScript(() => {
      new MutationObserver((_, watch) => {
        if (!document.documentElement?.hasAttribute("data-app-ready")) return;
        window.__ready = performance.now();
        watch.disconnect();
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-app-ready"] });
    });
    let page = context.pages()[0] ?? (await context.newPage());
    if (args.repeat) {
      await page.goto(`${base}/`);
      await page.locator("html[data-offline-bundles]").waitFor({ state: "attached", timeout: 120_000 });
      await page.close();
      page = await context.newPage();
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    if (NETWORK) await cdp.send("Network.emulateNetworkConditions", NETWORK);
    if (CPU !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
    const events = [];
    cdp.on("Tracing.dataCollected", (e) => events.push(...e.value));
    const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
    await cdp.send("Tracing.start", { traceConfig: { includedCategories: CATEGORIES }, transferMode: "ReportEvents" });
    await page.goto(`${base}/`, { waitUntil: "commit" });
    // Polled over the protocol, not with Playwright's waitForFunction, whose injected script
    // (compiled in the page as soon as it commits) would be part of what is measured.
    await untilReady(cdp);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return {
        responseStart: nav.responseStart, responseEnd: nav.responseEnd, domInteractive: nav.domInteractive,
        domContentLoaded: nav.domContentLoadedEventStart, fcp: fcp?.startTime ?? null,
        wasmEnd: Math.max(0, ...performance.getEntriesByType("resource").filter((e) => e.name.endsWith("_bg.wasm")).map((e) => e.responseEnd)),
        timeOrigin: performance.timeOrigin, ready: window.__ready ?? null,
      };
    });
    await cdp.send("Tracing.end");
    await complete;
    return { events, timing };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The renderer's main thread of the page: the thread that ran ParseHTML for `url`. */
function analyse({ events, timing }, base) {
  const parse = events.find((e) => e.name === "ParseHTML" && String(e.args?.beginData?.url ?? "").startsWith(base));
  if (!parse) throw new Error("no ParseHTML of the page in the trace");
  const { pid, tid } = parse;
  const nav = events.find((e) => e.name === "navigationStart" && e.pid === pid && String(e.args?.data?.documentLoaderURL ?? "").startsWith(base));
  const zero = nav ? nav.ts : null;
  const fcpEvent = events.find((e) => e.name === "firstContentfulPaint" && e.pid === pid);
  const at = (ts) => (zero === null ? NaN : (ts - zero) / 1000);
  const from = args.repeat ? timing.wasmEnd : timing.responseEnd;
  const to = args.repeat ? timing.ready : fcpEvent ? at(fcpEvent.ts) : timing.fcp;
  // Complete events (X) on the main thread that overlap [from, to], by name: self time would need
  // nesting; the total of the top-level tasks and the time of each kind inside them is enough.
  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && e.dur !== undefined);
  const inWindow = main.filter((e) => at(e.ts) < to && at(e.ts + e.dur) > from);
  const clip = (e) => Math.min(to, at(e.ts + e.dur)) - Math.max(from, at(e.ts));
  const byName = new Map();
  for (const e of inWindow) {
    const row = byName.get(e.name) ?? { ms: 0, n: 0, max: 0 };
    row.ms += clip(e);
    row.n += 1;
    row.max = Math.max(row.max, e.dur / 1000);
    byName.set(e.name, row);
  }
  const tasks = inWindow.filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  const busy = tasks.reduce((sum, e) => sum + clip(e), 0);
  // Frames: the compositor's view of the renderer's frames in the window.
  const frames = events
    .filter((e) => e.pid === pid && ["BeginMainThreadFrame", "BeginFrame", "DrawFrame", "Paint", "Commit", "firstPaint", "firstContentfulPaint", "MarkFirstPaint", "MarkLoad", "MarkDOMContent"].includes(e.name))
    .map((e) => ({ name: e.name, t: at(e.ts), dur: e.dur ? e.dur / 1000 : undefined }))
    .filter((e) => e.t >= from - 50 && e.t <= to + 5);
  const top = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  const long = tasks
    .map((e) => ({ start: at(e.ts), ms: e.dur / 1000, inside: main.filter((c) => c !== e && c.ts >= e.ts && c.ts + (c.dur ?? 0) <= e.ts + e.dur && c.dur > 5000).map((c) => `${c.name} ${(c.dur / 1000).toFixed(0)}`).slice(0, 8) }))
    .filter((t) => t.ms > 10);
  return { timing, from, to, busy, top, long, frames };
}

const server = await startServer(args.server, args.dist);
try {
  for (let i = 0; i < RUNS; i++) {
    const run = await traceOnce(server.url);
    if (args.save && i === RUNS - 1) writeFileSync(args.save, JSON.stringify({ traceEvents: run.events }));
    const a = analyse(run, server.url);
    const t = a.timing;
    if (args.repeat) console.log(`\n== run ${i + 1} (repeat): wasm in ${t.wasmEnd.toFixed(0)} ms, interactive ${t.ready?.toFixed(0)} ms; main thread busy ${a.busy.toFixed(0)} of those ${(a.to - a.from).toFixed(0)} ms`);
    console.log(`\n== run ${i + 1}: HTML responseStart ${t.responseStart.toFixed(0)} ms, responseEnd ${t.responseEnd.toFixed(0)}, ` +
      `domInteractive ${t.domInteractive.toFixed(0)}, DOMContentLoaded ${t.domContentLoaded.toFixed(0)}, FCP ${t.fcp?.toFixed(0)} ` +
      `(trace: ${a.to.toFixed(0)}); main thread busy ${a.busy.toFixed(0)} of the ${(a.to - a.from).toFixed(0)} ms from responseEnd to FCP`);
    console.log("   time per trace event in that window (ms, count, longest):");
    for (const [name, row] of a.top) console.log(`     ${name.padEnd(44)} ${row.ms.toFixed(1).padStart(7)} ${String(row.n).padStart(4)} ${row.max.toFixed(1).padStart(7)}`);
    console.log("   tasks over 10 ms (start ms, length ms: what ran inside, ms):");
    for (const task of a.long) console.log(`     ${task.start.toFixed(0).padStart(6)} ${task.ms.toFixed(0).padStart(5)}  ${task.inside.join(", ")}`);
    console.log("   frames near the window:");
    console.log("     " + a.frames.map((f) => `${f.name}@${f.t.toFixed(0)}${f.dur !== undefined ? `(${f.dur.toFixed(0)})` : ""}`).join(" "));
  }
} finally {
  await server.stop();
}
