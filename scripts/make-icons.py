#!/usr/bin/env python3
"""Draws Pishkhan's app icons into public/icons/ (referenced by public/manifest.webmanifest).

Pure Python (zlib + struct), no imaging library: the mark is a white tick on the accent green
(#1d5b3a), anti-aliased from signed distances in 15 steps, written as 8-bit palette PNGs (a few
kB each: the service worker precaches them). The output is deterministic, so the committed PNGs
only change when this script does.

  icon-192.png, icon-512.png   purpose "any": a rounded green square on a transparent background
  icon-maskable-512.png        purpose "maskable": full-bleed green, the tick inside the safe zone
                               (the central circle of 80% diameter that every mask keeps)

Run from anywhere: python3 scripts/make-icons.py
"""

import math
import os
import struct
import zlib

ACCENT = (0x1D, 0x5B, 0x3A)
WHITE = (0xFF, 0xFF, 0xFF)

# The tick, in units of the icon's side: a polyline and its stroke width (round caps and joins).
TICK = [(0.29, 0.52), (0.44, 0.67), (0.72, 0.37)]
TICK_WIDTH = 0.085


def segment_distance(px, py, ax, ay, bx, by):
    """Distance from point p to segment ab."""
    dx, dy = bx - ax, by - ay
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(px - cx, py - cy)


def rounded_square_distance(px, py, half, radius):
    """Signed distance (negative inside) from p, relative to the centre, to a rounded square."""
    qx = abs(px) - half + radius
    qy = abs(py) - half + radius
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - radius


def coverage(signed_distance_px):
    """Anti-aliasing: the share of a pixel covered, from the signed distance in pixels."""
    return max(0.0, min(1.0, 0.5 - signed_distance_px))


LEVELS = 15  # anti-aliasing steps: enough for smooth edges, few enough for a small palette


def draw(size, maskable):
    """Rows of palette indices of one icon, and the palette: (r, g, b, a) per index."""
    # The maskable icon scales the tick to stay inside the safe zone.
    scale = 0.8 if maskable else 1.0
    tick = [(0.5 + (x - 0.5) * scale, 0.5 + (y - 0.5) * scale) for x, y in TICK]
    half_width = TICK_WIDTH * scale * size / 2
    pts = [(x * size, y * size) for x, y in tick]
    palette = {}
    rows = []
    for j in range(size):
        row = bytearray()
        py = j + 0.5
        for i in range(size):
            px = i + 0.5
            if maskable:
                background = 1.0
            else:
                background = coverage(
                    rounded_square_distance(px - size / 2, py - size / 2, size * 0.47, size * 0.2)
                )
            d = min(
                segment_distance(px, py, *pts[k], *pts[k + 1]) for k in range(len(pts) - 1)
            )
            mark = round(coverage(d - half_width) * LEVELS) / LEVELS
            alpha = round(background * LEVELS) / LEVELS
            if alpha == 0.0:
                colour = (0, 0, 0, 0)
            else:
                rgb = tuple(round(a * (1 - mark) + b * mark) for a, b in zip(ACCENT, WHITE))
                colour = rgb + (round(255 * alpha),)
            row.append(palette.setdefault(colour, len(palette)))
        rows.append(bytes(row))
    return rows, sorted(palette, key=palette.get)


def png(size, rows, palette):
    """A PNG file: 8-bit palette (PLTE + tRNS), no filtering, deflated."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)
    plte = b"".join(bytes(c[:3]) for c in palette)
    trns = bytes(c[3] for c in palette).rstrip(b"\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", plte)
        + (chunk(b"tRNS", trns) if trns else b"")
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public", "icons")
    os.makedirs(out, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        data = png(size, *draw(size, maskable))
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(f"public/icons/{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
