#!/usr/bin/env python3
"""Counts the keys in another parser's JSON rendering of a dump (librdb's
*_data.json / *.json, HDT3213/rdb's list of objects), for the peer-dump test."""
import json, sys

text = open(sys.argv[1], encoding="utf-8").read().strip()
if not text:
    print(0); sys.exit()
try:
    doc = json.loads(text)
except json.JSONDecodeError:
    try:
        doc = json.loads("{" + text + "}")          # a bare "key": value list
    except json.JSONDecodeError:                    # module placeholders: "k":"<...>""k2":...
        doc = json.loads("{" + text.replace('""', '","') + "}")
meta = {"__aux__", "__func__", "__dbsize__", "__slotinfo__"}
def count(d):
    if isinstance(d, list):
        return sum(count(x) if isinstance(x, dict) and "key" not in x else 1 for x in d)
    return sum(1 for k in d if k not in meta)
print(count(doc))
