#!/usr/bin/env python3
"""The manifest work of tests/flatpak/build-and-run.sh.

  manifest-copy.py write SRC DST --runtime ID --sdk ID --runtime-version BRANCH
                   [--without-finish-arg ARG]
      Writes DST: SRC with runtime, sdk and runtime-version replaced, everything else as it
      is, in the same key order. --without-finish-arg leaves one permission out; it exists
      only to show that the sandboxed checks fail without it.

  manifest-copy.py diff SRC DST
      Compares the two manifests key by key and prints every top-level key whose value
      differs or that only one of them has, sorted, one a line.

  manifest-copy.py get FILE finish-args
      Prints the finish-args, one a line.
"""
import argparse
import json
import sys


def load(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def write(args):
    manifest = load(args.src)
    for key in ('runtime', 'sdk', 'runtime-version'):
        if key not in manifest:
            sys.exit(f'manifest-copy.py: {args.src} has no "{key}" to replace')
    manifest['runtime'] = args.runtime
    manifest['sdk'] = args.sdk
    manifest['runtime-version'] = args.runtime_version
    if args.without_finish_arg:
        finish_args = manifest.get('finish-args', [])
        if args.without_finish_arg not in finish_args:
            sys.exit(f'manifest-copy.py: {args.src} has no finish-arg {args.without_finish_arg}')
        manifest['finish-args'] = [a for a in finish_args if a != args.without_finish_arg]
    with open(args.dst, 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')


def diff(args):
    a = load(args.src)
    b = load(args.dst)
    # A missing key and a key set to a value differ; json's null is not "missing".
    missing = object()
    for key in sorted(set(a) | set(b)):
        if a.get(key, missing) != b.get(key, missing):
            print(key)


def get(args):
    manifest = load(args.file)
    for value in manifest.get(args.what, []):
        print(value)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest='command', required=True)

    p = commands.add_parser('write')
    p.add_argument('src')
    p.add_argument('dst')
    p.add_argument('--runtime', required=True)
    p.add_argument('--sdk', required=True)
    p.add_argument('--runtime-version', required=True)
    p.add_argument('--without-finish-arg')
    p.set_defaults(run=write)

    p = commands.add_parser('diff')
    p.add_argument('src')
    p.add_argument('dst')
    p.set_defaults(run=diff)

    p = commands.add_parser('get')
    p.add_argument('file')
    p.add_argument('what', choices=['finish-args'])
    p.set_defaults(run=get)

    args = parser.parse_args()
    args.run(args)


if __name__ == '__main__':
    main()
