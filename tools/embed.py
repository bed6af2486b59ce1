#!/usr/bin/env python3
"""Turn a data file into a C source holding it as a NUL-terminated string."""
import sys

src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
with open(dst, 'w') as out:
    out.write('/* generated from %s by tools/embed.py; do not edit */\n' % src.split('/')[-1])
    out.write('#include <stddef.h>\n')
    # a string literal keeps the bytes exact whatever the signedness of char
    out.write('const char %s[] =\n' % name)
    for i in range(0, len(data), 32):
        out.write('  "' + ''.join('\\%03o' % b for b in data[i:i + 32]) + '"\n')
    out.write(';\n')
    out.write('const size_t %s_len = %d;\n' % (name, len(data)))
