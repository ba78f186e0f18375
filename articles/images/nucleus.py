"""Draws articles/images/nucleus.png: the three trees of Nucleus (remote, synced, local)
as three coloured trees of boxes, the synced tree in the middle joined to both. Standard
library only (zlib + struct), so the demonstration image can be remade anywhere."""
import struct, zlib

W, H = 480, 240
BG = (250, 250, 245)
px = [[BG] * W for _ in range(H)]

def rect(x0, y0, x1, y1, c):
    for y in range(max(0, y0), min(H, y1)):
        for x in range(max(0, x0), min(W, x1)):
            px[y][x] = c

def line(x0, y0, x1, y1, c, t=2):
    n = max(abs(x1 - x0), abs(y1 - y0), 1)
    for i in range(n + 1):
        x = x0 + (x1 - x0) * i // n
        y = y0 + (y1 - y0) * i // n
        rect(x - t // 2, y - t // 2, x + t - t // 2, y + t - t // 2, c)

def tree(cx, colour):
    # A root and two levels of children, joined by lines.
    root = (cx, 40)
    kids = [(cx - 40, 110), (cx + 40, 110)]
    leaves = [(cx - 60, 180), (cx - 20, 180), (cx + 20, 180), (cx + 60, 180)]
    for k in kids:
        line(root[0], root[1], k[0], k[1], (90, 90, 90))
    for i, l in enumerate(leaves):
        k = kids[i // 2]
        line(k[0], k[1], l[0], l[1], (90, 90, 90))
    for (x, y) in [root] + kids + leaves:
        rect(x - 14, y - 10, x + 14, y + 10, colour)

tree(80, (220, 80, 60))     # remote
tree(240, (70, 150, 90))    # synced
tree(400, (60, 110, 210))   # local
# The synced tree is the merge base: arrows to both sides.
line(120, 40, 200, 40, (60, 60, 60), 3)
line(280, 40, 360, 40, (60, 60, 60), 3)
rect(0, 220, W, 240, (230, 230, 225))

raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in px)
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open("articles/images/nucleus.png", "wb").write(png)
