// Writes <file>.br (brotli quality 11) and <file>.gz (gzip level 9) beside each compressible file
// of a built app, which `pishkhan serve` sends instead of compressing on the fly (brotli quality
// 4 there, to keep requests fast): about 16% fewer bytes for the wasm. Run by Trunk after every
// release build (the post_build hook in Trunk.toml, on its staging directory), or by hand:
//   node scripts/precompress.mjs <dist>
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const COMPRESSIBLE = /\.(?:wasm|js|mjs|css|html|webmanifest|json|svg|txt|ico)$/;

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("usage: node scripts/precompress.mjs <dist>");
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== "release") process.exit(0);

function* files(root) {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile() && COMPRESSIBLE.test(entry.name)) yield full;
  }
}

let before = 0;
let after = 0;
for (const file of files(dir)) {
  const raw = readFileSync(file);
  if (raw.length < 256) continue;
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = zlib.gzipSync(raw, { level: 9 });
  // Only where it pays; elsewhere the server compresses on the fly or sends the file as is.
  if (br.length < raw.length * 0.95) writeFileSync(`${file}.br`, br);
  if (gz.length < raw.length * 0.95) writeFileSync(`${file}.gz`, gz);
  before += statSync(file).size;
  after += Math.min(br.length, raw.length);
}
console.log(`precompress: ${dir}: ${before} bytes -> ${after} bytes brotli`);
