"""Draws Herald's icons (a white megaphone-ish "H" on a blue rounded square) as PNGs with
the standard library only, so the repository needs no image tools: python extension/icons/generate.py"""

import struct
import zlib
from pathlib import Path

BLUE = (10, 102, 194)
WHITE = (255, 255, 255)


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    # Unit square coordinates; rounded-square background with a bold "H".
    r = 0.2
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    in_h = (0.26 <= x <= 0.40 or 0.60 <= x <= 0.74) and 0.22 <= y <= 0.78
    in_bar = 0.26 <= x <= 0.74 and 0.44 <= y <= 0.56
    return (*WHITE, 255) if in_h or in_bar else (*BLUE, 255)


def png(size: int) -> bytes:
    rows = []
    ss = 4  # supersampling for smooth edges
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    p = pixel((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size)
                    for i in range(4):
                        acc[i] += p[i]
            row.extend(v // (ss * ss) for v in acc)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    here = Path(__file__).parent
    for size in (16, 32, 48, 128):
        (here / f"icon-{size}.png").write_bytes(png(size))
