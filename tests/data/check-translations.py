#!/usr/bin/env python3
# German is a required language: the software centre and the app menu must show the German
# name, summary and description, so every translatable string of the merged desktop file and
# metainfo needs a translation for the language given.
import configparser
import sys
import xml.etree.ElementTree as ET

LANG_ATTR = '{http://www.w3.org/XML/1998/namespace}lang'
DESKTOP_KEYS = ('Name', 'GenericName', 'Comment', 'Keywords')


def untranslated_desktop(path, lang):
    desktop = configparser.ConfigParser(interpolation=None, strict=True)
    desktop.optionxform = str
    desktop.read(path, encoding='utf-8')
    entry = desktop['Desktop Entry']
    return [f'{path}: {key}[{lang}] is missing' for key in DESKTOP_KEYS
            if key in entry and not entry.get(f'{key}[{lang}]', '').strip()]


def untranslated_metainfo(path, lang):
    component = ET.parse(path).getroot()
    missing = []

    def siblings(parent, tag, where):
        source = [e for e in parent.findall(tag) if LANG_ATTR not in e.attrib]
        translated = [e for e in parent.findall(tag)
                      if e.get(LANG_ATTR) == lang and (e.text or '').strip()]
        if len(translated) < len(source):
            missing.append(f'{path}: {where}: {len(source)} <{tag}> in English, '
                           f'{len(translated)} with xml:lang="{lang}"')

    siblings(component, 'name', 'component')
    siblings(component, 'summary', 'component')
    for description in component.iter('description'):
        siblings(description, 'p', 'description')
        for list_ in description:
            if list_.tag in ('ul', 'ol'):
                siblings(list_, 'li', 'description list')
    for screenshot in component.iter('screenshot'):
        siblings(screenshot, 'caption', 'screenshot ' + (screenshot.findtext('image') or ''))
    return missing


def main():
    lang, desktop, metainfo = sys.argv[1:4]
    missing = untranslated_desktop(desktop, lang) + untranslated_metainfo(metainfo, lang)
    for line in missing:
        print('FAIL: ' + line)
    if missing:
        print(f'Translate the strings in po/{lang}.po, then rebuild.')
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
