"""Times zxing-cpp on corpus frames, for bench/benches/scan.rs.

Reads PNG paths from stdin, one a line; prints one JSON line per frame:
{"ms": time inside zxingcpp.read_barcodes, "texts": [...]}. The image is
loaded and converted to a greyscale array before the clock starts, so only
decoding is timed (the same as the in-process Rust decoders).
"""
import json
import sys
import time

import numpy
import zxingcpp
from PIL import Image

for line in sys.stdin:
    path = line.strip()
    if not path:
        continue
    pixels = numpy.asarray(Image.open(path).convert("L"))
    start = time.perf_counter()
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    ms = (time.perf_counter() - start) * 1e3
    print(json.dumps({"ms": ms, "texts": [r.text for r in found if r.valid]}), flush=True)
