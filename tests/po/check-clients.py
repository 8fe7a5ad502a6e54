#!/usr/bin/env python3
# The mail programs' labels (data/clients/*.ini) are not in po files: each key
# file keeps its own strings per language, because they are quotes of the
# programs' own localisations, each with its source. This checks them the way
# po-complete checks po files: every language in po/LINGUAS, and English, has
# a non-empty text and a source for every string, and names a known quality.
import configparser
import pathlib
import sys

QUALITIES = {'unverified', 'inferred', 'description'}


def languages(srcdir):
    langs = ['en']
    for line in (srcdir / 'po' / 'LINGUAS').read_text(encoding='utf-8').splitlines():
        if not line.strip().startswith('#'):
            langs += line.split()
    return langs


def check_file(path, langs):
    problems = []
    keyfile = configparser.ConfigParser(interpolation=None, strict=True, comment_prefixes=('#',),
                                        delimiters=('=',))
    keyfile.optionxform = str
    keyfile.read(path, encoding='utf-8')
    sources = keyfile['Sources'] if keyfile.has_section('Sources') else {}
    strings = 0
    for group in keyfile.sections():
        if group in ('Client', 'Sources'):
            continue
        for lang in langs:
            strings += 1
            entry = keyfile[group]
            where = f'{path.name}: [{group}] {lang}'
            if not entry.get(lang, '').strip():
                problems.append(f'{where}: no text')
            source = entry.get(f'{lang}-source', '').strip()
            if not source or source not in sources or not sources[source].strip():
                problems.append(f'{where}: no source from [Sources]')
            quality = entry.get(f'{lang}-quality', '').strip()
            if quality and quality not in QUALITIES:
                problems.append(f'{where}: unknown quality "{quality}"')
    return strings, problems


def main():
    srcdir = pathlib.Path(sys.argv[1])
    langs = languages(srcdir)
    files = sorted((srcdir / 'data' / 'clients').glob('*.ini'))
    total = 0
    problems = []
    for path in files:
        strings, found = check_file(path, langs)
        total += strings
        problems += found
    print(f'data/clients: {len(files)} programs, {total} strings in {", ".join(langs)}, '
          f'{len(problems)} incomplete')
    for line in problems:
        print('FAIL: ' + line)
    return 1 if problems or not files else 0


if __name__ == '__main__':
    sys.exit(main())
