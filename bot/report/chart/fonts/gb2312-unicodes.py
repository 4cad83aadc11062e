# Prints the code points the chart's font subset keeps, one U+XXXX a line:
# Basic Latin and Latin-1, General Punctuation, CJK Symbols and
# Punctuation, Halfwidth and Fullwidth Forms, and the 6,763 GB2312 hanzi
# (rows 0xB0-0xF7 of GB2312, decoded with Python's gb2312 codec).
ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
cps = set()
for lo, hi in ranges:
    cps.update(range(lo, hi + 1))
han = 0
for b1 in range(0xB0, 0xF8):
    for b2 in range(0xA1, 0xFF):
        try:
            ch = bytes([b1, b2]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.add(ord(ch))
        han += 1
assert han == 6763, han
for cp in sorted(cps):
    print("U+%04X" % cp)
