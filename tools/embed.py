#!/usr/bin/env python3
"""Turn a data file into a C source holding it as a NUL-terminated string."""
import sys

src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, 'rb').read()
with open(dst, 'w') as out:
    out.write('/* generated from %s by tools/embed.py; do not edit */\n' % src.split('/')[-1])
    out.write('#include <stddef.h>\n')
    # one literal of any length: C99 promises only 4095 bytes, gcc and clang take more
    out.write('#pragma GCC diagnostic ignored "-Woverlength-strings"\n')
    # a string literal keeps the bytes exact whatever the signedness of char
    # a header is included by the one file that serves it: static there
    storage = 'static ' if dst.endswith('.h') else ''
    out.write('%sconst char %s[] =\n' % (storage, name))
    for i in range(0, len(data), 32):
        out.write('  "' + ''.join('\\%03o' % b for b in data[i:i + 32]) + '"\n')
    out.write(';\n')
    out.write('%sconst size_t %s_len = %d;\n' % (storage, name, len(data)))
