#!/usr/bin/env python3
"""gen_fixtures.py N OUT - writes a fixtures file: the default merchant with N
paid payments, imp_uid imp_1XXXXXXXXXXX (12 digits: 100000000000 + i), merchant_uid
bench_i, so a load script can name any of them without asking the server.
Used by bench/run.sh for the lookup-scaling runs; not part of impmock."""
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
root = '%s/../fixtures/default.json' % sys.path[0]
doc = json.load(open(root, encoding='utf-8'))
merchant = doc['merchants'][0]
with open(out, 'w', encoding='utf-8') as f:
    # written by hand, not json.dump: a million dicts would take seconds and GBs
    head = dict(merchant, payments=[], customers=[])
    text = json.dumps({'merchants': [head], 'test_cards': doc['test_cards']},
                      ensure_ascii=False, separators=(',', ':'))
    cut = text.index('"payments":[]') + len('"payments":[')
    f.write(text[:cut])
    for i in range(n):
        f.write('%s{"imp_uid":"imp_%012d","merchant_uid":"bench_%d","status":"paid",'
                '"amount":%d,"started_at":%d,"paid_at":%d}'
                % (',' if i else '', 100000000000 + i, i, 1000 + i % 9000,
                   1700000000 + i % 86400, 1700000000 + i % 86400))
    f.write(text[cut:])
